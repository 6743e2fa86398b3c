using System.Net;
using Shura.Web.Site;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Nodes;

/// <summary>
/// Two nodes on one PostgreSQL, joined by a real Redis (test.sh starts one): a page on one hears
/// what was done through the other, a member who leaves through one is told nothing more on the
/// other, the sign-in limit counts attempts on both, a sign-out ends the live pages on both, and
/// a deadline both nodes pass closes its motion once.
/// </summary>
public class SeveralNodesTests
{
    private static async Task<(TestServer A, TestServer B)> TwoNodesAsync(Limits? limits = null)
    {
        string db = Engines.FreshDb(Engines.Postgres);
        var a = await TestServer.StartAsync(db: db, fakeClock: true, limits: limits, redis: Engines.RedisServer);
        var b = await TestServer.StartAsync(db: db, fakeClock: true, limits: limits, redis: Engines.RedisServer);
        return (a, b);
    }

    [Fact]
    public async Task A_page_on_one_node_is_pushed_a_ballot_cast_through_the_other_and_a_leaver_hears_nothing_more()
    {
        if (!Engines.SeveralNodes)
        {
            return; // no Redis or PostgreSQL here; test.sh provides both and requires them
        }
        var (a, b) = await TwoNodesAsync();
        await using var _ = a;
        await using var __ = b;
        var api = a.Api();
        var people = await new World(a).PeopleAsync("Arash", "Bahar", "Cyrus");
        string council = await api.CreateCouncilAsync(people[0], new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H", visibility = "members" });
        await api.JoinByInvitationAsync(council, people[0], people[1], people[2]);
        string motion = await api.PutMotionAsync(council, people[0], new { kind = "decision", title = "Rent strike", text = "" });
        await using var stays = await Watching.MotionAsync(b, people[1], motion);
        await using var leaves = await Watching.MotionAsync(b, people[2], motion);
        await using var staysCouncil = await Watching.StartAsync(b, people[1], council);

        (await api.CastAsync(motion, people[0], new { choice = "yes" })).Ok(); // through node A
        await Wait.UntilAsync(() => Task.FromResult(stays.Last?.Parts["result"].Contains("1 ballot", StringComparison.Ordinal) == true), "node B's page to show node A's ballot");
        await Wait.UntilAsync(() => Task.FromResult(leaves.Count > 0), "the member about to leave to be told too");
        await staysCouncil.Next();

        (await api.SendAsync(HttpMethod.Delete, $"/councils/{council}/members/me", null, people[2])).Ok(); // leaves through node A
        int toldBefore = leaves.Count;
        (await api.CastAsync(motion, people[1], new { choice = "yes" })).Ok();
        await Wait.UntilAsync(() => Task.FromResult(stays.Last!.Parts["result"].Contains("2 ballots", StringComparison.Ordinal)), "node B's page to show the second ballot");

        Assert.Equal(toldBefore, leaves.Count);
    }

    [Fact]
    public async Task The_sign_in_limit_counts_the_attempts_on_both_nodes()
    {
        if (!Engines.SeveralNodes)
        {
            return;
        }
        var (a, b) = await TwoNodesAsync(Limits.Default with { SignIn = (4, 30) });
        await using var _ = a;
        await using var __ = b;
        var person = await a.Api().RegisterAsync("Dara"); // one attempt, on node A
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 4; i++)
        {
            var node = i % 2 == 0 ? b : a;
            statuses.Add((await node.Api().PostAsync("/tokens", new { email = person.Email, password = "correct horse" })).Status);
        }

        // Four attempts in all are allowed, whichever node they reach: the fifth is refused on both.
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await a.Api().PostAsync("/tokens", new { email = person.Email, password = "correct horse" })).Status);
    }

    [Fact]
    public async Task A_deadline_both_nodes_pass_at_once_closes_its_motion_once()
    {
        if (!Engines.SeveralNodes)
        {
            return;
        }
        var (a, b) = await TwoNodesAsync();
        await using var _ = a;
        await using var __ = b;
        var world = new World(a);
        var people = await world.PeopleAsync("Arash", "Bahar");
        string council = await world.CouncilAsync("Strike committee", people);
        string[] motions = new string[5];
        for (int i = 0; i < motions.Length; i++)
        {
            motions[i] = await world.Api.PutMotionAsync(council, people[0], new { kind = "decision", title = $"Motion {i}", text = "" });
            (await world.Api.CastAsync(motions[i], people[1], new { choice = "yes" })).Ok();
        }

        a.Clock!.Advance(TimeSpan.FromHours(2));
        b.Clock!.Advance(TimeSpan.FromHours(2));
        await Task.WhenAll(a.PassDeadlinesAsync(), b.PassDeadlinesAsync(), a.PassDeadlinesAsync(), b.PassDeadlinesAsync());

        var log = await world.Api.LogAsync(council);
        foreach (string motion in motions)
        {
            Assert.Single(log, e => e.GetProperty("type").GetString() == "motion-closed" && e.GetProperty("payload").GetString()!.Contains(motion, StringComparison.Ordinal));
            Assert.Equal("in-force", (await b.Api().MotionAsync(motion)).GetProperty("state").GetString()); // passed, once
        }
    }
}
