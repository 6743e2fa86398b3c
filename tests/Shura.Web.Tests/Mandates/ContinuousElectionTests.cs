using System.Text.Json;
using Shura.Storage.Log;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Mandates;

/// <summary>
/// A neighbourhood council keeps its convener by continuous election: everyone's standing ranking
/// decides, a new leader takes over after leading for a day, or at once with an absolute majority.
/// The convener's one power — putting proposals on the agenda — goes wherever the seat goes.
/// </summary>
public class ContinuousElectionTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_seat_follows_the_standing_ballots_after_the_settle_period_or_at_once_with_an_absolute_majority(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var world = new World(server);
        var api = world.Api;
        var people = await world.PeopleAsync("Arash", "Bahar", "Cyrus", "Donya", "Ehsan", "Farah", "Golnar");
        var (arash, bahar, cyrus) = (people[0], people[1], people[2]);
        string council = await world.CouncilAsync("Neighbourhood council", people,
            new { supportThreshold = 4, deliberationPeriod = "PT0S", votingPeriod = "PT1H", secretBallots = true });
        string mandate = (await api.PostAsync($"/councils/{council}/mandates", new
        {
            name = "Convener", kind = "convener", seats = 1, continuous = true, settlePeriod = "PT24H", powers = new[] { "schedule-motions" },
        }, people[0])).Ok().Id;

        async Task<JsonElement> Rank(Person elector, params Person[] ranking) =>
            (await api.SendAsync(HttpMethod.Put, $"/mandates/{mandate}/ranking", new { ranking = ranking.Select(r => r.Id).ToArray() }, elector)).Ok().Body;

        // A vacant seat is filled at once: nobody is displaced.
        var first = await Rank(people[0], arash);
        Assert.Equal([arash.Id], World.Holders(first));
        Assert.Equal([arash.Id], first.GetProperty("continuous").GetProperty("myRanking").EnumerateArray().Select(r => r.GetString()));
        await Rank(people[1], arash);

        // Bahar leads three to two: she takes the seat only once she has led for a day.
        await Rank(people[2], bahar);
        await Rank(people[3], bahar);
        var leading = (await Rank(people[4], bahar)).GetProperty("continuous");
        Assert.Equal([bahar.Id], leading.GetProperty("leaders").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal([bahar.Id], leading.GetProperty("pending").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal([arash.Id], World.Holders(await world.MandateAsync(mandate)));

        // Ehsan changes his mind back: the lead is lost, and with it the pending change.
        var lost = (await Rank(people[4], arash)).GetProperty("continuous");
        Assert.Equal(JsonValueKind.Null, lost.GetProperty("pending").ValueKind);
        var again = (await Rank(people[4], bahar)).GetProperty("continuous");
        Assert.Equal([bahar.Id], again.GetProperty("pending").EnumerateArray().Select(l => l.GetString()));

        // While Arash holds the seat, he can put a proposal on the agenda; Bahar cannot.
        string proposal = await api.PutMotionAsync(council, people[6], new { kind = "decision", title = "A street party", text = "" });
        Assert.Equal("proposed", await api.StateAsync(proposal));
        Assert.Equal((403, "no-power"), Status(await api.PostAsync($"/motions/{proposal}/schedule", null, bahar)));
        (await api.PostAsync($"/motions/{proposal}/schedule", null, arash)).Ok();
        Assert.Equal("voting", await api.StateAsync(proposal));

        // Half a day later nothing has changed; a day after the lead began, Bahar holds the seat.
        await server.AdvanceAsync(TimeSpan.FromHours(12));
        Assert.Equal([arash.Id], World.Holders(await world.MandateAsync(mandate)));
        await server.AdvanceAsync(TimeSpan.FromHours(12));
        Assert.Equal([bahar.Id], World.Holders(await world.MandateAsync(mandate)));

        // The power went with the seat.
        string another = await api.PutMotionAsync(council, people[6], new { kind = "decision", title = "Plant trees", text = "" });
        Assert.Equal((403, "no-power"), Status(await api.PostAsync($"/motions/{another}/schedule", null, arash)));
        (await api.PostAsync($"/motions/{another}/schedule", null, bahar)).Ok();

        // Four of seven rank Cyrus above Bahar: an absolute majority seats him in that very request.
        await Rank(people[0], cyrus);
        await Rank(people[1], cyrus);
        await Rank(people[5], cyrus);
        var majority = await Rank(people[6], cyrus, bahar);
        Assert.Equal([cyrus.Id], World.Holders(majority));
        var log = await api.LogAsync(council);
        var settled = log.Last(e => e.GetProperty("type").GetString() == "holders-settled").GetProperty("payload").GetString()!;
        Assert.Contains("\"cause\":\"absolute-majority\"", settled, StringComparison.Ordinal);
        Assert.Contains("\"electorate\":7", settled, StringComparison.Ordinal);
        Assert.DoesNotContain(log, e => e.GetProperty("actor").GetString() == people[6].Id
            && e.GetProperty("type").GetString() == "standing-ballot-cast"); // secret: electors appear under pseudonyms

        // Cyrus leaves the council: his seat is vacant, and the standing count fills it at once.
        (await api.SendAsync(HttpMethod.Delete, $"/councils/{council}/members/me", null, cyrus)).Ok();
        Assert.Equal([bahar.Id], World.Holders(await world.MandateAsync(mandate)));

        Assert.True(Verifier.Run(server.Database, server.Clock!.GetUtcNow()) is { IsIntact: true }, string.Join("; ", Verifier.Run(server.Database, server.Clock!.GetUtcNow()).Problems));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Standing_ballots_refuse_what_does_not_belong_and_change_nothing(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var world = new World(server);
        var api = world.Api;
        var members = await world.PeopleAsync("Arash", "Bahar", "Cyrus");
        var outsider = (await world.PeopleAsync("Omid"))[0];
        string council = await world.CouncilAsync("Neighbourhood council", members);
        string continuous = (await api.PostAsync($"/councils/{council}/mandates",
            new { name = "Convener", kind = "convener", seats = 1, continuous = true }, members[0])).Ok().Id;
        string elected = (await api.PostAsync($"/councils/{council}/mandates", new { name = "Treasurer", kind = "role", seats = 1 }, members[0])).Ok().Id;
        var seated = (await api.SendAsync(HttpMethod.Put, $"/mandates/{continuous}/ranking", new { ranking = new[] { members[1].Id } }, members[0])).Ok().Body;
        Assert.Equal("P1D", seated.GetProperty("continuous").GetProperty("settlePeriod").GetString());
        int before = (await api.LogAsync(council)).Length;

        async Task Refused(Reply reply, int status, string code, string? field = null)
        {
            Assert.Equal((status, code), Status(reply));
            Assert.Equal("application/problem+json", reply.ContentType);
            if (field is not null)
            {
                Assert.Equal(field, reply.Body.GetProperty("field").GetString());
            }
            Assert.Equal(before, (await api.LogAsync(council)).Length);
        }

        string Ranking(string mandate) => $"/mandates/{mandate}/ranking";
        await Refused(await api.SendAsync(HttpMethod.Put, Ranking(continuous), new { ranking = new[] { outsider.Id } }, members[0]), 422, "candidate-not-a-member", "ranking");
        await Refused(await api.SendAsync(HttpMethod.Put, Ranking(continuous), new { ranking = new[] { members[1].Id } }, outsider), 403, "not-an-elector");
        await Refused(await api.SendAsync(HttpMethod.Put, Ranking(continuous), new { ranking = Array.Empty<string>() }, members[0]), 400, "invalid-field", "ranking");
        await Refused(await api.SendAsync(HttpMethod.Put, Ranking(continuous), new { ranking = new[] { members[1].Id, members[1].Id } }, members[0]), 400, "invalid-field", "ranking");
        await Refused(await api.SendAsync(HttpMethod.Put, Ranking(elected), new { ranking = new[] { members[1].Id } }, members[0]), 409, "not-continuous");
        await Refused(await api.SendAsync(HttpMethod.Put, $"/mandates/{continuous}/holders/{members[1].Id}/confidence", new { withdrawn = true }, members[2]), 409, "continuous-election");
        await Refused(await api.PostAsync($"/councils/{council}/motions", new { kind = "election", title = "x", text = "", mandate = continuous, candidates = new[] { members[2].Id } }, members[2]), 409, "continuous-election");
        await Refused(await api.PostAsync($"/councils/{council}/motions", new { kind = "recall", title = "x", text = "", mandate = continuous, holder = members[1].Id }, members[2]), 409, "continuous-election");
        await Refused(await api.PostAsync($"/councils/{council}/mandates", new { name = "x", kind = "role", seats = 1, settlePeriod = "PT1H" }, members[0]), 400, "invalid-field", "settlePeriod");
        await Refused(await api.PostAsync($"/councils/{council}/mandates", new { name = "x", kind = "role", seats = 1, continuous = true, settlePeriod = "a day" }, members[0]), 400, "invalid-field", "settlePeriod");
        await Refused(await api.PostAsync($"/councils/{council}/mandates", new { name = "x", kind = "role", seats = 1, powers = new[] { "veto" } }, members[0]), 400, "invalid-field", "powers");

        // Withdrawing the only ballot takes the leader away; the holder stays until the settle period shows nobody leads.
        var withdrawn = (await api.SendAsync(HttpMethod.Delete, Ranking(continuous), null, members[0])).Ok().Body;
        Assert.Equal([members[1].Id], World.Holders(withdrawn));
        Assert.Equal(0, withdrawn.GetProperty("continuous").GetProperty("ballots").GetInt64());
    }

    private static (int, string?) Status(Reply reply) => ((int)reply.Status, reply.Code);
}
