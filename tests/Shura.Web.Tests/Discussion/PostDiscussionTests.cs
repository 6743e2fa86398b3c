using System.Net;
using Dapper;
using Shura.Storage.Log;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Discussion;

/// <summary>Every post has a discussion too, open while the post stands (DESIGN §2); once per engine.</summary>
public abstract class PostDiscussionTests(string engine) : IAsyncLifetime
{
    private TestServer _server = null!;
    private Api _api = null!;
    private Person _leyla = null!, _babak = null!, _outsider = null!;
    private string _council = "", _post = "";

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(engine, fakeClock: true);
        _api = _server.Api();
        _leyla = await _api.RegisterAsync("Leyla");
        _babak = await _api.RegisterAsync("Babak");
        _outsider = await _api.RegisterAsync("Sara");
        _council = await _api.CreateCouncilAsync(_leyla, Api.QuickSettings(voting: "P1D"));
        await _api.JoinAsync(_council, _babak);
        _post = (await _api.PostAsync($"/councils/{_council}/posts", new { kind = "news", title = "The mill is ours", text = "We run it now." }, _leyla)).Ok().Id;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Members_discuss_a_post_until_it_is_taken_back()
    {
        string question = (await _api.PostAsync($"/posts/{_post}/comments", new { text = "Who keeps the keys?" }, _babak)).Ok().Id;
        (await _api.PostAsync($"/posts/{_post}/comments", new { text = "The night shift.", replyTo = question }, _leyla)).Ok();
        var thread = (await _api.GetAsync($"/posts/{_post}/comments")).Ok().Body.EnumerateArray().ToList();
        Assert.Equal(["Who keeps the keys?", "The night shift."], thread.Select(c => c.GetProperty("text").GetString()));
        Assert.Equal(question, thread[1].GetProperty("replyTo").GetString());

        // A change within the window works as on a motion.
        (await _api.SendAsync(HttpMethod.Patch, $"/comments/{question}", new { text = "Who keeps the mill's keys?" }, _babak)).Ok();

        string motion = await _api.PutMotionAsync(_council, _leyla, new { kind = "decision", title = "Elsewhere", text = "" });
        string there = (await _api.PostAsync($"/motions/{motion}/comments", new { text = "On the motion." }, _leyla)).Ok().Id;
        Assert.Equal("not-found", (await _api.PostAsync($"/posts/{_post}/comments", new { text = "Across.", replyTo = there }, _babak)).Code);
        Assert.Equal("not-a-member", (await _api.PostAsync($"/posts/{_post}/comments", new { text = "Outside." }, _outsider)).Code);

        Assert.Equal(HttpStatusCode.NoContent, (await _api.SendAsync(HttpMethod.Delete, $"/posts/{_post}", null, _leyla)).Status);
        long texts;
        using (var c = _server.Database.OpenConnection())
        {
            texts = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM texts");
        }
        Assert.Equal("discussion-closed", (await _api.PostAsync($"/posts/{_post}/comments", new { text = "Too late." }, _babak)).Code);
        Assert.Equal("discussion-closed", (await _api.SendAsync(HttpMethod.Patch, $"/comments/{question}", new { text = "Changed after." }, _babak)).Code);
        using (var c = _server.Database.OpenConnection())
        {
            Assert.Equal(texts, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM texts"));
        }
        var verification = Verifier.Run(_server.Database, _server.Clock!.GetUtcNow());
        Assert.True(verification.IsIntact, string.Join("; ", verification.Problems));
    }
}

public class PostDiscussionOnSqlite() : PostDiscussionTests(Engines.Sqlite);

public class PostDiscussionOnPostgres() : PostDiscussionTests(Engines.PostgresOrSqlite);
