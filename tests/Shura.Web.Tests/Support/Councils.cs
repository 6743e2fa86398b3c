using System.Text.Json;

namespace Shura.Web.Tests.Support;

/// <summary>
/// Builds councils and federations for the mandate and federation stories, on a server with a fake
/// clock: every motion votes for an hour, and the clock moves it on.
/// </summary>
public sealed class World(TestServer server)
{
    public Api Api { get; } = server.Api();

    public static object Quick(string extra = "") => new
    {
        supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H", secretBallots = true,
    };

    public async Task<Person[]> PeopleAsync(params string[] names) => await Task.WhenAll(names.Select(Api.RegisterAsync));

    /// <summary>A council of these people (the first founds it), deciding in an hour.</summary>
    public async Task<string> CouncilAsync(string name, Person[] members, object? settings = null)
    {
        string council = await Api.CreateCouncilAsync(members[0], settings ?? Quick(), name);
        await Api.JoinAsync(council, members[1..]);
        return council;
    }

    /// <summary>A federation; its motions vote for three hours, so that base councils can decide on them meanwhile.</summary>
    public async Task<string> FederationAsync(string name, Person founder, int seatRatio = 100, bool weighted = false, string votingPeriod = "PT3H") =>
        (await Api.PostAsync("/councils", new
        {
            name, description = "", federation = true,
            settings = new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod, seatRatio, weightedVoting = weighted },
        }, founder)).Ok().Id;

    /// <summary>Moves the clock past every open voting period and waits for the motion's state.</summary>
    /// <param name="who">Who reads the motion (a member, for a members-only council).</param>
    public async Task<JsonElement> CloseAsync(string motion, string state, Person? who = null)
    {
        await server.StateAsync(motion, "voting", who);
        await server.AdvanceAsync(TimeSpan.FromHours(1));
        return await server.StateAsync(motion, state, who);
    }

    /// <summary>Puts a motion, everyone named votes yes, the hour passes: it is in force.</summary>
    public async Task<string> PassAsync(string council, Person[] voters, object motion)
    {
        string id = await Api.PutMotionAsync(council, voters[0], motion);
        foreach (var voter in voters)
        {
            (await Api.CastAsync(id, voter, new { choice = "yes" })).Ok();
        }
        await CloseAsync(id, "in-force", voters[0]);
        return id;
    }

    public Task<string> JoinFederationAsync(string council, Person[] voters, string federation) =>
        PassAsync(council, voters, new { kind = "federate", title = "Join the federation", text = "", federation });

    /// <summary>Defines a delegate mandate and elects its holders from <paramref name="candidates"/> (each voter ranks them in this order).</summary>
    public async Task<string> ElectDelegatesAsync(string council, Person[] voters, string federation, Person[] candidates, string method = "stv")
    {
        string mandate = (await Api.PostAsync($"/councils/{council}/mandates", new { name = "Delegates", kind = "delegate", federation }, voters[0])).Ok().Id;
        string election = await Api.PutMotionAsync(council, voters[0], new
        {
            kind = "election", title = "Elect our delegates", text = "", mandate, method, candidates = candidates.Select(c => c.Id).ToArray(),
        });
        foreach (var voter in voters)
        {
            (await Api.CastAsync(election, voter, new { ranking = candidates.Select(c => c.Id).ToArray() })).Ok();
        }
        await CloseAsync(election, "decided");
        return mandate;
    }

    /// <summary>
    /// A city federation of two councils of three — the bakery (Leyla, Babak, Chen) and the tailors
    /// (Dara, Elham, Farid) — each with its first member elected its delegate.
    /// </summary>
    public async Task<(string City, string Bakery, string Tailoring, Person[] Bakers, Person[] Tailors)> CityOfTwoCouncilsAsync(bool weighted = false)
    {
        var bakers = await PeopleAsync("Leyla", "Babak", "Chen");
        var tailors = await PeopleAsync("Dara", "Elham", "Farid");
        string city = await FederationAsync("City federation", bakers[0], weighted: weighted);
        string bakery = await CouncilAsync("Bakery workers", bakers);
        string tailoring = await CouncilAsync("Tailors", tailors);
        foreach (var (council, people) in new[] { (bakery, bakers), (tailoring, tailors) })
        {
            await JoinFederationAsync(council, people, city);
            await ElectDelegatesAsync(council, people, city, [people[0]], method: "irv");
        }
        return (city, bakery, tailoring, bakers, tailors);
    }

    /// <summary>Replays the whole log: every result, recall, seat and weight must follow from it, and the tables must agree.</summary>
    public void Verify()
    {
        var problems = Shura.Storage.Log.Verifier.Run(server.Database, server.Clock?.GetUtcNow() ?? TimeProvider.System.GetUtcNow()).Problems;
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    public async Task<JsonElement> MandateAsync(string mandate) => (await Api.GetAsync($"/mandates/{mandate}")).Ok().Body;

    public static string[] Holders(JsonElement mandate) =>
        [.. mandate.GetProperty("holders").EnumerateArray().Select(h => h.GetProperty("person").GetString()!)];

    public static long Count(JsonElement motion, string choice) =>
        motion.GetProperty("result").GetProperty("counts").GetProperty(choice).GetInt64();
}
