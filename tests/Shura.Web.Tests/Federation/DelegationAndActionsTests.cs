using System.Net;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Federation;

/// <summary>Delegation inside a council, and actions that carry out what the council decided.</summary>
public class DelegationAndActionsTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Delegated_votes_follow_the_chain_and_a_direct_ballot_overrides_it(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var world = new World(server);
        var api = world.Api;
        var members = await world.PeopleAsync("Leyla", "Babak", "Chen", "Dara", "Elham");
        var (leyla, babak, chen, dara, elham) = (members[0], members[1], members[2], members[3], members[4]);
        string council = await world.CouncilAsync("Tenants", members,
            new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H", secretBallots = false, delegation = true });
        // Babak → Leyla, Chen → Babak (so also Leyla), Dara → Chen, for the whole council.
        foreach (var (truster, trustee) in new[] { (babak, leyla), (chen, babak), (dara, chen) })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Put, $"/councils/{council}/delegation", new { to = trustee.Id }, truster)).Status);
        }
        string motion = await api.PutMotionAsync(council, elham, new { kind = "decision", title = "Repaint the stairs", text = "" });

        (await api.CastAsync(motion, leyla, new { choice = "yes" })).Ok();
        (await api.CastAsync(motion, elham, new { choice = "no" })).Ok();
        var live = await api.MotionAsync(motion);
        Assert.Equal((4, 1), (World.Count(live, "yes"), World.Count(live, "no"))); // Leyla carries Babak, Chen and Dara
        var seen = (await api.MotionAsync(motion, dara)).GetProperty("myBallot");
        Assert.Equal(("yes", leyla.Id), (seen.GetProperty("ballot").GetProperty("choice").GetString(), seen.GetProperty("via").GetString()));

        (await api.CastAsync(motion, chen, new { choice = "no" })).Ok(); // Chen votes himself: he and Dara leave Leyla's chain
        live = await api.MotionAsync(motion);
        Assert.Equal((2, 3), (World.Count(live, "yes"), World.Count(live, "no")));

        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"/councils/{council}/delegation", null, babak)).Status);
        live = await api.MotionAsync(motion);
        Assert.Equal((1, 3), (World.Count(live, "yes"), World.Count(live, "no")));
        var closed = await world.CloseAsync(motion, "rejected");
        Assert.Equal((1, 3), (World.Count(closed, "yes"), World.Count(closed, "no")));

        world.Verify(); // the recount from the log follows the same chains
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Actions_carry_out_a_decision_and_overdue_ones_are_listed_for_the_council(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var world = new World(server);
        var api = world.Api;
        var members = await world.PeopleAsync("Leyla", "Babak", "Chen");
        string council = await world.CouncilAsync("Bakery", members);
        string decision = await world.PassAsync(council, members, new { kind = "decision", title = "Buy a second oven", text = "" });
        string mandate = (await api.PostAsync($"/councils/{council}/mandates", new { name = "Oven buyers", kind = "executor", seats = 1 }, members[0])).Ok().Id;
        string election = await api.PutMotionAsync(council, members[0], new { kind = "election", title = "Who buys the oven", text = "", mandate, candidates = new[] { members[1].Id } });
        (await api.CastAsync(election, members[0], new { ranking = new[] { members[1].Id } })).Ok();
        await world.CloseAsync(election, "decided");
        var due = server.Clock!.GetUtcNow().AddDays(7);

        string action = (await api.PostAsync($"/motions/{decision}/actions", new { description = "Find and order the oven", due, executors = mandate }, members[2])).Ok().Id;
        Assert.Equal("not-an-executor", (await api.PostAsync($"/actions/{action}/reports", new { text = "I called a supplier" }, members[2])).Code);
        (await api.PostAsync($"/actions/{action}/volunteers", null, members[2])).Ok();
        (await api.PostAsync($"/actions/{action}/reports", new { text = "I called a supplier", status = "in-progress" }, members[2])).Ok();
        var view = (await api.PostAsync($"/actions/{action}/reports", new { text = "Ordered; delivery in two weeks" }, members[1])).Ok().Body;
        Assert.Equal(("in-progress", 2), (view.GetProperty("status").GetString(), view.GetProperty("reports").GetArrayLength()));
        Assert.Empty((await api.GetAsync($"/councils/{council}/actions?overdue=true")).Ok().Body.EnumerateArray());

        await server.AdvanceAsync(TimeSpan.FromDays(8));

        var overdue = (await api.GetAsync($"/councils/{council}/actions?overdue=true")).Ok().Body;
        Assert.Equal(action, overdue[0].GetProperty("id").GetString());
        Assert.True(overdue[0].GetProperty("overdue").GetBoolean());

        // The executor is recallable like any holder: recalled, they can no longer report.
        foreach (var member in members[..2])
        {
            (await api.SendAsync(HttpMethod.Put, $"/mandates/{mandate}/holders/{members[1].Id}/confidence", new { withdrawn = true }, member)).Ok();
        }
        Assert.Equal("not-an-executor", (await api.PostAsync($"/actions/{action}/reports", new { text = "Still on it" }, members[1])).Code);

        world.Verify();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Bad_mandate_federation_and_delegation_requests_are_refused_and_change_nothing(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var world = new World(server);
        var api = world.Api;
        var members = await world.PeopleAsync("Leyla", "Babak", "Chen");
        var outsider = (await world.PeopleAsync("Omid"))[0];
        string council = await world.CouncilAsync("Bakery", members,
            new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H", delegation = true });
        string mandate = (await api.PostAsync($"/councils/{council}/mandates", new { name = "Convener", kind = "convener", seats = 1 }, members[0])).Ok().Id;
        string election = await api.PutMotionAsync(council, members[0], new { kind = "election", title = "Convener", text = "", mandate, candidates = new[] { members[0].Id } });
        (await api.CastAsync(election, members[1], new { ranking = new[] { members[0].Id } })).Ok();
        await world.CloseAsync(election, "decided");
        string outer = await world.FederationAsync("City", members[0], votingPeriod: "PT1H");
        string inner = await world.FederationAsync("District", members[0], votingPeriod: "PT1H");
        string rent = await api.PutMotionAsync(council, members[0], new { kind = "decision", title = "A closed question", text = "" });
        await world.CloseAsync(rent, "rejected");
        int before = (await api.LogAsync(council)).Length;

        async Task Refused(Reply reply, int status, string code)
        {
            Assert.Equal((status, code), ((int)reply.Status, reply.Code));
            Assert.Equal("application/problem+json", reply.ContentType);
            Assert.Equal(before, (await api.LogAsync(council)).Length);
        }

        await Refused(await api.SendAsync(HttpMethod.Put, $"/mandates/{mandate}/holders/{members[1].Id}/confidence", new { withdrawn = true }, members[2]), 409, "not-a-holder");
        await Refused(await api.SendAsync(HttpMethod.Put, $"/mandates/{mandate}/holders/{members[0].Id}/confidence", new { withdrawn = true }, outsider), 403, "not-an-elector");
        await Refused(await api.PostAsync($"/councils/{council}/motions", new { kind = "recall", title = "Recall", text = "", mandate, holder = members[1].Id }, members[2]), 409, "not-a-holder");
        await Refused(await api.SendAsync(HttpMethod.Put, $"/councils/{council}/delegation", new { to = outsider.Id }, members[1]), 422, "trustee-not-a-member");
        await Refused(await api.SendAsync(HttpMethod.Put, $"/councils/{council}/delegation", new { to = members[1].Id }, members[1]), 422, "self-delegation");
        await Refused(await api.PostAsync($"/councils/{council}/motions", new { kind = "instruction", title = "x", text = "", federationMotion = rent, ballot = new { choice = "yes" } }, members[0]), 422, "unknown-motion");
        await Refused(await api.PostAsync($"/councils/{council}/mandates", new { name = "Delegates", kind = "delegate", federation = outer }, members[0]), 422, "not-in-federation");

        // A federation cycle: the district joins the city; the city may not then join the district.
        var districtFounder = members[0];
        string districtBase = await world.CouncilAsync("District base", [districtFounder]);
        await world.JoinFederationAsync(districtBase, [districtFounder], inner);
        await world.ElectDelegatesAsync(districtBase, [districtFounder], inner, [districtFounder], method: "irv");
        await world.JoinFederationAsync(inner, [districtFounder], outer);
        string cityBase = await world.CouncilAsync("City base", [members[1]]);
        await world.JoinFederationAsync(cityBase, [members[1]], outer);
        await world.ElectDelegatesAsync(cityBase, [members[1]], outer, [members[1]], method: "irv");
        var cycle = await api.PostAsync($"/councils/{outer}/motions", new { kind = "federate", title = "Join the district", text = "", federation = inner }, members[1]);
        Assert.Equal((422, "federation-cycle"), ((int)cycle.Status, cycle.Code));
        var self = await api.PostAsync($"/councils/{inner}/motions", new { kind = "federate", title = "Join ourselves", text = "", federation = inner }, districtFounder);
        Assert.Equal(422, (int)self.Status);

        // An instruction on a federation motion that has closed.
        string closed = await api.PutMotionAsync(inner, districtFounder, new { kind = "decision", title = "A closed federation question", text = "" });
        await world.CloseAsync(closed, "rejected");
        int baseLog = (await api.LogAsync(districtBase)).Length;
        var late = await api.PostAsync($"/councils/{districtBase}/motions",
            new { kind = "instruction", title = "Too late", text = "", federationMotion = closed, ballot = new { choice = "yes" } }, districtFounder);
        Assert.Equal((409, "motion-closed"), ((int)late.Status, late.Code));
        Assert.Equal(baseLog, (await api.LogAsync(districtBase)).Length);

        world.Verify();
    }
}
