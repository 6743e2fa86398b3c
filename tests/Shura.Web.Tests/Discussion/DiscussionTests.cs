using System.Net;
using Dapper;
using Shura.Storage.Log;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Discussion;

/// <summary>
/// A motion's discussion over HTTP, once per engine: members comment and answer from the proposal
/// until the result is fixed, change their words for a quarter of an hour and take them back at
/// any time; the log holds only the words' hashes, the words are kept beside it and erased with a
/// comment taken back, and `shura verify` passes throughout. Every refusal stores nothing.
/// </summary>
public abstract class DiscussionTests(string engine) : IAsyncLifetime
{
    private TestServer _server = null!;
    private Api _api = null!;
    private Person _leyla = null!, _babak = null!, _outsider = null!;
    private string _council = "", _motion = "";

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(engine, fakeClock: true);
        _api = _server.Api();
        _leyla = await _api.RegisterAsync("Leyla");
        _babak = await _api.RegisterAsync("Babak");
        _outsider = await _api.RegisterAsync("Sara");
        _council = await _api.CreateCouncilAsync(_leyla, new { supportThreshold = 1, deliberationPeriod = "P1D", votingPeriod = "P1D", secretBallots = false });
        await _api.JoinAsync(_council, _babak);
        _motion = await _api.PutMotionAsync(_council, _leyla, new { kind = "decision", title = "Open a second shop", text = "On Ferdowsi Street." });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<long> CountAsync(string table)
    {
        using var c = _server.Database.OpenConnection();
        return await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }

    private async Task<System.Text.Json.JsonElement[]> CommentsAsync(Person? who = null) =>
        [.. (await _api.GetAsync($"/motions/{_motion}/comments", who)).Ok().Body.EnumerateArray()];

    [Fact]
    public async Task Members_comment_answer_change_and_take_back_and_the_log_keeps_only_hashes()
    {
        var posted = await _api.PostAsync($"/motions/{_motion}/comments", new { text = "Ferdowsi Street has no bus — <b>why</b> there?" }, _babak);
        Assert.Equal(HttpStatusCode.Created, posted.Status);
        string question = posted.Id;
        string answer = (await _api.PostAsync($"/motions/{_motion}/comments", new { text = "The rent is half.", replyTo = question }, _leyla)).Ok().Id;

        var thread = await CommentsAsync();
        Assert.Equal([question, answer], thread.Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(question, thread[1].GetProperty("replyTo").GetString());
        Assert.Equal("Ferdowsi Street has no bus — <b>why</b> there?", thread[0].GetProperty("text").GetString()); // kept as written; pages escape it
        Assert.Equal("Babak", thread[0].GetProperty("authorName").GetString());

        // The log holds the hash of the words, never the words.
        var log = await _api.LogAsync(_council);
        static System.Text.Json.JsonElement Payload(System.Text.Json.JsonElement e) =>
            e.GetProperty("payload") is { ValueKind: System.Text.Json.JsonValueKind.String } text
                ? System.Text.Json.JsonDocument.Parse(text.GetString()!).RootElement
                : e.GetProperty("payload");
        var entry = log.Single(e => e.GetProperty("type").GetString() == "comment-posted" && Payload(e).GetProperty("comment").GetString() == question);
        string hash = Payload(entry).GetProperty("textHash").GetString()!;
        // Salted: the hash of these words with the salt kept beside them, not the bare hash a guess could be checked against.
        using (var store = _server.Database.OpenConnection())
        {
            string salt = Dapper.SqlMapper.QuerySingle<string>(store, "SELECT salt FROM texts WHERE hash = @hash", new { hash });
            Assert.Equal(Core.Discussion.Texts.Hash("Ferdowsi Street has no bus — <b>why</b> there?", salt), hash);
        }
        Assert.NotEqual(Core.Discussion.Texts.Hash("Ferdowsi Street has no bus — <b>why</b> there?"), hash);
        Assert.DoesNotContain(log, e => e.GetRawText().Contains("no bus", StringComparison.Ordinal));

        // Changed within the window; the change is in the log beside the first version.
        await _server.AdvanceAsync(TimeSpan.FromMinutes(10));
        var edited = (await _api.SendAsync(HttpMethod.Patch, $"/comments/{question}", new { text = "Ferdowsi Street has no bus: why there?" }, _babak)).Ok().Body;
        Assert.Equal("Ferdowsi Street has no bus: why there?", edited.GetProperty("text").GetString());
        Assert.NotNull(edited.GetProperty("editedAt").GetString());
        Assert.Equal("not-author", (await _api.SendAsync(HttpMethod.Patch, $"/comments/{question}", new { text = "Mine now." }, _leyla)).Code);
        await _server.AdvanceAsync(TimeSpan.FromMinutes(6));
        Assert.Equal("edit-window-passed", (await _api.SendAsync(HttpMethod.Patch, $"/comments/{question}", new { text = "Too late." }, _babak)).Code);

        // Taken back: its place in the thread stays, its words (every version) are gone from the store.
        Assert.Equal("not-author", (await _api.SendAsync(HttpMethod.Delete, $"/comments/{question}", null, _leyla)).Code);
        Assert.Equal(HttpStatusCode.NoContent, (await _api.SendAsync(HttpMethod.Delete, $"/comments/{question}", null, _babak)).Status);
        thread = await CommentsAsync();
        Assert.True(thread[0].GetProperty("deleted").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, thread[0].GetProperty("text").ValueKind);
        Assert.Equal("The rent is half.", thread[1].GetProperty("text").GetString());
        using (var c = _server.Database.OpenConnection())
        {
            Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM texts WHERE body LIKE '%no bus%'"));
        }
        Assert.Equal("comment-deleted", (await _api.SendAsync(HttpMethod.Delete, $"/comments/{question}", null, _babak)).Code);

        var verification = Verifier.Run(_server.Database, _server.Clock!.GetUtcNow());
        Assert.True(verification.IsIntact, string.Join("; ", verification.Problems));
    }

    [Fact]
    public async Task Refusals_store_nothing()
    {
        string ok = (await _api.PostAsync($"/motions/{_motion}/comments", new { text = "A first word." }, _leyla)).Ok().Id;
        string other = await _api.PutMotionAsync(_council, _leyla, new { kind = "decision", title = "Another", text = "" });
        long comments = await CountAsync("comments"), texts = await CountAsync("texts"), entries = await CountAsync("log");

        Assert.Equal("not-a-member", (await _api.PostAsync($"/motions/{_motion}/comments", new { text = "I am not in it." }, _outsider)).Code);
        Assert.Equal("invalid-field", (await _api.PostAsync($"/motions/{_motion}/comments", new { text = "" }, _babak)).Code);
        Assert.Equal("invalid-field", (await _api.PostAsync($"/motions/{_motion}/comments", new { text = new string('x', 10_001) }, _babak)).Code);
        Assert.Equal("not-found", (await _api.PostAsync($"/motions/{_motion}/comments", new { text = "To nothing.", replyTo = Guid.NewGuid() }, _babak)).Code);
        Assert.Equal("not-found", (await _api.PostAsync($"/motions/{other}/comments", new { text = "Across motions.", replyTo = ok }, _babak)).Code);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.PostAsync($"/motions/{_motion}/comments", new { text = "Anonymous." })).Status);
        Assert.Equal("not-found", (await _api.PostAsync($"/motions/{Guid.NewGuid()}/comments", new { text = "Nowhere." }, _babak)).Code);

