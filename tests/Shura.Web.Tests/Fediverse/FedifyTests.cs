using System.Text.Json;
using Dapper;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Fediverse;

/// <summary>
/// A council followed from a server built on Fedify — an ActivityPub framework from npm that Shura
/// did not write — on loopback, with Shura served over HTTPS as the federated social web requires:
/// the follower finds the council by WebFinger, reads its actor, follows it and is accepted; then
/// receives a new post, a call to action as an Event, and the post's deletion, each verified by
/// Fedify's own signature check before its listeners see it (a delivery its server refused for a
/// while arriving after retries); its signed reply joins the post's discussion, marked as coming
/// from the fediverse, and its like and boost are counted.
/// </summary>
public class FedifyTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    private static bool Is(JsonElement line, string property, string value) =>
        line.TryGetProperty(property, out var found) && found.ValueKind == JsonValueKind.String && found.GetString() == value;

    private static string ObjectType(JsonElement line) =>
        line.GetProperty("object") is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("type", out var type) ? type.GetString()! : line.GetProperty("object").ToString();

    /// <summary>Waits for what the server does beside the requests; when it does not come, says what the server warned of.</summary>
    private static async Task<JsonElement> Within(TestServer server, Func<Task<JsonElement>> wait)
    {
        try
        {
            return await wait();
        }
        catch (Xunit.Sdk.XunitException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\nThe server warned: {string.Join("\n", server.Warnings)}");
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_Fedify_follower_finds_follows_and_hears_the_council_and_its_reply_joins_the_discussion(string engine)
    {
        _ = TestCertificate.Localhost;
        string refuse = Path.Combine(Directory.CreateTempSubdirectory("shura-fedify-").FullName, "refuse");
        using var follower = await NodePeer.StartAsync(Path.Combine("Fediverse", "fedify-follower.mjs"),
            new Dictionary<string, string> { ["REFUSE_FILE"] = refuse, ["NODE_EXTRA_CA_CERTS"] = TestCertificate.PemFile });
        await using var server = await TestServer.StartAsync(engine, https: true);
        Assert.Equal("https", server.Client.BaseAddress!.Scheme);
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        string council = await api.CreateCouncilAsync(leyla, name: "Bakery workers' council");
        string actor = new Uri(server.Client.BaseAddress, $"/ap/councils/{council}").ToString();
        string handle = $"acct:bakery_workers_council@{server.Client.BaseAddress.Authority}";

        // Found by WebFinger, read, followed, accepted — the Accept signed and found good by Fedify.
        await follower.SayAsync(new { follow = handle });
        var found = await follower.WaitForAsync(l => Is(l, "lookup", handle));
        Assert.True(found.GetProperty("found").GetBoolean(), $"{found}\n{follower.Errors}");
        Assert.Equal("Group", found.GetProperty("type").GetString());
        Assert.Equal(actor, found.GetProperty("id").GetString());
        Assert.Equal("Bakery workers' council", found.GetProperty("name").GetString());
        await follower.WaitForAsync(l => Is(l, "sent", "Follow"));
        var accepted = await Within(server, () => follower.WaitForAsync(l => Is(l, "received", "Accept")));
        Assert.Equal(actor, accepted.GetProperty("actor").GetString());
        Assert.Equal(follower.Base + "/follows/1", accepted.GetProperty("object").GetString());

        // A new post, while the follower's server refuses deliveries: it arrives once it takes them again.
        File.WriteAllText(refuse, "");
        string post = (await api.PostAsync($"/councils/{council}/posts", new { kind = "news", title = "Strike on Monday", text = "All lines stop at six." }, leyla)).Ok().Id;
        await follower.WaitForAsync(l => l.TryGetProperty("refused", out _));
        File.Delete(refuse);
        var created = await follower.WaitForAsync(l => Is(l, "received", "Create") && ObjectType(l) == "Note", seconds: 120);
        Assert.Equal(actor, created.GetProperty("actor").GetString());
        string note = created.GetProperty("object").GetProperty("id").GetString()!;
        Assert.Equal(new Uri(server.Client.BaseAddress, $"/ap/posts/{post}").ToString(), note);
        Assert.Contains("Strike on Monday", created.GetProperty("object").GetProperty("content").GetString());
        Assert.Contains("All lines stop at six.", created.GetProperty("object").GetProperty("content").GetString());

        // A call to action, as an Event: its name, its start and end, its place, and how the pledges stand.
        string call = (await api.PostAsync($"/councils/{council}/calls",
            new { title = "March to the mill", text = "Bring banners.", place = "The square", startsAt = "2030-01-02T10:00:00Z", endsAt = "2030-01-02T18:00:00Z", threshold = 50, deadline = "2030-01-01T10:00:00Z" }, leyla)).Ok().Id;
        var evented = await follower.WaitForAsync(l => Is(l, "received", "Create") && ObjectType(l) == "Event");
        var @event = evented.GetProperty("object");
        Assert.Equal(new Uri(server.Client.BaseAddress, $"/ap/posts/{call}").ToString(), @event.GetProperty("id").GetString());
        Assert.Equal("March to the mill", @event.GetProperty("name").GetString());
        Assert.Equal("2030-01-02T10:00:00Z", @event.GetProperty("startTime").GetString());
        Assert.Equal("2030-01-02T18:00:00Z", @event.GetProperty("endTime").GetString());
        Assert.Equal("The square", @event.GetProperty("location").GetString());
        Assert.Contains("0 of 50 pledged", @event.GetProperty("content").GetString());

        // Its reply, signed by Fedify, joins the post's discussion, marked as coming from the fediverse.
        await follower.SayAsync(new { reply = note, text = "<p>We will be there.</p><p>With <b>bread</b>.</p>" });
        await Within(server, () => follower.WaitForAsync(l => Is(l, "sent", "Create")));
        var comment = (await api.GetAsync($"/posts/{post}/comments")).Ok().Body.EnumerateArray().Single();
        Assert.Equal("We will be there.\n\nWith bread.", comment.GetProperty("text").GetString());
        Assert.Equal("Sara from elsewhere", comment.GetProperty("authorName").GetString());
        Assert.True(comment.GetProperty("fromFediverse").GetBoolean());
        Assert.Equal(follower.Base + "/users/sara", comment.GetProperty("remoteActor").GetString());
        string page = await server.Client.GetStringAsync($"/posts/{post}");
        Assert.Contains("from the fediverse", page);
        Assert.Contains("We will be there.", page);

        // A like and a boost are counted.
        await follower.SayAsync(new { like = note });
        await follower.WaitForAsync(l => Is(l, "sent", "Like"));
        await follower.SayAsync(new { boost = note });
        await follower.WaitForAsync(l => Is(l, "sent", "Announce"));
        Assert.Contains("On the fediverse: 1 likes, 1 boosts", await server.Client.GetStringAsync($"/posts/{post}"));
        await follower.SayAsync(new { unlike = true });
        await follower.WaitForAsync(l => Is(l, "sent", "Undo"));
        Assert.Contains("On the fediverse: 0 likes, 1 boosts", await server.Client.GetStringAsync($"/posts/{post}"));

        // Its author changes the reply there, then takes it back: so it is here, words and name gone.
        string reply = (await follower.WaitForAsync(l => Is(l, "sent", "Create"))).GetProperty("note").GetString()!;
        await follower.SayAsync(new { edit = reply, text = "<p>We will be there at six.</p>" });
        await follower.WaitForAsync(l => Is(l, "sent", "Update"));
        Assert.Equal("We will be there at six.", (await api.GetAsync($"/posts/{post}/comments")).Ok().Body.EnumerateArray().Single().GetProperty("text").GetString());
        await follower.SayAsync(new { delete = reply });
        await follower.WaitForAsync(l => Is(l, "sent", "Delete"));
        var takenBack = (await api.GetAsync($"/posts/{post}/comments")).Ok().Body.EnumerateArray().Single();
        Assert.True(takenBack.GetProperty("deleted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, takenBack.GetProperty("text").ValueKind);
        string kept = Store.Snapshot(server.Database);
        Assert.DoesNotContain("We will be there", kept, StringComparison.Ordinal);
        Assert.DoesNotContain("Sara from elsewhere", kept, StringComparison.Ordinal);

        // The author takes the post back: followers are told to delete it.
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"/posts/{post}", null, leyla)).Status);
        var deleted = await follower.WaitForAsync(l => Is(l, "received", "Delete"));
        Assert.Equal(note, deleted.GetProperty("object").GetString());
        Assert.Empty(server.Errors);
    }
}
