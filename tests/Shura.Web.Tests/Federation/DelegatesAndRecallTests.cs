using System.Net;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Federation;

/// <summary>
/// A bakery's workers' council sends two delegates to the city federation, and keeps the power to
/// take either back at any moment.
/// </summary>
public class DelegatesAndRecallTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_delegate_is_recalled_in_the_request_that_crosses_the_threshold_and_their_federation_ballot_goes_with_them(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var world = new World(server);
        var api = world.Api;
        var workers = await world.PeopleAsync("Leyla", "Babak", "Chen", "Dara", "Elham");
        var (leyla, babak, chen, dara, elham) = (workers[0], workers[1], workers[2], workers[3], workers[4]);
        string city = await world.FederationAsync("City federation", leyla, seatRatio: 3); // 5 members: two seats
        string bakery = await world.CouncilAsync("Bakery workers", workers);
        await world.JoinFederationAsync(bakery, workers, city);

        // The council elects two delegates by STV.
        string mandate = await world.ElectDelegatesAsync(bakery, workers, city, [leyla, babak, chen]);
        var seated = await world.MandateAsync(mandate);
        Assert.Equal(new[] { babak.Id, leyla.Id }.Order(), World.Holders(seated).Order());
        Assert.Equal(2, seated.GetProperty("seats").GetInt32());

        // In the federation the delegates vote: Leyla yes, Babak no.
        string tramLine = await api.PutMotionAsync(city, leyla, new { kind = "decision", title = "Extend the tram line", text = "" });
        (await api.CastAsync(tramLine, leyla, new { choice = "yes" })).Ok();
        (await api.CastAsync(tramLine, babak, new { choice = "no" })).Ok();
        Assert.Equal(1, World.Count(await api.MotionAsync(tramLine), "yes"));
        Assert.Equal(403, (int)(await api.CastAsync(tramLine, chen, new { choice = "yes" })).Status); // not a delegate

        // The workers withdraw confidence from Leyla: three of five is more than half.
        var afterTwo = (await api.SendAsync(HttpMethod.Put, $"/mandates/{mandate}/holders/{leyla.Id}/confidence", new { withdrawn = true }, chen)).Ok().Body;
        afterTwo = (await api.SendAsync(HttpMethod.Put, $"/mandates/{mandate}/holders/{leyla.Id}/confidence", new { withdrawn = true }, dara)).Ok().Body;
        var leylaHolds = afterTwo.GetProperty("holders").EnumerateArray().Single(h => h.GetProperty("person").GetString() == leyla.Id);
        Assert.Equal((2, 3), (leylaHolds.GetProperty("withdrawals").GetInt64(), leylaHolds.GetProperty("threshold").GetInt64()));

        var crossing = (await api.SendAsync(HttpMethod.Put, $"/mandates/{mandate}/holders/{leyla.Id}/confidence", new { withdrawn = true }, elham)).Ok().Body;

        Assert.Equal([babak.Id], World.Holders(crossing));          // recalled in this very answer
        Assert.Equal(1, crossing.GetProperty("vacant").GetInt32());
        string byElection = crossing.GetProperty("byElection").GetString()!;
        Assert.Equal("deliberation", await api.StateAsync(byElection)); // open for nominations
        var tram = await api.MotionAsync(tramLine);
        Assert.Equal((0, 1), (World.Count(tram, "yes"), World.Count(tram, "no"))); // her ballot is gone from the live result
        Assert.Equal(403, (int)(await api.CastAsync(tramLine, leyla, new { choice = "yes" })).Status); // and her powers with it
        var log = await api.LogAsync(bakery);
        var recall = log.Single(e => e.GetProperty("type").GetString() == "holder-recalled");
        Assert.Contains("\"withdrawals\":3", recall.GetProperty("payload").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"electorate\":5", recall.GetProperty("payload").GetString(), StringComparison.Ordinal);

        // A nomination for the by-election.
        (await api.PostAsync($"/motions/{byElection}/candidates", new { person = dara.Id }, chen)).Ok();
        Assert.Equal([dara.Id], (await api.MotionAsync(byElection)).GetProperty("options").EnumerateArray().Select(o => o.GetString()));

        world.Verify();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Restoring_confidence_before_the_threshold_prevents_the_recall(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var world = new World(server);
        var api = world.Api;
        var members = await world.PeopleAsync("Leyla", "Babak", "Chen", "Dara", "Elham");
        string council = await world.CouncilAsync("Neighbourhood council", members);
        string mandate = (await api.PostAsync($"/councils/{council}/mandates", new { name = "Convener", kind = "convener", seats = 1, powers = new[] { "schedule-motions" } }, members[0])).Ok().Id;
        string election = await api.PutMotionAsync(council, members[0], new { kind = "election", title = "Convener", text = "", mandate, method = "irv", candidates = new[] { members[1].Id } });
        (await api.CastAsync(election, members[0], new { ranking = new[] { members[1].Id } })).Ok();
        await world.CloseAsync(election, "decided");
        string holder = members[1].Id;

        await api.SendAsync(HttpMethod.Put, $"/mandates/{mandate}/holders/{holder}/confidence", new { withdrawn = true }, members[2]);
        await api.SendAsync(HttpMethod.Put, $"/mandates/{mandate}/holders/{holder}/confidence", new { withdrawn = true }, members[3]);
        await api.SendAsync(HttpMethod.Put, $"/mandates/{mandate}/holders/{holder}/confidence", new { withdrawn = false }, members[2]); // restored
        var after = (await api.SendAsync(HttpMethod.Put, $"/mandates/{mandate}/holders/{holder}/confidence", new { withdrawn = true }, members[4])).Ok().Body;

        Assert.Equal([holder], World.Holders(after));
        Assert.Equal(2, after.GetProperty("holders")[0].GetProperty("withdrawals").GetInt64());

        world.Verify();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_member_leaving_can_tip_the_balance_into_a_recall(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var world = new World(server);
        var api = world.Api;
        var members = await world.PeopleAsync("A", "B", "C", "D", "E", "F");
        string council = await world.CouncilAsync("School council", members);
        string mandate = (await api.PostAsync($"/councils/{council}/mandates", new { name = "Treasurer", kind = "role", seats = 1 }, members[0])).Ok().Id;
        string election = await api.PutMotionAsync(council, members[0], new { kind = "election", title = "Treasurer", text = "", mandate, method = "irv", candidates = new[] { members[0].Id } });
        (await api.CastAsync(election, members[1], new { ranking = new[] { members[0].Id } })).Ok();
        await world.CloseAsync(election, "decided");
        foreach (var member in members[1..4])
        {
            (await api.SendAsync(HttpMethod.Put, $"/mandates/{mandate}/holders/{members[0].Id}/confidence", new { withdrawn = true }, member)).Ok();
        }
        Assert.Single(World.Holders(await world.MandateAsync(mandate))); // 3 of 6 is not more than half

        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"/councils/{council}/members/me", null, members[5])).Status);

        var after = await world.MandateAsync(mandate); // 3 of 5 is
        Assert.Empty(World.Holders(after));
        Assert.Equal(5, after.GetProperty("electorate").GetInt64());

        world.Verify();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_recall_motion_recalls_the_holder_when_it_passes(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var world = new World(server);
        var api = world.Api;
        var members = await world.PeopleAsync("A", "B", "C");
        string council = await world.CouncilAsync("Tenants' council", members);
        string mandate = (await api.PostAsync($"/councils/{council}/mandates", new { name = "Spokesperson", kind = "role", seats = 1 }, members[0])).Ok().Id;
        string election = await api.PutMotionAsync(council, members[0], new { kind = "election", title = "Spokesperson", text = "", mandate, candidates = new[] { members[2].Id } });
        (await api.CastAsync(election, members[0], new { ranking = new[] { members[2].Id } })).Ok();
        await world.CloseAsync(election, "decided");

        string recall = await api.PutMotionAsync(council, members[0], new { kind = "recall", title = "Recall the spokesperson", text = "", mandate, holder = members[2].Id });
        var opened = await api.MotionAsync(recall);
        Assert.Equal(("voting", "1/3"), (opened.GetProperty("state").GetString(), opened.GetProperty("quorum").GetString()));
        (await api.CastAsync(recall, members[0], new { choice = "yes" })).Ok();
        await server.AdvanceAsync(TimeSpan.FromHours(24));
        await server.StateAsync(recall, "in-force");

        Assert.Empty(World.Holders(await world.MandateAsync(mandate)));

        world.Verify();
    }
}
