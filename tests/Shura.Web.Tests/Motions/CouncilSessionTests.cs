using Shura.Core.Counting;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Motions;

/// <summary>
/// A council's first session, as three new users would run it through the API: register, form a
/// council, put a decision and a Schulze choice, vote, change and withdraw votes, and read the
/// results once the deadline has passed.
/// </summary>
public class CouncilSessionTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Three_people_decide_and_choose_and_the_results_equal_the_tally_engines(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        var babak = await api.RegisterAsync("Babak");
        var chen = await api.RegisterAsync("Chen");
        string council = await api.CreateCouncilAsync(leyla);
        await api.JoinAsync(council, babak, chen);

        string oven = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Buy a second oven", text = "From the reserve fund.", threshold = "two-thirds" });
        string place = await api.PutMotionAsync(council, babak, new { kind = "choice", title = "Where we meet", text = "", options = new[] { "Park", "Library", "Cafe" }, method = "schulze" });
        Assert.Equal("voting", await api.StateAsync(oven));

        (await api.CastAsync(oven, leyla, new { choice = "yes" })).Ok();
        (await api.CastAsync(oven, babak, new { choice = "no" })).Ok();
        (await api.CastAsync(oven, babak, new { choice = "yes" })).Ok();      // changed
        (await api.CastAsync(oven, chen, new { choice = "no" })).Ok();
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"/motions/{oven}/ballot", null, chen)).Status); // withdrawn
        (await api.CastAsync(place, leyla, new { ranking = new[] { "Park", "Cafe" } })).Ok();
        (await api.CastAsync(place, babak, new { ranking = new[] { "Library", "Park", "Cafe" } })).Ok();
        (await api.CastAsync(place, babak, new { ranking = new[] { "Cafe", "Park", "Library" } })).Ok(); // changed
        (await api.CastAsync(place, chen, new { ranking = new[] { "Cafe" } })).Ok();

        var live = (await api.MotionAsync(oven)).GetProperty("result");
        Assert.False(live.GetProperty("final").GetBoolean());
        Assert.Equal(2, live.GetProperty("counts").GetProperty("yes").GetInt64());

        await server.AdvanceAsync(TimeSpan.FromSeconds(3));
        var decided = await server.StateAsync(oven, "in-force");
        var chosen = await server.StateAsync(place, "decided");

        var decision = decided.GetProperty("result");
        Assert.True(decision.GetProperty("final").GetBoolean());
        Assert.Equal("passed", decision.GetProperty("outcome").GetString());
        Assert.Equal((2, 0, 0), (decision.GetProperty("counts").GetProperty("yes").GetInt64(),
            decision.GetProperty("counts").GetProperty("no").GetInt64(), decision.GetProperty("counts").GetProperty("abstain").GetInt64()));

        await EngineCheck.AssertResultIsTheEnginesAsync(api, council, place, ["Park", "Library", "Cafe"], TallyMethod.Schulze,
            [[0, 2], [2, 0, 1], [2]]);
        Assert.Equal(["Cafe"], chosen.GetProperty("result").GetProperty("winners").EnumerateArray().Select(w => w.GetString()));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_ballot_outside_the_voting_period_is_refused_and_the_log_does_not_change(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        string council = await api.CreateCouncilAsync(leyla);
        string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Open on Fridays", text = "" });
        await server.AdvanceAsync(TimeSpan.FromSeconds(3));
        await server.StateAsync(motion, "rejected");
        int before = (await api.LogAsync(council)).Length;

        var late = await api.CastAsync(motion, leyla, new { choice = "yes" });

        Assert.Equal((System.Net.HttpStatusCode.Conflict, "voting-closed"), (late.Status, late.Code));
        Assert.Equal(before, (await api.LogAsync(council)).Length);
    }
}
