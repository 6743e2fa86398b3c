using System.Net;
using System.Text.Json;
using Dapper;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Fediverse;

/// <summary>
/// What a council's outbox holds and what it answers: decided motions as a Note with their result
/// and link; a post taken back leaves it (its Delete queued); a signed GET, as Mastodon's secure
/// mode sends, is answered like any other; the followers collection gives a count and never who.
/// </summary>
public class OutboxTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    private static async Task<JsonElement> ActivityJsonAsync(HttpClient client, string path, Action<HttpRequestMessage>? sign = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("application/activity+json");
        sign?.Invoke(request);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_decided_motion_goes_out_as_a_Note_with_its_result_and_a_post_taken_back_leaves_the_outbox(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        var babak = await api.RegisterAsync("Babak");
        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H" }, name: "Bakery workers' council");
        await api.JoinAsync(council, babak);
        string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Strike on Monday", text = "" });
        (await api.CastAsync(motion, leyla, new { choice = "yes" })).Ok();
        (await api.CastAsync(motion, babak, new { choice = "yes" })).Ok();
        // A follower whose server does not answer: the post's Create waits for it.
        using (var c = server.Database.OpenConnection())
        {
            c.Execute("INSERT INTO followers (council_id, actor, inbox, followed_at) VALUES (@council, 'http://127.0.0.1:9/actor', 'http://127.0.0.1:9/inbox', '2026-01-01T00:00:00.000Z')", new { council });
        }
        string gone = (await api.PostAsync($"/councils/{council}/posts", new { kind = "news", title = "Taken back", text = "Sent by mistake." }, leyla)).Ok().Id;
        Assert.Contains("Sent by mistake", Store.Snapshot(server.Database), StringComparison.Ordinal); // fanned out, waiting to be delivered
        (await api.SendAsync(HttpMethod.Delete, $"/posts/{gone}", null, leyla)).Ok();
        // Taken back before it was delivered: its words go from the outbox and only the Delete is still to go.
        Assert.DoesNotContain("Sent by mistake", Store.Snapshot(server.Database), StringComparison.Ordinal);
        using (var c = server.Database.OpenConnection())
        {
            Assert.Equal(new[] { "delete" }, c.Query<string>("""
                SELECT a.kind FROM ap_deliveries d JOIN ap_activities a ON a.id = d.activity_id WHERE a.subject = @s AND d.sent_at IS NULL
                """, new { s = $"post:{gone}" }));
        }
        await server.AdvanceAsync(TimeSpan.FromHours(2));
        Assert.Equal("in-force", await api.StateAsync(motion));

        // A signed GET (Mastodon's secure mode signs its fetches) is answered as any other.
        using var key = System.Security.Cryptography.RSA.Create(2048);
        string host = server.Client.BaseAddress!.Authority;
        void Signed(HttpRequestMessage request)
        {
            var headers = new Dictionary<string, string> { ["host"] = host, ["date"] = Shura.Web.Fediverse.HttpSignatures.Date(TimeProvider.System.GetUtcNow()) };
            request.Headers.TryAddWithoutValidation("Date", headers["date"]);
            request.Headers.TryAddWithoutValidation("Signature",
                Shura.Web.Fediverse.HttpSignatures.Sign("https://mastodon.example/actor#main-key", key, "GET", request.RequestUri!.OriginalString, headers));
        }
        var actor = await ActivityJsonAsync(server.Client, $"/ap/councils/{council}", Signed);
        var outbox = await ActivityJsonAsync(server.Client, new Uri(actor.GetProperty("outbox").GetString()!).PathAndQuery + "?page=true", Signed);
        var items = outbox.GetProperty("orderedItems").EnumerateArray().ToList();
        var decided = Assert.Single(items);
        Assert.Equal("Create", decided.GetProperty("type").GetString());
        var note = decided.GetProperty("object");
        Assert.Equal("Note", note.GetProperty("type").GetString());
        string page = new Uri(server.Client.BaseAddress, $"/motions/{motion}").ToString();
        Assert.Equal($"<p><strong>Strike on Monday</strong></p><p>In force — 2 ballots</p><p><a href=\"{page}\">{page}</a></p>", note.GetProperty("content").GetString());
        Assert.Equal(note.GetProperty("content").GetString(), note.GetProperty("contentMap").GetProperty("en").GetString());
        Assert.Equal(note.GetProperty("content").GetString(), (await ActivityJsonAsync(server.Client, new Uri(note.GetProperty("id").GetString()!).PathAndQuery)).GetProperty("content").GetString());

        // The post taken back: made, then deleted — in that order, and out of the outbox.
        using (var c = server.Database.OpenConnection())
        {
            Assert.Equal(new[] { "create", "delete" }, c.Query<string>("SELECT kind FROM ap_activities WHERE subject = @s ORDER BY seq", new { s = $"post:{gone}" }));
        }
        var followers = await ActivityJsonAsync(server.Client, new Uri(actor.GetProperty("followers").GetString()!).PathAndQuery);
        Assert.Equal(1, followers.GetProperty("totalItems").GetInt32());
        Assert.False(followers.TryGetProperty("orderedItems", out _));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_council_with_thousands_of_followers_is_fanned_out_in_steps_once_to_each_inbox(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        string council = await api.CreateCouncilAsync(leyla);
        // 2,400 followers on a server that does not answer: 2,000 with inboxes of their own, 400 on
        // 40 servers that give a shared inbox — so 2,040 inboxes, over three steps of 1,000.
        using (var c = server.Database.OpenConnection())
        {
            var rows = Enumerable.Range(0, 2400).Select(i => new
            {
                council, actor = $"http://127.0.0.1:9/users/{i}", inbox = $"http://127.0.0.1:9/users/{i}/inbox",
                shared = i < 2000 ? null : $"http://127.0.0.1:9/servers/{i % 40}/inbox",
            });
            using var t = c.BeginTransaction();
            c.Execute("INSERT INTO followers (council_id, actor, inbox, shared_inbox, followed_at) VALUES (@council, @actor, @inbox, @shared, '2026-01-01T00:00:00.000Z')", rows, t);
            t.Commit();
        }
        string post = (await api.PostAsync($"/councils/{council}/posts", new { kind = "news", title = "To everyone", text = "Once each." }, leyla)).Ok().Id;
        Store.Snapshot(server.Database); // waits for the fan-out
        using var store = server.Database.OpenConnection();
        var queued = store.Query<string>("""
            SELECT d.inbox FROM ap_deliveries d JOIN ap_activities a ON a.id = d.activity_id WHERE a.subject = @s
            """, new { s = $"post:{post}" }).ToList();
        Assert.Equal(2040, queued.Count);
        Assert.Equal(2040, queued.Distinct().Count());
        Assert.Equal(40, queued.Count(i => i.Contains("/servers/", StringComparison.Ordinal)));
    }
}
