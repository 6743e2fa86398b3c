using System.Net;
using System.Text.Json;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Federation;

/// <summary>
/// A federation holds only what its members delegate (P4): base councils bind their delegates
/// with instructions, and can send any federation decision back to all their members.
/// </summary>
public class InstructionsAndReferralsTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_instruction_casts_and_locks_the_delegates_ballot_and_the_federation_shows_it(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var world = new World(server);
        var api = world.Api;
        var (city, bakery, _, bakers, tailors) = await world.CityOfTwoCouncilsAsync(weighted: true);
        string rent = await api.PutMotionAsync(city, tailors[0], new { kind = "decision", title = "Rent control", text = "" });

        await world.PassAsync(bakery, bakers, new { kind = "instruction", title = "Our delegate votes yes on rent control", text = "", federationMotion = rent, ballot = new { choice = "yes" } });

        var motion = await api.MotionAsync(rent);
        var instructed = motion.GetProperty("delegateBallots").EnumerateArray().Single();
        Assert.Equal((bakers[0].Id, "yes", true), (instructed.GetProperty("delegate").GetString(), instructed.GetProperty("ballot").GetProperty("choice").GetString(),
            instructed.GetProperty("locked").GetBoolean()));
        Assert.Equal(3, World.Count(motion, "yes")); // weighted: the bakery's three members
        var changed = await api.CastAsync(rent, bakers[0], new { choice = "no" });
        Assert.Equal((HttpStatusCode.Conflict, "instructed"), (changed.Status, changed.Code));
        Assert.Equal("instructed", (await api.SendAsync(HttpMethod.Delete, $"/motions/{rent}/ballot", null, bakers[0])).Code);
        (await api.CastAsync(rent, bakers[0], new { choice = "yes" })).Ok(); // casting what was instructed is fine

        // Each delegate carries their council's three members.
        await server.AdvanceAsync(TimeSpan.FromHours(3));
        var decided = await server.StateAsync(rent, "in-force");
        Assert.Equal((3, 6), (World.Count(decided, "yes"), decided.GetProperty("result").GetProperty("electorate").GetInt64()));
        // The page says these are weights, and whose: the delegates', listed with each one's weight.
        string page = await server.Client.GetStringAsync($"/motions/{rent}");
        Assert.Matches("3 of 3 weighted votes for: the ballots of the member councils(&#x27;|')", page);
        Assert.Contains("weight 3", page, StringComparison.Ordinal);

        world.Verify(); // the recount from the log gives the delegates the same weights
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Councils_with_forty_percent_of_the_weight_refer_a_decision_and_one_person_one_vote_decides(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var world = new World(server);
        var api = world.Api;
        var first = await world.PeopleAsync("A1", "A2", "A3", "A4");
        var second = await world.PeopleAsync("B1", "B2", "B3", "B4");
        var third = await world.PeopleAsync([.. Enumerable.Range(1, 12).Select(i => $"C{i}")]);
        string city = await world.FederationAsync("City federation", first[0]);
        var councils = new List<(string Id, Person[] People)>();
        foreach (var (people, name) in new[] { (first, "Bakery"), (second, "Print shop"), (third, "Hospital") })
        {
            string council = await world.CouncilAsync(name, people);
            await world.JoinFederationAsync(council, people, city);
            await world.ElectDelegatesAsync(council, people, city, [people[0]], method: "irv");
            councils.Add((council, people));
        }
        string budget = await api.PutMotionAsync(city, first[0], new { kind = "decision", title = "Close the night tram", text = "" });
        (await api.CastAsync(budget, first[0], new { choice = "yes" })).Ok();
        (await api.CastAsync(budget, second[0], new { choice = "yes" })).Ok();
        (await api.CastAsync(budget, third[0], new { choice = "no" })).Ok();
        Assert.Equal((2, 1), (World.Count(await api.MotionAsync(budget), "yes"), World.Count(await api.MotionAsync(budget), "no")));

        // The bakery (4 of 20 members) alone is not a third of the weight; with the print shop it is 40 %.
        await world.PassAsync(councils[0].Id, first, new { kind = "referral", title = "Everyone should decide the night tram", text = "", federationMotion = budget });
        Assert.False((await api.MotionAsync(budget)).GetProperty("referred").GetBoolean());
        await world.PassAsync(councils[1].Id, second, new { kind = "referral", title = "Everyone should decide the night tram", text = "", federationMotion = budget });
        var referred = await api.MotionAsync(budget);
        Assert.True(referred.GetProperty("referred").GetBoolean());
        Assert.Equal(0, referred.GetProperty("ballots").GetInt64()); // the delegates' ballots gave way

        // Every base member votes directly: 8 yes from the bakery and print shop, 12 no from the hospital.
        foreach (var person in first.Concat(second))
        {
            (await api.CastAsync(budget, person, new { choice = "yes" })).Ok();
        }
        foreach (var person in third)
        {
            (await api.CastAsync(budget, person, new { choice = "no" })).Ok();
        }
        await server.AdvanceAsync(TimeSpan.FromHours(3));
        var decided = await server.StateAsync(budget, "rejected");

        Assert.Equal((8, 12), (World.Count(decided, "yes"), World.Count(decided, "no")));
        Assert.Equal(20, decided.GetProperty("result").GetProperty("electorate").GetInt64());

        world.Verify();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Three_levels_of_councils_recall_and_refer_the_same_way(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var world = new World(server);
        var api = world.Api;
        var bakers = await world.PeopleAsync("Leyla", "Babak", "Chen");
        var printers = await world.PeopleAsync("Dara", "Elham", "Farid");
        var villagers = await world.PeopleAsync("Gita", "Hana", "Iman");
        string national = await world.FederationAsync("Congress of councils", bakers[0]);
        string city = await world.FederationAsync("City federation", bakers[0], votingPeriod: "PT1H"); // decides within the congress's three hours
        string bakery = await world.CouncilAsync("Bakery", bakers);
        string print = await world.CouncilAsync("Print shop", printers);
        string village = await world.CouncilAsync("Village council", villagers);
        foreach (var (council, people) in new[] { (bakery, bakers), (print, printers) })
        {
            await world.JoinFederationAsync(council, people, city);
            await world.ElectDelegatesAsync(council, people, city, [people[0]], method: "irv");
        }
        Person[] cityDelegates = [bakers[0], printers[0]];

        // The city federation decides, by its delegates, to join the congress, and elects its delegate there.
        await world.JoinFederationAsync(city, cityDelegates, national);
        await world.JoinFederationAsync(village, villagers, national);
        await world.ElectDelegatesAsync(village, villagers, national, [villagers[0]], method: "irv");
        string cityMandate = await world.ElectDelegatesAsync(city, cityDelegates, national, [printers[0]], method: "irv");
        var congress = (await api.GetAsync($"/councils/{national}")).Ok().Body;
        Assert.Equal(2, congress.GetProperty("memberCouncils").GetArrayLength());
        Assert.Equal(6, congress.GetProperty("memberCouncils").EnumerateArray().Single(c => c.GetProperty("id").GetString() == city).GetProperty("weight").GetInt64());

        string motion = await api.PutMotionAsync(national, villagers[0], new { kind = "decision", title = "A common fund for strikes", text = "" });
        (await api.CastAsync(motion, printers[0], new { choice = "no" })).Ok();
        (await api.CastAsync(motion, villagers[0], new { choice = "yes" })).Ok();

        // Recall at the middle level: the city's two delegates withdraw confidence from its delegate to the congress.
        (await api.SendAsync(HttpMethod.Put, $"/mandates/{cityMandate}/holders/{printers[0].Id}/confidence", new { withdrawn = true }, bakers[0])).Ok();
        var recalled = (await api.SendAsync(HttpMethod.Put, $"/mandates/{cityMandate}/holders/{printers[0].Id}/confidence", new { withdrawn = true }, printers[0])).Ok().Body;
        Assert.Empty(World.Holders(recalled));
        Assert.Equal((1, 0), (World.Count(await api.MotionAsync(motion), "yes"), World.Count(await api.MotionAsync(motion), "no")));

        // Referral at the top: the city (6 of 9 persons) demands it; every person two levels down votes.
        await world.PassAsync(city, cityDelegates, new { kind = "referral", title = "Let everyone decide the strike fund", text = "", federationMotion = motion });
        Assert.True((await api.MotionAsync(motion)).GetProperty("referred").GetBoolean());
        foreach (var person in bakers.Concat(printers).Concat(villagers))
        {
            (await api.CastAsync(motion, person, new { choice = person == bakers[1] ? "no" : "yes" })).Ok();
        }
        await server.AdvanceAsync(TimeSpan.FromHours(3));
        var decided = await server.StateAsync(motion, "in-force");
        Assert.Equal((8, 1), (World.Count(decided, "yes"), World.Count(decided, "no")));

        world.Verify();
    }
}
