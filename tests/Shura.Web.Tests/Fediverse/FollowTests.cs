using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Fediverse;

/// <summary>
/// Following a council from another server on loopback whose HTTP Signatures are Joyent's (npm):
/// its signed Follow is accepted, the council's signed Accept reaches its inbox and verifies there,
/// an Undo ends the following; a delivery its server refuses for a while arrives after retries;
/// unsigned, forged and replayed deliveries are refused and store nothing.
/// </summary>
public class FollowTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    /// <summary>The follower of follower.js, and the file that makes its server refuse deliveries while it exists.</summary>
    private static async Task<(NodePeer Follower, string RefuseFile)> StartFollowerAsync()
    {
        string refuse = Path.Combine(Directory.CreateTempSubdirectory("shura-follower-").FullName, "refuse");
        return (await NodePeer.StartAsync(Path.Combine("Fediverse", "follower.js"), new Dictionary<string, string> { ["REFUSE_FILE"] = refuse }), refuse);
    }

    private static bool Is(JsonElement line, string property, string type) =>
        line.TryGetProperty(property, out var value) && (value.ValueKind == JsonValueKind.String ? value.GetString() == type : value.GetProperty("type").GetString() == type);

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_follow_from_another_server_is_accepted_with_a_signed_Accept_that_server_verifies_and_an_undo_ends_it(string engine)
    {
        var (follower, refuseFile) = await StartFollowerAsync();
        using var running = follower;
        File.WriteAllText(refuseFile, "");
        await using var server = await TestServer.StartAsync(engine);
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        string council = await api.CreateCouncilAsync(leyla, name: "Bakery workers' council");
        string actor = new Uri(server.Client.BaseAddress!, $"/ap/councils/{council}").ToString();

        await follower.SayAsync(new { follow = actor });
        Assert.Equal(202, (await follower.WaitForAsync(l => Is(l, "sent", "Follow"))).GetProperty("status").GetInt32());
        using (var c = server.Database.OpenConnection())
        {
            Assert.Equal(follower.Base + "/users/sara", c.ExecuteScalar<string>("SELECT actor FROM followers WHERE council_id = @council", new { council }));
        }
        // Its server refuses for a while: the Accept waits, and arrives once it takes deliveries again.
        await follower.WaitForAsync(l => l.TryGetProperty("refused", out _));
        File.Delete(refuseFile);
        var accepted = await follower.WaitForAsync(l => Is(l, "received", "Accept"), seconds: 90);
        Assert.True(accepted.GetProperty("verified").GetBoolean());
        Assert.Equal(actor, accepted.GetProperty("received").GetProperty("actor").GetString());
        Assert.Equal("Follow", accepted.GetProperty("received").GetProperty("object").GetProperty("type").GetString());

        await follower.SayAsync(new { undo = actor });
        Assert.Equal(202, (await follower.WaitForAsync(l => Is(l, "sent", "Undo"))).GetProperty("status").GetInt32());
        using var store = server.Database.OpenConnection();
        Assert.Equal(0L, store.ExecuteScalar<long>("SELECT COUNT(*) FROM followers"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Unsigned_forged_and_replayed_deliveries_are_refused_and_store_nothing(string engine)
    {
        var (follower, _) = await StartFollowerAsync();
        using var running = follower;
        await using var server = await TestServer.StartAsync(engine);
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        string council = await api.CreateCouncilAsync(leyla, name: "Bakery workers' council");
        string actor = new Uri(server.Client.BaseAddress!, $"/ap/councils/{council}").ToString();
        string inbox = $"/ap/councils/{council}/inbox";
        string follow = JsonSerializer.Serialize(new { type = "Follow", actor = follower.Base + "/users/sara", @object = actor });
        byte[] body = Encoding.UTF8.GetBytes(follow);
        string before = Store.Snapshot(server.Database);

        async Task<HttpStatusCode> PostAsync(Action<HttpRequestMessage> sign)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, inbox) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/activity+json");
            sign(request);
            return (await server.Client.SendAsync(request)).StatusCode;
        }

        // Unsigned.
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(_ => { }));
        // Signed by a key that is not Sara's, under Sara's key id.
        using var forger = System.Security.Cryptography.RSA.Create(2048);
        string host = server.Client.BaseAddress!.Authority;
        void Signed(HttpRequestMessage request, DateTimeOffset at)
        {
            var headers = new Dictionary<string, string> { ["host"] = host, ["date"] = Shura.Web.Fediverse.HttpSignatures.Date(at), ["digest"] = Shura.Web.Fediverse.HttpSignatures.Digest(body) };
            request.Headers.TryAddWithoutValidation("Date", headers["date"]);
            request.Headers.TryAddWithoutValidation("Digest", headers["digest"]);
            request.Headers.TryAddWithoutValidation("Signature",
                Shura.Web.Fediverse.HttpSignatures.Sign(follower.Base + "/users/sara#main-key", forger.ExportPkcs8PrivateKeyPem(), "POST", inbox, headers));
        }
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(r => Signed(r, TimeProvider.System.GetUtcNow())));
        // Dated two hours ago: a replay, refused before its signature counts.
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(r => Signed(r, TimeProvider.System.GetUtcNow().AddHours(-2))));
        Assert.Equal(before, Store.Snapshot(server.Database));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_server_the_members_block_by_motion_follows_no_more_is_told_nothing_more_and_is_refused_at_every_inbox(string engine)
    {
        var (follower, refuseFile) = await StartFollowerAsync();
        using var running = follower;
        File.WriteAllText(refuseFile, "");
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        var babak = await api.RegisterAsync("Babak");
        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1M" });
        await api.JoinAsync(council, babak);
        string actor = new Uri(server.Client.BaseAddress!, $"/ap/councils/{council}").ToString();
        await follower.SayAsync(new { follow = actor });
        Assert.Equal(202, (await follower.WaitForAsync(l => Is(l, "sent", "Follow"))).GetProperty("status").GetInt32());
        await follower.WaitForAsync(l => l.TryGetProperty("refused", out _)); // the Accept waits for its server
        // ...and the server has written down the refusal, so no retry is in flight while the store is compared.
        await Wait.UntilAsync(() =>
        {
            using var c = server.Database.OpenConnection();
            return Task.FromResult(c.ExecuteScalar<long>("SELECT COUNT(*) FROM ap_deliveries WHERE sent_at IS NULL AND dead_at IS NULL AND attempts = 0") == 0);
        }, "the Accept's refusal written down");

        // A list that is not one of servers is refused, naming what is wrong, and puts no motion.
        string before = Store.Snapshot(server.Database);
        foreach (var wrong in new[] { new[] { "https://127.0.0.1/" }, ["bad example"], ["localhost"] })
        {
            var refused = await api.PostAsync($"/councils/{council}/motions", new { kind = "settings", title = "Block", text = "", settings = new { blockedServers = wrong } }, leyla);
            Assert.Equal(("invalid-field", "settings.blockedServers"), (refused.Code, refused.Body.GetProperty("field").GetString()));
        }
        Assert.Equal(before, Store.Snapshot(server.Database));

        string block = await api.PutMotionAsync(council, leyla, new { kind = "settings", title = "Block the server that doxxes us", text = "", settings = new { blockedServers = new[] { "127.0.0.1", "Bad.Example." } } });
        (await api.CastAsync(block, leyla, new { choice = "yes" })).Ok();
        (await api.CastAsync(block, babak, new { choice = "yes" })).Ok();
        await server.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.Equal("in-force", await api.StateAsync(block));
        var settings = (await api.GetAsync($"/councils/{council}")).Ok().Body.GetProperty("settings");
        Assert.Equal(["127.0.0.1", "bad.example"], settings.GetProperty("blockedServers").EnumerateArray().Select(h => h.GetString()!).ToArray());
        Assert.Contains("127.0.0.1, bad.example", await server.Client.GetStringAsync($"/motions/{block}"), StringComparison.Ordinal);

        // Its follower follows no more, and the Accept still waiting for its server will not go.
        using (var c = server.Database.OpenConnection())
        {
            Assert.Equal(0L, c.ExecuteScalar<long>("SELECT COUNT(*) FROM followers WHERE council_id = @council", new { council }));
            Assert.Equal(0L, c.ExecuteScalar<long>("SELECT COUNT(*) FROM ap_deliveries WHERE sent_at IS NULL AND dead_at IS NULL"));
        }
        // Following again, at the council's inbox or the shared one, is refused; nothing is stored.
        File.Delete(refuseFile);
        before = Store.Snapshot(server.Database);
        async Task<int> FollowAgainAsync(object ask, int nth)
        {
            await follower.SayAsync(ask);
            await follower.WaitForAsync(_ => follower.Lines.Count(l => Is(l, "sent", "Follow")) >= nth);
            return follower.Lines.Where(l => Is(l, "sent", "Follow")).ElementAt(nth - 1).GetProperty("status").GetInt32();
        }
        Assert.Equal(403, await FollowAgainAsync(new { follow = actor }, 2));
        Assert.Equal(403, await FollowAgainAsync(new { follow = actor, shared = true }, 3));
        Assert.Equal(before, Store.Snapshot(server.Database));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_rotated_key_is_announced_to_the_followers_by_an_Update_and_signs_what_follows(string engine)
    {
        var (follower, _) = await StartFollowerAsync();
        using var running = follower;
        await using var server = await TestServer.StartAsync(engine);
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        string council = await api.CreateCouncilAsync(leyla);
        string actor = new Uri(server.Client.BaseAddress!, $"/ap/councils/{council}").ToString();
        async Task<string> KeyIdAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/ap/councils/{council}");
            request.Headers.Accept.ParseAdd("application/activity+json");
            using var response = await server.Client.SendAsync(request);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("publicKey").GetProperty("id").GetString()!;
        }
        string before = await KeyIdAsync();
        await follower.SayAsync(new { follow = actor });
        Assert.True((await follower.WaitForAsync(l => Is(l, "received", "Accept"))).GetProperty("verified").GetBoolean());

        // Asked of a council that is not one, or has no key, the command says so and changes nothing.
        string store = Store.Snapshot(server.Database);
        var (code, _, error) = ShuraCli.Run("rotate-keys", "--council", "bakery", "--db", server.Db);
        Assert.Equal((2, "shura rotate-keys: --council \"bakery\" is not a council id"), (code, error.Trim()));
        string unknown = Guid.NewGuid().ToString();
        (code, _, error) = ShuraCli.Run("rotate-keys", "--council", unknown, "--db", server.Db);
        Assert.Equal(2, code);
        Assert.Contains($"council {unknown} has no key", error, StringComparison.Ordinal);
        Assert.Equal(store, Store.Snapshot(server.Database));

        var (rotated, said, _) = ShuraCli.Run("rotate-keys", "--db", server.Db);
        Assert.Equal(0, rotated);
        Assert.Contains("Retired the key of 1 council;", said, StringComparison.Ordinal);
        // The follower's server hears of the new key from an Update of the council, signed with it (it verifies against the actor as it now is).
        var update = await follower.WaitForAsync(l => Is(l, "received", "Update"));
        Assert.True(update.GetProperty("verified").GetBoolean());
        var told = update.GetProperty("received").GetProperty("object");
        Assert.Equal(("Group", actor), (told.GetProperty("type").GetString(), told.GetProperty("id").GetString()));
        string after = told.GetProperty("publicKey").GetProperty("id").GetString()!;
        Assert.NotEqual(before, after);
        Assert.Equal(after, await KeyIdAsync());
        // And what the council says next is signed with the new key too.
        (await api.PostAsync($"/councils/{council}/posts", new { kind = "news", title = "New key", text = "Nothing else changed." }, leyla)).Ok();
        Assert.True((await follower.WaitForAsync(l => Is(l, "received", "Create"))).GetProperty("verified").GetBoolean());
        using var c = server.Database.OpenConnection();
        Assert.Equal([(before, true), (after, false)],
            c.Query<(string, string?)>("SELECT key_id, retired_at FROM actor_keys WHERE council_id = @council ORDER BY created_at", new { council }).Select(k => (k.Item1, k.Item2 is not null)).ToArray());
    }
}
