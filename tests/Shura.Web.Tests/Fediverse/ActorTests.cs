using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Shura.Storage.Fediverse;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Fediverse;

/// <summary>
/// Each public council is an ActivityPub Group that Mastodon can find: its handle, WebFinger
/// (RFC 7033) and its actor document with what Mastodon's documentation requires (preferredUsername,
/// inbox, outbox, publicKey.publicKeyPem). A members-only council is not there at all.
/// </summary>
public class ActorTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    [Fact]
    public void A_handle_is_made_once_from_the_name_in_the_letters_Mastodon_takes()
    {
        var id = Guid.Parse("01a2323a-9208-71bf-b1d9-08f1dfe237fc");
        Assert.Equal("bakery_workers_council", Handles.From("Bakery workers' council", id));
        Assert.Equal("cafe_lumiere", Handles.From("Café Lumière", id));
        Assert.Equal("council_dfe237fc", Handles.From("شورای کارگران نانوایی", id));
        Assert.Equal(Handles.MaxLength, Handles.From(new string('a', 80), id).Length);
    }

    private static async Task<(HttpStatusCode Status, string? Type, JsonElement Body)> GetAsync(HttpClient client, string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        using var response = await client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, text.Length > 0 && text[0] == '{' ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Mastodon_finds_a_public_council_by_webfinger_and_reads_its_actor_and_key_and_a_members_only_one_is_not_there(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        string council = await api.CreateCouncilAsync(leyla, name: "Bakery workers' council");
        string twin = await api.CreateCouncilAsync(leyla, name: "Bakery workers' council");
        string quiet = await api.CreateCouncilAsync(leyla, Api.QuickSettings(visibility: "members"), name: "Quiet council");
        string host = server.Client.BaseAddress!.Authority;

        var (status, type, finger) = await GetAsync(server.Client, $"/.well-known/webfinger?resource=acct:bakery_workers_council@{host}", "application/jrd+json");
        Assert.Equal((HttpStatusCode.OK, "application/jrd+json"), (status, type));
        Assert.Equal($"acct:bakery_workers_council@{host}", finger.GetProperty("subject").GetString());
        var self = finger.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("rel").GetString() == "self");
        Assert.Equal("application/activity+json", self.GetProperty("type").GetString());
        string actorUrl = self.GetProperty("href").GetString()!;
        Assert.EndsWith($"/ap/councils/{council}", actorUrl, StringComparison.Ordinal);

        // The second council of the same name has a handle of its own, within Mastodon's 30 letters: the name's, cut, and a piece of its id.
        string twinHandle = $"bakery_workers_counci_{twin.Replace("-", "", StringComparison.Ordinal)[^8..]}";
        Assert.Equal(Handles.MaxLength, twinHandle.Length);
        var (_, _, twinFinger) = await GetAsync(server.Client, $"/.well-known/webfinger?resource=acct:{twinHandle}@{host}", "application/jrd+json");
        Assert.EndsWith($"/ap/councils/{twin}", twinFinger.GetProperty("links")[0].GetProperty("href").GetString(), StringComparison.Ordinal);

        var (actorStatus, actorType, actor) = await GetAsync(server.Client, new Uri(actorUrl).PathAndQuery, "application/activity+json");
        Assert.Equal((HttpStatusCode.OK, "application/activity+json"), (actorStatus, actorType));
        Assert.Equal(("Group", actorUrl, "bakery_workers_council", "Bakery workers' council"),
            (actor.GetProperty("type").GetString(), actor.GetProperty("id").GetString(), actor.GetProperty("preferredUsername").GetString(), actor.GetProperty("name").GetString()));
        foreach (string box in new[] { "inbox", "outbox", "followers" })
        {
            Assert.StartsWith(actorUrl, actor.GetProperty(box).GetString(), StringComparison.Ordinal);
        }
        var key = actor.GetProperty("publicKey");
        Assert.Equal(actorUrl, key.GetProperty("owner").GetString());
        Assert.StartsWith(actorUrl + "#", key.GetProperty("id").GetString(), StringComparison.Ordinal);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(key.GetProperty("publicKeyPem").GetString());
        Assert.Equal(2048, rsa.KeySize);
        // The same key every time, until it is rotated.
        var (_, _, again) = await GetAsync(server.Client, new Uri(actorUrl).PathAndQuery, "application/activity+json");
        Assert.Equal(key.GetProperty("publicKeyPem").GetString(), again.GetProperty("publicKey").GetProperty("publicKeyPem").GetString());
        var (outboxStatus, _, outbox) = await GetAsync(server.Client, new Uri(actor.GetProperty("outbox").GetString()!).PathAndQuery, "application/activity+json");
        Assert.Equal((HttpStatusCode.OK, "OrderedCollection", 0), (outboxStatus, outbox.GetProperty("type").GetString(), outbox.GetProperty("totalItems").GetInt32()));

        // Not there: a members-only council (by handle or id), a handle of another host, an unknown one; a resource that is no acct: is a bad request.
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(server.Client, $"/.well-known/webfinger?resource=acct:quiet_council@{host}", "application/jrd+json")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(server.Client, $"/ap/councils/{quiet}", "application/activity+json")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(server.Client, $"/ap/councils/{quiet}/outbox", "application/activity+json")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(server.Client, "/.well-known/webfinger?resource=acct:bakery_workers_council@elsewhere.example", "application/jrd+json")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(server.Client, $"/.well-known/webfinger?resource=acct:nobody@{host}", "application/jrd+json")).Status);
        var bad = await GetAsync(server.Client, "/.well-known/webfinger?resource=https://example.org/", "application/jrd+json");
        Assert.Equal((HttpStatusCode.BadRequest, "invalid-parameter"), (bad.Status, bad.Body.GetProperty("code").GetString()));

        // The council's page names its handle and links its actor, as fediverse software looks for; a members-only one does neither.
        using var visitor = new Visitor(server.Client.BaseAddress!);
        string page = await (await visitor.GetAsync($"/councils/{council}")).Content.ReadAsStringAsync();
        Assert.Contains($"<link rel=\"alternate\" type=\"application/activity+json\" href=\"{actorUrl}\">", page, StringComparison.Ordinal);
        Assert.Contains($"@bakery_workers_council@{host}", page, StringComparison.Ordinal);
        using var member = await new Visitor(server.Client.BaseAddress!).SignInAsync(leyla);
        Assert.DoesNotContain("application/activity+json", await (await member.GetAsync($"/councils/{quiet}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_public_councils_posts_are_in_its_outbox_as_Create_of_a_Note_or_an_Article_and_a_hidden_or_taken_back_one_is_not(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        string council = await api.CreateCouncilAsync(leyla, name: "Bakery workers' council");
        string shortPost = (await api.PostAsync($"/councils/{council}/posts", new { kind = "news", title = "Strike on Monday", text = "All lines stop at **six**." }, leyla)).Ok().Id;
        string longPost = (await api.PostAsync($"/councils/{council}/posts", new { kind = "report", title = "What we decided", text = string.Join("\n\n", Enumerable.Repeat("A long report of the meeting, line after line.", 20)) }, leyla)).Ok().Id;
        string gone = (await api.PostAsync($"/councils/{council}/posts", new { kind = "news", title = "Taken back", text = "Oops." }, leyla)).Ok().Id;
        (await api.SendAsync(HttpMethod.Delete, $"/posts/{gone}", null, leyla)).Ok();
        string actorUrl = new Uri(server.Client.BaseAddress!, $"/ap/councils/{council}").ToString();

        var (_, _, outbox) = await GetAsync(server.Client, $"/ap/councils/{council}/outbox", "application/activity+json");
        Assert.Equal(2, outbox.GetProperty("totalItems").GetInt32());
        var (_, _, page) = await GetAsync(server.Client, new Uri(outbox.GetProperty("first").GetString()!).PathAndQuery, "application/activity+json");
        var items = page.GetProperty("orderedItems").EnumerateArray().ToList();
        Assert.All(items, a =>
        {
            Assert.Equal(("Create", actorUrl), (a.GetProperty("type").GetString(), a.GetProperty("actor").GetString()));
            Assert.Equal(PostObjectsPublic, a.GetProperty("to")[0].GetString());
            Assert.Equal(actorUrl, a.GetProperty("object").GetProperty("attributedTo").GetString());
        });
        var article = items[0].GetProperty("object");
        Assert.Equal(("Article", "What we decided"), (article.GetProperty("type").GetString(), article.GetProperty("name").GetString()));
        var note = items[1].GetProperty("object");
        Assert.Equal("Note", note.GetProperty("type").GetString());
        Assert.Equal("<p><strong>Strike on Monday</strong></p><p>All lines stop at <strong>six</strong>.</p>\n", note.GetProperty("content").GetString());

        // Each object is where its id says; one taken back is not there.
        var (status, _, fetched) = await GetAsync(server.Client, new Uri(note.GetProperty("id").GetString()!).PathAndQuery, "application/activity+json");
        Assert.Equal((HttpStatusCode.OK, note.GetProperty("content").GetString()), (status, fetched.GetProperty("content").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(server.Client, $"/ap/posts/{gone}", "application/activity+json")).Status);
        Assert.NotNull(shortPost + longPost);
    }

    private const string PostObjectsPublic = "https://www.w3.org/ns/activitystreams#Public";
}
