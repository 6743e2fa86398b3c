using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.SignalR.Client;
using Shura.Web.Accounts;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Security;

/// <summary>
/// The one web edge: the API, the pages and the live hub know a person the same way (a token or
/// the cookie, through ASP.NET Core's authentication), the API never by the cookie, and the rate
/// limits hold for the API as for the pages.
/// </summary>
public class WebEdgeTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    /// <summary>
    /// The class, not a case: every route of the API that needs a person, sent with a signed-in
    /// browser's cookie but no token (what another site could make a browser send), is a 401 that
    /// writes nothing.
    /// </summary>
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_api_never_takes_the_sign_in_cookie_for_a_person(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        var world = new World(server);
        var people = await world.PeopleAsync("Leyla", "Babak");
        string council = await world.CouncilAsync("Bakery workers", people);
        string motion = await world.Api.PutMotionAsync(council, people[0], new { kind = "decision", title = "Buy flour", text = "" });
        using var visitor = await new Visitor(server.Client.BaseAddress!).SignInAsync(people[0]);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync("/councils/new")).StatusCode); // the cookie signs in the pages
        var before = Store.Snapshot(server.Database);

        var routes = await Routes.ApiAsync(server);
        var tried = 0;
        foreach (var (method, template) in routes.Where(r => r.Template.StartsWith("/api/v1/", StringComparison.Ordinal)))
        {
            string path = Routes.Fill(template, Routes.Subject(template) == "motions" ? motion : council, () => people[1].Id);
            using var request = new HttpRequestMessage(method, path);
            if (method != HttpMethod.Get && method != HttpMethod.Delete)
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }
            using var response = await visitor.SendAsync(request);
            if (template is "/api/v1/accounts" or "/api/v1/tokens" or "/api/v1/verifications" or "/api/v1/password-resets" or "/api/v1/password-resets/{token}"
                && method == HttpMethod.Post)
            {
                continue; // open to anyone: they take no person (a link's token or an address is what they act on)
            }
            string body = await response.Content.ReadAsStringAsync();
            if (method == HttpMethod.Get && response.StatusCode != HttpStatusCode.Unauthorized)
            {
                // A read open to anyone: it must answer as to anyone, not as to the cookie's owner.
                Assert.DoesNotContain("\"member\":true", body, StringComparison.Ordinal);
                continue;
            }
            tried++;
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {template} with the cookie: {(int)response.StatusCode} {body}");
            Assert.Contains("\"code\":\"unauthenticated\"", body, StringComparison.Ordinal);
        }
        Assert.True(tried >= 25, $"only {tried} routes that need a person were tried");
        Assert.Equal(before, Store.Snapshot(server.Database));
    }

    [Fact]
    public async Task A_token_signs_in_the_pages_and_the_live_hub_as_the_cookie_does()
    {
        await using var server = await TestServer.StartAsync();
        var world = new World(server);
        var people = await world.PeopleAsync("Leyla", "Babak");
        string council = await world.Api.CreateCouncilAsync(people[0], Api.QuickSettings(voting: "PT1H", visibility: "members"));
        await world.Api.JoinByInvitationAsync(council, people[0], people[1]);
        using var http = new HttpClient { BaseAddress = server.Client.BaseAddress };

        using (var anonymous = await http.GetAsync($"/councils/{council}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);
        }
        using (var page = new HttpRequestMessage(HttpMethod.Get, $"/councils/{council}"))
        {
            page.Headers.Authorization = new AuthenticationHeaderValue("Bearer", people[1].Token);
            using var shown = await http.SendAsync(page);
            Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
            Assert.Contains("Babak", await shown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The hub, asked by token, tells its member of a change in the members-only council; asked by a stranger's token, nothing.
        var stranger = (await world.PeopleAsync("Omid"))[0];
        var heard = new List<string>();
        var strangerHeard = new List<string>();
        await using var member = await WatchAsync(server, people[1], council, heard);
        await using var outsider = await WatchAsync(server, stranger, council, strangerHeard);
        await world.Api.PutMotionAsync(council, people[0], new { kind = "decision", title = "Buy flour", text = "" });
        await Wait.UntilAsync(() => { lock (heard) { return Task.FromResult(heard.Count > 0); } }, "the member hearing of the change");
        lock (strangerHeard)
        {
            Assert.Empty(strangerHeard);
        }

        // A revoked token signs nobody in anywhere, at once.
        var tokens = (await world.Api.GetAsync("/tokens", people[1])).Ok().Body;
        (await world.Api.SendAsync(HttpMethod.Delete, $"/tokens/{tokens[0].GetProperty("id").GetString()}", null, people[1])).Ok();
        Assert.Equal(HttpStatusCode.Unauthorized, (await world.Api.GetAsync("/me", people[1])).Status);
        using var again = new HttpRequestMessage(HttpMethod.Get, $"/councils/{council}");
        again.Headers.Authorization = new AuthenticationHeaderValue("Bearer", people[1].Token);
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(again)).StatusCode);
    }

    /// <summary>The ballot limit covers the API as it covers the pages: past it, a 429 problem that writes nothing, whichever way the ballot came.</summary>
    [Fact]
    public async Task The_ballot_limit_holds_for_the_api_and_the_pages_alike_and_a_refusal_writes_nothing()
    {
        await using var server = await TestServer.StartAsync(limits: Shura.Web.Site.Limits.Default with { Ballots = (4, 1) });
        var world = new World(server);
        var people = await world.PeopleAsync("Leyla");
        string council = await world.Api.CreateCouncilAsync(people[0], Api.QuickSettings(voting: "PT1H"));
        string motion = await world.Api.PutMotionAsync(council, people[0], new { kind = "decision", title = "Buy flour", text = "" });
        for (int i = 0; i < 4; i++)
        {
            (await world.Api.CastAsync(motion, people[0], new { choice = i % 2 == 0 ? "yes" : "no" })).Ok();
        }
        using var visitor = await new Visitor(server.Client.BaseAddress!).SignInAsync(people[0]);
        var before = Store.Snapshot(server.Database);

        var api = await world.Api.CastAsync(motion, people[0], new { choice = "yes" });
        Assert.Equal((HttpStatusCode.TooManyRequests, "too-many-ballots", "application/problem+json"), (api.Status, api.Code, api.ContentType));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await world.Api.SendAsync(HttpMethod.Delete, $"/motions/{motion}/ballot", null, people[0])).Status);
        using var page = await visitor.PostAsync($"/motions/{motion}", $"/motions/{motion}?handler=cast", new() { ["choice"] = "yes" });
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Contains("Too many ballots in a short time", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, Store.Snapshot(server.Database));
        Assert.Equal("no", (await world.Api.MotionAsync(motion, people[0])).GetProperty("myBallot").GetProperty("ballot").GetProperty("choice").GetString());
    }

    /// <summary>A passkey ceremony's answer sent to the other kind of ceremony (adding a passkey, signing in) is the client's mistake: a 400, not a 500.</summary>
    [Fact]
    public async Task A_passkey_answer_for_the_other_ceremony_is_refused_as_a_mistake()
    {
        await using var server = await TestServer.StartAsync();
        var world = new World(server);
        var people = await world.PeopleAsync("Leyla");
        using var visitor = await new Visitor(server.Client.BaseAddress!).SignInAsync(people[0]);
        foreach (var (first, second) in new[] { ("creation-options", "assertion"), ("request-options", "attestation") })
        {
            using var options = new HttpRequestMessage(HttpMethod.Post, $"/passkeys/{first}");
            options.Headers.Add(PasskeyEndpoints.Header, "1");
            Assert.Equal(HttpStatusCode.OK, (await visitor.SendAsync(options)).StatusCode);
            using var answer = new HttpRequestMessage(HttpMethod.Post, $"/passkeys/{second}") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            answer.Headers.Add(PasskeyEndpoints.Header, "1");
            using var refused = await visitor.SendAsync(answer);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("no-passkey-ceremony", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Empty(server.Errors);
    }

    private static async Task<HubConnection> WatchAsync(TestServer server, Person person, string council, List<string> heard)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.Client.BaseAddress!, "/live"), o => o.Headers["Authorization"] = "Bearer " + person.Token)
            .Build();
        connection.On<string>("changed", m => { lock (heard) { heard.Add(m); } });
        await connection.StartAsync();
        await connection.InvokeAsync("Watch", council);
        return connection;
    }
}
