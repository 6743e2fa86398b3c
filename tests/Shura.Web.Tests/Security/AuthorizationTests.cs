using System.Net;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Security;

/// <summary>One server and four people for the whole table: each row sets up a fresh council of its own.</summary>
public abstract class AuthorizationFixture(string engine) : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;
    public Api Api { get; private set; } = null!;
    public Person Member { get; private set; } = null!;
    public Person Fellow { get; private set; } = null!;
    public Person Outsider { get; private set; } = null!;
    public Person OtherCouncils { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Every row of the table makes a council of its own on this one server: far past what one
        // person may make in a minute, a limit tested on its own.
        Server = await TestServer.StartAsync(engine, limits: new Shura.Web.Site.Limits { Creations = (10_000, 10_000) });
        Api = Server.Api();
        Member = await Api.RegisterAsync("Leyla");
        Fellow = await Api.RegisterAsync("Farid");
        Outsider = await Api.RegisterAsync("Nasrin");
        OtherCouncils = await Api.RegisterAsync("Omid");
        await Api.CreateCouncilAsync(OtherCouncils, name: "Another council");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// Every route against every kind of caller: anonymous, an account that is no member, a member,
/// and a member of another council. Nobody gets a power members lack (P4): no route lets one
/// account change what only a motion may change.
/// </summary>
public abstract class AuthorizationTests(AuthorizationFixture f)
{
    public enum Role
    {
        Anonymous,
        NonMember,
        Member,
        OtherCouncilsMember,
    }

    /// <summary>Each route: how to set it up, and its expected status for anonymous, non-member, member, other council's member.</summary>
    public static TheoryData<string, Role, int> Table()
    {
        var rows = new TheoryData<string, Role, int>();
        void Route(string route, int anonymous, int nonMember, int member, int other)
        {
            rows.Add(route, Role.Anonymous, anonymous);
            rows.Add(route, Role.NonMember, nonMember);
            rows.Add(route, Role.Member, member);
            rows.Add(route, Role.OtherCouncilsMember, other);
        }
        Route("GET council", 200, 200, 200, 200);
        Route("GET members-only council", 404, 404, 200, 404);
        Route("PATCH council settings", 401, 403, 202, 403);
        Route("GET motions", 200, 200, 200, 200);
        Route("GET members-only motions", 404, 404, 200, 404);
        Route("POST join", 401, 201, 409, 201);
        Route("DELETE leave", 401, 409, 204, 409);
        Route("POST invitation", 401, 403, 201, 403);
        Route("POST motion", 401, 403, 201, 403);
        Route("GET log", 200, 200, 200, 200);
        Route("GET members-only log", 404, 404, 200, 404);
        Route("GET motion", 200, 200, 200, 200);
        Route("GET members-only motion", 404, 404, 200, 404);
        Route("POST propose", 401, 403, 200, 403);
        Route("POST support", 401, 403, 200, 403);
        Route("POST amendment", 401, 403, 201, 403);
        Route("POST adopt", 401, 403, 200, 403);
        Route("PUT ballot", 401, 403, 200, 403);
        Route("DELETE ballot", 401, 403, 204, 403);
        Route("POST council", 401, 201, 201, 201);
        Route("GET tokens", 401, 200, 200, 200);
        Route("DELETE someone else's token", 401, 404, 404, 404);
        Route("GET me", 401, 200, 200, 200);
        Route("POST mandate", 401, 403, 201, 403);
        Route("GET mandate", 200, 200, 200, 200);
        Route("GET members-only mandate", 404, 404, 200, 404);
        Route("PUT standing ballot", 401, 403, 200, 403);
        Route("POST schedule without holding the power", 401, 403, 403, 403); // the founder included: no power without a mandate
        Route("PUT delegation", 401, 403, 204, 403);
        Route("GET council actions", 200, 200, 200, 200);
        return rows;
    }

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Each_route_answers_each_caller_as_the_table_says(string route, Role role, int expected)
    {
        var api = f.Api;
        Person? caller = role switch
        {
            Role.NonMember => f.Outsider,
            Role.Member => f.Member,
            Role.OtherCouncilsMember => f.OtherCouncils,
            _ => null,
        };
        bool membersOnly = route.Contains("members-only", StringComparison.Ordinal);
        var settings = new { supportThreshold = 3, deliberationPeriod = "P1D", votingPeriod = "P1D", visibility = membersOnly ? "members" : "public" };
        string council = await api.CreateCouncilAsync(f.Member, settings);
        await api.JoinByInvitationAsync(council, f.Member, f.Fellow);
        string c = $"/councils/{council}";

        async Task<string> Motion(string state, Person proposer) =>
            (await api.PostAsync($"{c}/motions", new { kind = "decision", title = "Buy flour", text = "", draft = state == "draft" }, proposer)).Ok().Id;

        // Motions in deliberation or voting come from a council whose settings make them immediate.
        async Task<string> QuickMotion(string state, Person proposer)
        {
            var quick = new { supportThreshold = 1, deliberationPeriod = state == "deliberation" ? "P1D" : "PT0S", votingPeriod = "P1D", visibility = "public" };
            string quickCouncil = await api.CreateCouncilAsync(f.Member, quick);
            await api.JoinAsync(quickCouncil, f.Fellow);
            return (await api.PostAsync($"/councils/{quickCouncil}/motions", new { kind = "decision", title = "Buy flour", text = "" }, proposer)).Ok().Id;
        }

        Reply reply;
        switch (route)
        {
            case "GET council" or "GET members-only council":
                reply = await api.GetAsync(c, caller);
                break;
            case "PATCH council settings":
                reply = await api.SendAsync(HttpMethod.Patch, c, new { settings = new { secretBallots = false } }, caller);
                var after = (await api.GetAsync(c, f.Member)).Ok().Body.GetProperty("settings");
                Assert.True(after.GetProperty("secretBallots").GetBoolean()); // only a motion, if it passes, changes settings
                break;
            case "GET motions" or "GET members-only motions":
                reply = await api.GetAsync($"{c}/motions", caller);
                break;
            case "POST join":
                reply = await api.PostAsync($"{c}/members", null, caller);
                break;
            case "DELETE leave":
                reply = await api.SendAsync(HttpMethod.Delete, $"{c}/members/me", null, caller);
                break;
            case "POST invitation":
                reply = await api.PostAsync($"{c}/invitations", null, caller);
                break;
            case "POST motion":
                reply = await api.PostAsync($"{c}/motions", new { kind = "decision", title = "Buy flour", text = "" }, caller);
                break;
            case "GET log" or "GET members-only log":
                reply = await api.GetAsync($"{c}/log", caller);
                break;
            case "GET motion" or "GET members-only motion":
                reply = await api.GetAsync($"/motions/{await Motion("proposed", f.Member)}", caller);
                break;
            case "POST propose":
                reply = await api.PostAsync($"/motions/{await Motion("draft", f.Member)}/propose", null, caller);
                break;
            case "POST support":
                reply = await api.PostAsync($"/motions/{await Motion("proposed", f.Fellow)}/support", null, caller);
                break;
            case "POST amendment":
                reply = await api.PostAsync($"/motions/{await QuickMotion("deliberation", f.Member)}/amendments", new { text = "Buy rye flour." }, caller);
                break;
            case "POST adopt":
                string amended = await QuickMotion("deliberation", f.Member);
                (await api.PostAsync($"/motions/{amended}/amendments", new { text = "Buy rye flour." }, f.Fellow)).Ok();
                reply = await api.PostAsync($"/motions/{amended}/amendments/1/adopt", null, caller);
                break;
            case "PUT ballot":
                reply = await api.CastAsync(await QuickMotion("voting", f.Member), caller, new { choice = "yes" });
                break;
            case "DELETE ballot":
                string voted = await QuickMotion("voting", f.Member);
                (await api.CastAsync(voted, f.Member, new { choice = "yes" })).Ok();
                reply = await api.SendAsync(HttpMethod.Delete, $"/motions/{voted}/ballot", null, caller);
                break;
            case "POST council":
                reply = await api.PostAsync("/councils", new { name = "A new council", description = "" }, caller);
                break;
            case "GET tokens":
                reply = await api.GetAsync("/tokens", caller);
                break;
            case "DELETE someone else's token":
                string fellowsToken = (await api.GetAsync("/tokens", f.Fellow)).Ok().Body[0].GetProperty("id").GetString()!;
                reply = await api.SendAsync(HttpMethod.Delete, $"/tokens/{fellowsToken}", null, caller);
                (await api.GetAsync("/me", f.Fellow)).Ok(); // still works
                break;
            case "GET me":
                reply = await api.GetAsync("/me", caller);
                break;
            case "POST mandate":
                reply = await api.PostAsync($"{c}/mandates", new { name = "Convener", kind = "convener", seats = 1 }, caller);
                break;
            case "GET mandate" or "GET members-only mandate":
                string treasurer = (await api.PostAsync($"{c}/mandates", new { name = "Treasurer", kind = "role", seats = 1 }, f.Member)).Ok().Id;
                reply = await api.GetAsync($"/mandates/{treasurer}", caller);
                break;
            case "PUT standing ballot":
                string standing = (await api.PostAsync($"{c}/mandates", new { name = "Convener", kind = "convener", seats = 1, continuous = true }, f.Member)).Ok().Id;
                reply = await api.SendAsync(HttpMethod.Put, $"/mandates/{standing}/ranking", new { ranking = new[] { f.Fellow.Id } }, caller);
                break;
            case "POST schedule without holding the power":
                // The fellow holds the convener's seat (a continuous election fills it at once) with the power to schedule.
                string convener = (await api.PostAsync($"{c}/mandates",
                    new { name = "Convener", kind = "convener", seats = 1, continuous = true, powers = new[] { "schedule-motions" } }, f.Member)).Ok().Id;
                (await api.SendAsync(HttpMethod.Put, $"/mandates/{convener}/ranking", new { ranking = new[] { f.Fellow.Id } }, f.Fellow)).Ok();
                string proposal = await Motion("proposed", f.Member);
                reply = await api.PostAsync($"/motions/{proposal}/schedule", null, caller);
                Assert.Equal("proposed", await api.StateAsync(proposal));
                (await api.PostAsync($"/motions/{proposal}/schedule", null, f.Fellow)).Ok(); // the holder can
                break;
            case "PUT delegation":
                string delegating = await api.CreateCouncilAsync(f.Member, new { delegation = true });
                await api.JoinAsync(delegating, f.Fellow);
                // Secret ballots by default: votes go only to a public delegate.
                (await api.SendAsync(HttpMethod.Put, $"/councils/{delegating}/delegation/public", new { @public = true }, f.Fellow)).Ok();
                reply = await api.SendAsync(HttpMethod.Put, $"/councils/{delegating}/delegation", new { to = f.Fellow.Id }, caller);
                break;
            case "GET council actions":
                reply = await api.GetAsync($"{c}/actions", caller);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(route), route, "no such row");
        }

        Assert.True(expected == (int)reply.Status, $"{route} as {role}: expected {expected}, got {(int)reply.Status} {reply.Body}");
        if (expected >= 400)
        {
            Assert.Equal("application/problem+json", reply.ContentType);
            Assert.NotNull(reply.Code);
        }
    }
}

public sealed class AuthorizationFixtureOnSqlite() : AuthorizationFixture(Engines.Sqlite);

public sealed class AuthorizationFixtureOnPostgres() : AuthorizationFixture(Engines.PostgresOrSqlite);

public class AuthorizationOnSqlite(AuthorizationFixtureOnSqlite f) : AuthorizationTests(f), IClassFixture<AuthorizationFixtureOnSqlite>;

public class AuthorizationOnPostgres(AuthorizationFixtureOnPostgres f) : AuthorizationTests(f), IClassFixture<AuthorizationFixtureOnPostgres>;
