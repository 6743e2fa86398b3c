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
}
