using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Motions;

/// <summary>
/// The scripted first session again, this time against the real `shura serve` program and real
/// time: the one place its deadline service must close a vote on the wall clock. Voting stays open
/// 15 s, which a dozen requests to a running server cannot miss even on a busy two-core machine
/// (and a ballot that came too late would be refused, failing the test loudly, not silently).
/// </summary>
public class ServeSessionTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_new_council_decides_and_chooses_through_shura_serve(string engine)
    {
        await using var server = await ServeProcess.StartAsync(Support.Engines.FreshDb(engine));
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        var babak = await api.RegisterAsync("Babak");
        var chen = await api.RegisterAsync("Chen");
        string council = await api.CreateCouncilAsync(leyla, Api.QuickSettings(voting: "PT15S"));
        await api.JoinAsync(council, babak, chen);
        string decision = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Buy a second oven", text = "" });
        string choice = await api.PutMotionAsync(council, chen, new { kind = "choice", title = "Where we meet", text = "", options = new[] { "Park", "Library", "Cafe" }, method = "schulze" });

        (await api.CastAsync(decision, leyla, new { choice = "yes" })).Ok();
        (await api.CastAsync(decision, babak, new { choice = "no" })).Ok();
        (await api.CastAsync(decision, chen, new { choice = "no" })).Ok();
        (await api.CastAsync(decision, chen, new { choice = "yes" })).Ok();
        (await api.CastAsync(choice, leyla, new { ranking = new[] { "Library", "Park" } })).Ok();
        (await api.CastAsync(choice, babak, new { ranking = new[] { "Park", "Library", "Cafe" } })).Ok();
        (await api.CastAsync(choice, chen, new { ranking = new[] { "Cafe" } })).Ok();
        (await api.CastAsync(choice, chen, new { ranking = new[] { "Park", "Cafe" } })).Ok();
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"/motions/{choice}/ballot", null, leyla)).Status);

        var passed = await api.WaitForStateAsync(decision, "in-force", seconds: 90);
        var chosen = await api.WaitForStateAsync(choice, "decided", seconds: 90);

        Assert.Equal(2, passed.GetProperty("result").GetProperty("counts").GetProperty("yes").GetInt64());
        Assert.Equal(["Park"], chosen.GetProperty("result").GetProperty("winners").EnumerateArray().Select(w => w.GetString()));
        Assert.Equal(2, chosen.GetProperty("result").GetProperty("ballots").GetInt64());
        await EngineCheck.AssertResultIsTheEnginesAsync(api, council, choice, ["Park", "Library", "Cafe"], Core.Counting.TallyMethod.Schulze,
            [[0, 1, 2], [0, 2]]);
        // A change asked for is one line naming its route's pattern, never its address: whoever reads
        // the output does not learn which motion received a ballot when (it does say when a motion's
        // deadline moved it on).
        Assert.Contains(server.Output, line => line.Contains($"motion {decision} moved on", StringComparison.Ordinal));
        Assert.Contains(server.Output, line => line.Contains("PUT /api/v1/motions/{id:guid}/ballot 200", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Output, line => line.Contains("/ballot", StringComparison.Ordinal) && line.Contains(decision, StringComparison.Ordinal));
        Assert.DoesNotContain(server.Output, line => line.Contains($"/motions/{decision}", StringComparison.Ordinal));
    }
}
