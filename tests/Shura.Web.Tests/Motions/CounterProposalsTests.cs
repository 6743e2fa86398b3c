using System.Text.Json;
using System.Text.Json.Nodes;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Motions;

/// <summary>
/// Counter-proposals over real HTTP (DESIGN §2): a decision with competing texts is voted as one
/// Schulze ranking with "none of these", the result equals <c>shura tally --method schulze</c> on
/// the ballots of the exported log, and a text in force must beat "none of these".
/// </summary>
public class CounterProposalsTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    private static readonly object Settings = new
    {
        joinPolicy = "open", visibility = "public", supportThreshold = 1, deliberationPeriod = "PT1H", votingPeriod = "PT1H",
        secretBallots = true, liveResults = true,
    };

    private sealed record Council(TestServer Server, Api Api, string Id, Person[] Members);

    private static async Task<Council> CouncilAsync(TestServer server, int members)
    {
        var api = server.Api();
        var people = new Person[members];
        for (int i = 0; i < members; i++)
        {
            people[i] = await api.RegisterAsync($"Member {i + 1}");
        }
        string council = await api.CreateCouncilAsync(people[0], Settings);
        await api.JoinAsync(council, people[1..]);
        return new Council(server, api, council, people);
    }

    /// <summary>A decision in deliberation with the given competing texts, then voting open.</summary>
    private static async Task<string> ContestedAsync(Council c, params string[] counterProposals)
    {
        string motion = await c.Api.PutMotionAsync(c.Id, c.Members[0], new { kind = "decision", title = "The bakery's hours", text = "Open from six to two." });
        Assert.Equal("deliberation", await c.Api.StateAsync(motion));
        for (int i = 0; i < counterProposals.Length; i++)
        {
            var created = (await c.Api.PostAsync($"/motions/{motion}/counter-proposals", new { text = counterProposals[i] }, c.Members[i + 1])).Ok().Body;
            Assert.Equal(i + 1, created.GetProperty("number").GetInt32());
            Assert.Equal($"counter-proposal-{i + 1}", created.GetProperty("option").GetString());
        }
        await c.Server.AdvanceAsync(TimeSpan.FromHours(1));
        await c.Server.StateAsync(motion, "voting");
        return motion;
    }

    private static async Task CastAsync(Council c, string motion, int from, int count, params string[] ranking)
    {
        for (int i = from; i < from + count; i++)
        {
            (await c.Api.CastAsync(motion, c.Members[i], new { ranking })).Ok();
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_counter_proposal_that_wins_and_beats_none_of_these_is_in_force_and_the_count_equals_shura_tally(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var c = await CouncilAsync(server, 7);
        string motion = await ContestedAsync(c, "Open from seven to three.", "Open from five to one.");

        var voting = await c.Api.MotionAsync(motion);
        Assert.Equal("schulze", voting.GetProperty("method").GetString());
        Assert.Equal(["original", "counter-proposal-1", "counter-proposal-2", "none-of-these"],
            voting.GetProperty("options").EnumerateArray().Select(o => o.GetString()!).ToArray());
        Assert.Equal(["Open from seven to three.", "Open from five to one."],
            voting.GetProperty("counterProposals").EnumerateArray().Select(p => p.GetProperty("text").GetString()!).ToArray());
        Assert.Equal("wrong-ballot-kind", (await c.Api.CastAsync(motion, c.Members[0], new { choice = "yes" })).Code);

        await CastAsync(c, motion, 0, 3, "counter-proposal-1", "original", "none-of-these");
        await CastAsync(c, motion, 3, 2, "counter-proposal-2", "counter-proposal-1", "none-of-these");
        await CastAsync(c, motion, 5, 1, "none-of-these");
        // A ballot changed and one withdrawn: the count takes only the latest.
        await CastAsync(c, motion, 6, 1, "original");
        (await c.Api.SendAsync(HttpMethod.Delete, $"/motions/{motion}/ballot", null, c.Members[6])).Ok();
        await server.AdvanceAsync(TimeSpan.FromHours(1));
        var closed = await server.StateAsync(motion, "in-force");

        var result = closed.GetProperty("result");
        Assert.Equal(["counter-proposal-1"], result.GetProperty("winners").EnumerateArray().Select(w => w.GetString()!).ToArray());
        var contest = result.GetProperty("statusQuo");
        Assert.Equal(("counter-proposal-1", 5, 1, true), (contest.GetProperty("leader").GetString(), contest.GetProperty("for").GetInt64(),
            contest.GetProperty("against").GetInt64(), contest.GetProperty("beaten").GetBoolean()));

        // The same ballots, taken from the exported log by anyone, counted by `shura tally`.
        var tally = TallyOfExportedBallots(server.Db, c.Id, motion, result);
        foreach (string key in (string[])["method", "candidates", "winners", "ranking", "rounds", "ballots", "lot"])
        {
            Assert.Equal(Json(tally[key]), Json(JsonNode.Parse(result.GetRawText())![key]));
        }
        // A call to action made from the decision carries the text in force, the counter-proposal's.
        string call = (await c.Api.PostAsync($"/motions/{motion}/call", new { place = "The bakery", startsAt = "2030-01-01T06:00:00Z" }, c.Members[2])).Ok().Id;
        Assert.Equal("Open from seven to three.", (await c.Api.GetAsync($"/calls/{call}")).Ok().Body.GetProperty("post").GetProperty("text").GetString());
        Assert.Equal(0, ShuraCli.Run(["verify", "--db", server.Db]).Code);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task When_none_of_these_wins_nothing_is_in_force(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var c = await CouncilAsync(server, 4);
        string motion = await ContestedAsync(c, "Open on Fridays too.");

        await CastAsync(c, motion, 0, 2, "none-of-these", "original");
        await CastAsync(c, motion, 2, 1, "original", "counter-proposal-1", "none-of-these");
        await CastAsync(c, motion, 3, 1, "counter-proposal-1", "none-of-these");
        await server.AdvanceAsync(TimeSpan.FromHours(1));
        var closed = await server.StateAsync(motion, "rejected");

        var result = closed.GetProperty("result");
        // The Schulze count's winner is "none of these", and it is not a text: nothing is in force.
        Assert.Equal(["none-of-these"], result.GetProperty("winners").EnumerateArray().Select(w => w.GetString()!).ToArray());
        Assert.Equal("none-of-these", result.GetProperty("statusQuo").GetProperty("leader").GetString());
        Assert.False(result.GetProperty("statusQuo").GetProperty("beaten").GetBoolean());
        var tally = TallyOfExportedBallots(server.Db, c.Id, motion, result);
        Assert.Equal(["none-of-these"], tally["winners"]!.AsArray().Select(w => w!.GetValue<string>()).ToArray());
        // Nothing in force: no action, no call to action can be made from it.
        Assert.Equal("not-decided", (await c.Api.PostAsync($"/motions/{motion}/actions", new { description = "Post the new hours", due = "2030-01-01" }, c.Members[0])).Code);
        Assert.Equal(0, ShuraCli.Run(["verify", "--db", server.Db]).Code);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Counter_proposals_are_refused_outside_a_decision_in_deliberation_and_refusals_store_nothing(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var c = await CouncilAsync(server, 3);
        var outsider = await c.Api.RegisterAsync("Outsider");
        string decision = await c.Api.PutMotionAsync(c.Id, c.Members[0], new { kind = "decision", title = "Buy an oven", text = "A second oven." });
        string choice = await c.Api.PutMotionAsync(c.Id, c.Members[0], new { kind = "choice", title = "Colour", text = "", options = new[] { "Red", "Blue" }, method = "irv" });
        var before = Store.Snapshot(server.Database);

        Assert.Equal("not-a-member", (await c.Api.PostAsync($"/motions/{decision}/counter-proposals", new { text = "No oven." }, outsider)).Code);
        Assert.Equal("not-a-decision", (await c.Api.PostAsync($"/motions/{choice}/counter-proposals", new { text = "Green." }, c.Members[1])).Code);
        Assert.Equal("invalid-field", (await c.Api.PostAsync($"/motions/{decision}/counter-proposals", new { text = "" }, c.Members[1])).Code);
        Assert.Equal("invalid-field", (await c.Api.PostAsync($"/motions/{decision}/counter-proposals", new { text = new string('x', 50_001) }, c.Members[1])).Code);
        Assert.Equal(before, Store.Snapshot(server.Database));

        await server.AdvanceAsync(TimeSpan.FromHours(1));
        await server.StateAsync(decision, "voting");
        before = Store.Snapshot(server.Database);
        Assert.Equal("not-in-deliberation", (await c.Api.PostAsync($"/motions/{decision}/counter-proposals", new { text = "Too late." }, c.Members[1])).Code);
        Assert.Equal(before, Store.Snapshot(server.Database));
        // Voted without counter-proposals, the decision stays yes / no / abstain.
        Assert.Empty((await c.Api.MotionAsync(decision)).GetProperty("options").EnumerateArray());
        (await c.Api.CastAsync(decision, c.Members[1], new { choice = "yes" })).Ok();
    }

    [Fact]
    public async Task Through_the_page_a_member_puts_a_counter_proposal_ranks_the_texts_and_reads_what_is_in_force_in_persian()
    {
        await using var server = await TestServer.StartAsync(fakeClock: true);
        var c = await CouncilAsync(server, 2);
        string motion = await c.Api.PutMotionAsync(c.Id, c.Members[0], new { kind = "decision", title = "The bakery's hours", text = "Open from six to two." });
        string page = $"/motions/{motion}";
        using var babak = await new Visitor(server.Client.BaseAddress!).SignInAsync(c.Members[1]);

        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await babak.PostAsync(page, $"{page}?handler=CounterPropose", new() { ["text"] = "Open from <b>seven</b> to three." })).StatusCode);
        string html = await (await babak.GetAsync(page)).Content.ReadAsStringAsync();
        Assert.Contains("Counter-proposal 1", html, StringComparison.Ordinal);
        Assert.Contains("Open from &lt;b&gt;seven&lt;/b&gt; to three.", html, StringComparison.Ordinal);

        await server.AdvanceAsync(TimeSpan.FromHours(1));
        await server.StateAsync(motion, "voting");
        // The ranking control: option 1 (counter-proposal 1) first, option 2 (none of these) second, the original left out.
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await babak.PostAsync(page, $"{page}?handler=Cast", new() { ["rank-1"] = "1", ["rank-2"] = "2", ["rank-0"] = "" })).StatusCode);
        Assert.Equal(["counter-proposal-1", "none-of-these"],
            (await c.Api.MotionAsync(motion, c.Members[1])).GetProperty("myBallot").GetProperty("ballot").GetProperty("ranking").EnumerateArray().Select(r => r.GetString()!).ToArray());
        await server.AdvanceAsync(TimeSpan.FromHours(1));
        await server.StateAsync(motion, "in-force");

        using var leyla = await new Visitor(server.Client.BaseAddress!).SignInAsync(c.Members[0]);
        leyla.Speak("fa");
        html = await (await leyla.GetAsync(page)).Content.ReadAsStringAsync();
        Assert.Contains("اجرایی: <bdi>طرح جایگزین ۱</bdi>.", html, StringComparison.Ordinal); // the name isolated in the sentence
        Assert.Contains("id=\"text-in-force\"", html, StringComparison.Ordinal);
        Assert.Contains("طرح‌های جایگزین", html, StringComparison.Ordinal);
    }

    /// <summary>
    /// What anyone can do with the exported log alone: take each voter's latest ballot on the
    /// motion, write them as a ballot file and count it with <c>shura tally --method schulze</c>
    /// and the seed the result names.
    /// </summary>
    private static JsonObject TallyOfExportedBallots(string db, string council, string motion, JsonElement result)
    {
        var (code, output, _) = ShuraCli.Run(["export", "--council", council, "--db", db]);
        Assert.Equal(0, code);
        var latest = new Dictionary<string, JsonNode?>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var entry = JsonNode.Parse(line)!;
            var payload = JsonNode.Parse(entry["payload"]!.GetValue<string>())!;
            if (payload["motion"]?.GetValue<string>() != motion)
            {
                continue;
            }
            switch (entry["type"]!.GetValue<string>())
            {
                case "ballot-cast":
                    latest[payload["voter"]!.GetValue<string>()] = payload["ballot"]!.DeepClone();
                    break;
                case "ballot-withdrawn":
                    latest.Remove(payload["voter"]!.GetValue<string>());
                    break;
            }
        }
        var file = new JsonObject
        {
            ["candidates"] = JsonNode.Parse(result.GetProperty("candidates").GetRawText()),
            ["ballots"] = new JsonArray([.. latest.Values]),
        };
        string path = Path.Combine(Directory.CreateTempSubdirectory("shura-contest-").FullName, "ballots.json");
        File.WriteAllText(path, file.ToJsonString());
        string seed = result.GetProperty("lot").GetProperty("seed").GetString()!;
        var (tallied, json, errors) = ShuraCli.Run(["tally", "--method", "schulze", "--seed", seed, "--json", path]);
        Assert.True(tallied == 0, errors);
        return JsonNode.Parse(json)!.AsObject();
    }

    private static string Json(JsonNode? node) => node?.ToJsonString() ?? "null";

}
