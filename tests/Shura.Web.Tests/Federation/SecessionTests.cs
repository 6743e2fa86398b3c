using System.Net;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Federation;

/// <summary>
/// A federation holds only what its members give it (P4): a council leaves as it joined, by a motion
/// of its own members, and from the moment that motion passes its delegates count there no more —
/// their open ballots there withdrawn, as a recalled delegate's are — on the live count of an open
/// federation vote, at its close, and in the recount from the log.
/// </summary>
public class SecessionTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_council_leaves_a_federation_by_its_members_motion_and_its_delegate_counts_there_no_more(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var world = new World(server);
        var api = world.Api;
        var (city, bakery, tailoring, bakers, tailors) = await world.CityOfTwoCouncilsAsync();
        string elsewhere = await world.FederationAsync("Harbour federation", tailors[0]);
        string rent = await api.PutMotionAsync(city, tailors[0], new { kind = "decision", title = "Rent control", text = "" });
        (await api.CastAsync(rent, bakers[0], new { choice = "yes" })).Ok();
        (await api.CastAsync(rent, tailors[0], new { choice = "no" })).Ok();
        Assert.Equal((1, 1), (World.Count(await api.MotionAsync(rent), "yes"), World.Count(await api.MotionAsync(rent), "no")));

        // Leaving a federation the council is not in, or naming none, is refused and writes nothing.
        string before = Store.Snapshot(server.Database);
        var notIn = await api.PostAsync($"/councils/{bakery}/motions", new { kind = "secede", title = "Leave the harbour", text = "", federation = elsewhere }, bakers[0]);
        Assert.Equal((HttpStatusCode.Conflict, "not-federated"), (notIn.Status, notIn.Code));
        var none = await api.PostAsync($"/councils/{bakery}/motions", new { kind = "secede", title = "Leave", text = "" }, bakers[0]);
        Assert.Equal(("invalid-field", "federation"), (none.Code, none.Body.GetProperty("field").GetString()));
        var misplaced = await api.PostAsync($"/councils/{bakery}/motions", new { kind = "decision", title = "Leave", text = "", federation = city }, bakers[0]);
        Assert.Equal(("invalid-field", "federation"), (misplaced.Code, misplaced.Body.GetProperty("field").GetString()));
        Assert.Equal(before, Store.Snapshot(server.Database));

        // The members of the bakery decide to leave, by the page's form, as a person does.
        using (var visitor = new Visitor(server.Client.BaseAddress!))
        {
            await visitor.SignInAsync(bakers[1]);
            string form = await (await visitor.GetAsync($"/councils/{bakery}/motions/new?kind=secede")).Content.ReadAsStringAsync();
            Assert.Contains("Leaving a federation", form, StringComparison.Ordinal);
            Assert.Contains($"<option value=\"{city}\" dir=\"auto\">City federation</option>", form, StringComparison.Ordinal);
            var put = await visitor.PostAsync($"/councils/{bakery}/motions/new?kind=secede", $"/councils/{bakery}/motions/new",
                new() { ["kind"] = "secede", ["title"] = "Leave the city federation", ["federation"] = city });
            Assert.Equal(HttpStatusCode.Redirect, put.StatusCode);
            string leave = put.Headers.Location!.OriginalString.Split('/').Last();
            Assert.Equal(city, (await api.MotionAsync(leave)).GetProperty("federation").GetString());
            foreach (var baker in bakers)
            {
                (await api.CastAsync(leave, baker, new { choice = "yes" })).Ok();
            }
            await world.CloseAsync(leave, "in-force", bakers[0]);
        }

        // The federation has one member council left; the bakery's delegate's ballot counts for nothing now.
        var federation = (await api.GetAsync($"/councils/{city}")).Ok().Body;
        Assert.Equal([tailoring], federation.GetProperty("memberCouncils").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToArray());
        Assert.DoesNotContain(city, (await api.GetAsync($"/councils/{bakery}")).Ok().Body.GetProperty("federations").EnumerateArray().Select(f => f.GetString()));
        var live = await api.MotionAsync(rent);
        Assert.Equal((0, 1), (World.Count(live, "yes"), World.Count(live, "no")));
        // ...and withdrawn, as a recalled delegate's are: what stands on the federation's vote is the delegates' who sit.
        Assert.Equal([tailors[0].Id], live.GetProperty("delegateBallots").EnumerateArray().Select(b => b.GetProperty("delegate").GetString()!).ToArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await api.CastAsync(rent, bakers[0], new { choice = "yes" })).Status);

        await server.AdvanceAsync(TimeSpan.FromHours(3));
        var decided = await server.StateAsync(rent, "rejected");
        Assert.Equal((0, 1, 1L), (World.Count(decided, "yes"), World.Count(decided, "no"), decided.GetProperty("result").GetProperty("electorate").GetInt64()));
        Assert.Contains(await api.LogAsync(city), e => e.GetProperty("type").GetString() == "council-seceded");

        // Joining again is joining: the bakery's delegate, who kept the seat, counts again.
        await world.JoinFederationAsync(bakery, bakers, city);
        string again = await api.PutMotionAsync(city, tailors[0], new { kind = "decision", title = "Rent control, again", text = "" });
        (await api.CastAsync(again, bakers[0], new { choice = "yes" })).Ok();
        Assert.Equal(1, World.Count(await api.MotionAsync(again), "yes"));

        world.Verify(); // the recount from the log leaves the bakery out of the vote that closed while it was out
    }
}
