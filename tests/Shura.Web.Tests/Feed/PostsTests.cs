using System.Net;
using Dapper;
using Shura.Storage.Log;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Feed;

/// <summary>
/// A council's own press over HTTP, once per engine: members publish reports, news and statements;
/// the words are kept beside the log, which holds their hashes; the HTML is made safe; a post
/// taken back loses its words; members-only councils show their feed to members only; every
/// refusal stores nothing, and `shura verify` passes.
/// </summary>
public abstract class PostsTests(string engine) : IAsyncLifetime
{
    private TestServer _server = null!;
    private Api _api = null!;
    private Person _leyla = null!, _babak = null!, _outsider = null!;
    private string _council = "";

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(engine, fakeClock: true);
        _api = _server.Api();
        _leyla = await _api.RegisterAsync("Leyla");
        _babak = await _api.RegisterAsync("Babak");
        _outsider = await _api.RegisterAsync("Sara");
        _council = await _api.CreateCouncilAsync(_leyla, Api.QuickSettings(voting: "P1D"));
        await _api.JoinAsync(_council, _babak);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<long> CountAsync(string table)
    {
        using var c = _server.Database.OpenConnection();
        return await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }

    [Fact]
    public async Task A_member_publishes_readers_get_safe_html_and_the_author_takes_it_back()
    {
        string markdown = "We stopped work at **8:00**.\n\n<script>alert('x')</script> [map](javascript:alert(1))";
        var published = await _api.PostAsync($"/councils/{_council}/posts", new { kind = "report", title = "Strike, day one", text = markdown }, _babak);
        Assert.Equal(HttpStatusCode.Created, published.Status);
        string post = published.Id;

        var read = (await _api.GetAsync($"/posts/{post}")).Ok().Body;
        Assert.Equal("report", read.GetProperty("kind").GetString());
        Assert.Equal("Strike, day one", read.GetProperty("title").GetString());
        Assert.Equal(markdown, read.GetProperty("text").GetString());
        string html = read.GetProperty("html").GetString()!;
        Assert.Contains("<strong>8:00</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"javascript:", html, StringComparison.OrdinalIgnoreCase); // the link keeps its words, loses its target
        Assert.Single((await _api.GetAsync($"/councils/{_council}/posts")).Ok().Body.EnumerateArray());

        // The log has the hashes of title and text, never the words.
        var log = await _api.LogAsync(_council);
        Assert.Contains(log, e => e.GetProperty("type").GetString() == "post-published");
        Assert.DoesNotContain(log, e => e.GetRawText().Contains("day one", StringComparison.Ordinal));

        Assert.Equal("not-author", (await _api.SendAsync(HttpMethod.Delete, $"/posts/{post}", null, _leyla)).Code);
        Assert.Equal(HttpStatusCode.NoContent, (await _api.SendAsync(HttpMethod.Delete, $"/posts/{post}", null, _babak)).Status);
        Assert.Equal("post-deleted", (await _api.SendAsync(HttpMethod.Delete, $"/posts/{post}", null, _babak)).Code);
        var gone = (await _api.GetAsync($"/posts/{post}")).Ok().Body;
        Assert.True(gone.GetProperty("deleted").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, gone.GetProperty("text").ValueKind);
        Assert.Empty((await _api.GetAsync($"/councils/{_council}/posts")).Ok().Body.EnumerateArray());
        using (var c = _server.Database.OpenConnection())
        {
            Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM texts WHERE body LIKE '%day one%' OR body LIKE '%stopped work%'"));
        }
        var verification = Verifier.Run(_server.Database, _server.Clock!.GetUtcNow());
        Assert.True(verification.IsIntact, string.Join("; ", verification.Problems));
    }

    [Fact]
    public async Task Refusals_store_nothing()
    {
        long posts = await CountAsync("posts"), texts = await CountAsync("texts"), entries = await CountAsync("log");

        Assert.Equal("not-a-member", (await _api.PostAsync($"/councils/{_council}/posts", new { kind = "news", title = "Hello", text = "From outside." }, _outsider)).Code);
        Assert.Equal("invalid-field", (await _api.PostAsync($"/councils/{_council}/posts", new { kind = "advert", title = "Buy", text = "Now." }, _babak)).Code);
        Assert.Equal("invalid-field", (await _api.PostAsync($"/councils/{_council}/posts", new { kind = "news", title = "", text = "No title." }, _babak)).Code);
        Assert.Equal("invalid-field", (await _api.PostAsync($"/councils/{_council}/posts", new { kind = "news", title = "Long", text = new string('x', 50_001) }, _babak)).Code);
        Assert.Equal("invalid-field", (await _api.PostAsync($"/councils/{_council}/posts", new { kind = "news", title = "A\u202Eevil", text = "Bidirectional trick." }, _babak)).Code);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.PostAsync($"/councils/{_council}/posts", new { kind = "news", title = "Anonymous", text = "x" })).Status);
        Assert.Equal("not-found", (await _api.PostAsync($"/councils/{Guid.NewGuid()}/posts", new { kind = "news", title = "Nowhere", text = "x" }, _babak)).Code);

        Assert.Equal(posts, await CountAsync("posts"));
        Assert.Equal(texts, await CountAsync("texts"));
        Assert.Equal(entries, await CountAsync("log"));
    }

    [Fact]
    public async Task A_members_only_councils_feed_is_for_its_members()
    {
        string closed = await _api.CreateCouncilAsync(_leyla, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "P1D", visibility = "members" }, name: "Strike committee");
        string post = (await _api.PostAsync($"/councils/{closed}/posts", new { kind = "statement", title = "We strike", text = "On Monday." }, _leyla)).Ok().Id;

        Assert.Single((await _api.GetAsync($"/councils/{closed}/posts", _leyla)).Ok().Body.EnumerateArray());
        foreach (var who in new Person?[] { _outsider, null })
        {
            Assert.Equal("not-found", (await _api.GetAsync($"/councils/{closed}/posts", who)).Code);
            Assert.Equal("not-found", (await _api.GetAsync($"/posts/{post}", who)).Code);
        }
    }
}

public class PostsOnSqlite() : PostsTests(Engines.Sqlite);

public class PostsOnPostgres() : PostsTests(Engines.PostgresOrSqlite);