        Assert.Equal(comments, await CountAsync("comments"));
        Assert.Equal(texts, await CountAsync("texts"));
        Assert.Equal(entries, await CountAsync("log"));
    }

    [Fact]
    public async Task The_discussion_closes_with_the_result()
    {
        await _server.AdvanceAsync(TimeSpan.FromDays(1));
        await _server.StateAsync(_motion, "voting");
        (await _api.PostAsync($"/motions/{_motion}/comments", new { text = "Still open while we vote." }, _babak)).Ok();
        await _server.AdvanceAsync(TimeSpan.FromDays(1));
        await _server.StateAsync(_motion, "rejected");

        long texts = await CountAsync("texts");
        Assert.Equal("discussion-closed", (await _api.PostAsync($"/motions/{_motion}/comments", new { text = "Too late now." }, _babak)).Code);
        Assert.Equal(texts, await CountAsync("texts"));
        Assert.Single(await CommentsAsync(_babak));
    }

    [Fact]
    public async Task A_members_only_council_shows_its_discussion_to_members_only()
    {
        string closed = await _api.CreateCouncilAsync(_leyla, new { supportThreshold = 1, deliberationPeriod = "P1D", votingPeriod = "P1D", visibility = "members" }, name: "Strike committee");
        string motion = await _api.PutMotionAsync(closed, _leyla, new { kind = "decision", title = "Strike on Monday", text = "" });
        string comment = (await _api.PostAsync($"/motions/{motion}/comments", new { text = "Monday it is." }, _leyla)).Ok().Id;

        Assert.Single((await _api.GetAsync($"/motions/{motion}/comments", _leyla)).Ok().Body.EnumerateArray());
        foreach (var who in new Person?[] { _outsider, null })
        {
            Assert.Equal("not-found", (await _api.GetAsync($"/motions/{motion}/comments", who)).Code);
            Assert.Equal("not-found", (await _api.GetAsync($"/comments/{comment}", who)).Code);
        }
    }
}

public class DiscussionOnSqlite() : DiscussionTests(Engines.Sqlite);

public class DiscussionOnPostgres() : DiscussionTests(Engines.PostgresOrSqlite);
