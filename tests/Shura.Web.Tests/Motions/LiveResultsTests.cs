using Microsoft.Extensions.DependencyInjection;
using Shura.Storage.Motions;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Motions;

/// <summary>
/// A motion's live result is counted once and shared by all who read it, is never older than the
/// last change its reader could know of (whichever server wrote it), and watchers are told of a
/// burst of changes a few times, not once per change.
/// </summary>
public class LiveResultsTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    private static async Task<(World World, Person[] People, string Motion)> VotingAsync(TestServer server)
    {
        var world = new World(server);
        var people = await world.PeopleAsync("Arash", "Bahar", "Cyrus");
        string council = await world.CouncilAsync("Strike committee", people);
        string motion = await world.Api.PutMotionAsync(council, people[0], new { kind = "decision", title = "Strike on Monday", text = "" });
        return (world, people, motion);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_hundred_readers_of_a_changed_motion_share_one_count_and_every_one_sees_the_change(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var (world, people, motion) = await VotingAsync(server);
        var queries = server.Services.GetRequiredService<MotionQueries>();
        (await world.Api.CastAsync(motion, people[1], new { choice = "yes" })).Ok();
        long before = queries.LiveCounts;

        var seen = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => world.Api.MotionAsync(motion)));

        Assert.All(seen, m => Assert.Equal(1, World.Count(m, "yes")));
        Assert.Equal(1, queries.LiveCounts - before);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_reader_right_after_a_change_sees_it(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var (world, people, motion) = await VotingAsync(server);
        (string Who, string Choice, long Yes, long No)[] steps =
            [("Arash", "yes", 1, 0), ("Bahar", "yes", 2, 0), ("Arash", "no", 1, 1), ("Cyrus", "no", 1, 2), ("Bahar", "no", 0, 3)];

        foreach (var (who, choice, yes, no) in steps)
        {
            (await world.Api.CastAsync(motion, people.Single(p => p.Name == who), new { choice })).Ok();
            var read = await world.Api.MotionAsync(motion);
            Assert.Equal((yes, no), (World.Count(read, "yes"), World.Count(read, "no")));
        }
        (await world.Api.SendAsync(HttpMethod.Delete, $"/motions/{motion}/ballot", null, people[2])).Ok(); // Cyrus takes his back
        var after = await world.Api.MotionAsync(motion);
        Assert.Equal((0L, 2L), (World.Count(after, "yes"), World.Count(after, "no")));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_ballot_written_through_another_server_is_in_the_next_result_read_here(string engine)
    {
        string db = Support.Engines.FreshDb(engine);
        await using var here = await TestServer.StartAsync(db: db, fakeClock: true);
        await using var there = await TestServer.StartAsync(db: db, fakeClock: true);
        var (world, people, motion) = await VotingAsync(here);
        (await world.Api.CastAsync(motion, people[0], new { choice = "yes" })).Ok();
        Assert.Equal(1, World.Count(await world.Api.MotionAsync(motion), "yes")); // counted and kept here

        (await there.Api().CastAsync(motion, people[1], new { choice = "yes" })).Ok();

        Assert.Equal(2, World.Count(await world.Api.MotionAsync(motion), "yes"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_federation_motions_shared_result_follows_a_change_in_a_member_council(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var world = new World(server);
        var bakers = await world.PeopleAsync("Leyla", "Babak", "Chen");
        string city = await world.FederationAsync("City federation", bakers[0], weighted: true);
        string bakery = await world.CouncilAsync("Bakery workers", bakers);
        await world.JoinFederationAsync(bakery, bakers, city);
        await world.ElectDelegatesAsync(bakery, bakers, city, [bakers[0]], method: "irv");
        string rent = await world.Api.PutMotionAsync(city, bakers[0], new { kind = "decision", title = "Rent control", text = "" });
        (await world.Api.CastAsync(rent, bakers[0], new { choice = "yes" })).Ok();
        Assert.Equal(3, World.Count(await world.Api.MotionAsync(rent), "yes")); // the delegate carries the bakery's three

        await world.Api.JoinAsync(bakery, await world.Api.RegisterAsync("Dara")); // an entry on the bakery's chain, not the federation's

        Assert.Equal(4, World.Count(await world.Api.MotionAsync(rent), "yes"));
    }

    /// <summary>
    /// The shared count keeps a plain council's ballots between counts and applies only the new
    /// ballot entries; anything else (here: members joining) gathers everything again. Through a
    /// random run of casts, changes, withdrawals and joins, every read equals the ballots as they are.
    /// </summary>
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_kept_count_follows_every_cast_change_withdrawal_and_join(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var (world, first, motion) = await VotingAsync(server);
        string council = (await world.Api.MotionAsync(motion)).GetProperty("council").GetString()!;
        var people = first.ToList();
        var ballots = new Dictionary<string, string>();
        var random = new Random(11);
        string[] choices = ["yes", "no", "abstain"];
        for (int step = 0; step < 40; step++)
        {
            var person = people[random.Next(people.Count)];
            switch (random.Next(6))
            {
                case 0 when people.Count < 8:
                    var joining = await world.Api.RegisterAsync($"Member {step}");
                    await world.Api.JoinAsync(council, joining);
                    people.Add(joining);
                    break;
                case 1 when ballots.ContainsKey(person.Id):
                    (await world.Api.SendAsync(HttpMethod.Delete, $"/motions/{motion}/ballot", null, person)).Ok();
                    ballots.Remove(person.Id);
                    break;
                default:
                    string choice = choices[random.Next(3)];
                    (await world.Api.CastAsync(motion, person, new { choice })).Ok();
                    ballots[person.Id] = choice;
                    break;
            }
            var read = await world.Api.MotionAsync(motion);
            foreach (string choice in choices)
            {
                Assert.Equal(ballots.Values.Count(c => c == choice), World.Count(read, choice));
            }
            Assert.Equal(ballots.Count, read.GetProperty("ballots").GetInt64());
        }
    }

    [Fact]
    public async Task A_burst_of_sixty_ballot_changes_is_told_to_a_watcher_a_few_times()
    {
        await using var server = await TestServer.StartAsync(fakeClock: true);
        var (world, people, motion) = await VotingAsync(server);
        string council = (await world.Api.MotionAsync(motion)).GetProperty("council").GetString()!;
        await using var watcher = await Watching.StartAsync(server, people[2], council);

        for (int i = 0; i < 20; i++)
        {
            foreach (var person in people)
            {
                (await world.Api.CastAsync(motion, person, new { choice = i % 2 == 0 ? "yes" : "no" })).Ok();
            }
        }
        await watcher.Next();
        // Then until nothing more comes for a second: the last flush follows the last change within 250 ms.
        int told = -1;
        await Wait.UntilAsync(async () =>
        {
            int before = watcher.Count;
            await Task.Delay(1000);
            (told, bool quiet) = (watcher.Count, watcher.Count == before);
            return quiet;
        }, "the watcher to hear no more");

        Assert.InRange(told, 1, 30); // sixty commits; one "changed" per 250 ms at most
    }

    [Fact]
    public async Task A_motions_watchers_are_pushed_the_result_the_page_shows_rendered_once_per_language()
    {
        await using var server = await TestServer.StartAsync(fakeClock: true);
        var (world, people, motion) = await VotingAsync(server);
        var renderer = server.Services.GetRequiredService<Shura.Web.Site.PartRenderer>();
        var english = new List<Watching>();
        for (int i = 0; i < 5; i++)
        {
            english.Add(await Watching.MotionAsync(server, people[i % 3], motion, "en"));
        }
        await using var persian = await Watching.MotionAsync(server, people[2], motion, "fa");
        Assert.Contains("0 ballots", english[0].First!.Parts["result"], StringComparison.Ordinal);
        long rendersBefore = renderer.Renders;
        int toldBefore = english[0].Count;

        (await world.Api.CastAsync(motion, people[1], new { choice = "yes" })).Ok();

        foreach (var w in english.Append(persian))
        {
            await Wait.UntilAsync(() => Task.FromResult(w.Last?.Parts["result"].Contains(w == persian ? "۱" : "1 ballot", StringComparison.Ordinal) == true), "the watcher to be shown the ballot");
        }
        // What was pushed is what the page itself shows.
        using var visitor = await new Visitor(server.Client.BaseAddress!).SignInAsync(people[0]);
        string page = await (await visitor.GetAsync($"/motions/{motion}")).Content.ReadAsStringAsync();
        Assert.Equal(Section(page, "result"), Section(english[0].Last!.Parts["result"], "result"));
        Assert.Equal("voting", english[0].Last!.State);
        Assert.True(english[0].Last!.CountedAt > english[0].First!.CountedAt);
        // Six pages, two languages: each telling renders the result and the delegates' part once per language.
        int tellings = english[0].Count - toldBefore;
        Assert.Equal(4L * tellings, renderer.Renders - rendersBefore);
        foreach (var w in english)
        {
            await w.DisposeAsync();
        }
    }

    private static string Section(string html, string live)
    {
        int start = html.IndexOf($"data-live=\"{live}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no {live} part");
        start = html.LastIndexOf("<section", start, StringComparison.Ordinal);
        return html[start..(html.IndexOf("</section>", start, StringComparison.Ordinal) + "</section>".Length)];
    }
}
