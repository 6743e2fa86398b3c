using System.Net.Http.Headers;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Site;

/// <summary>
/// Results people read at a glance: a closed decision in the past tense and coloured so; no option
/// drawn as winning before anyone voted; a pairwise matrix with its legend and a plain sentence
/// saying who beats every other head to head.
/// </summary>
public class ResultPagesTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    private static async Task<string> PageAsync(TestServer server, string path, string language = "en")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        using var response = await server.Client.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_closed_decision_says_passed_or_rejected_and_nothing_wins_before_a_ballot_and_a_matrix_is_explained(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var api = server.Api();
        var people = new[] { await api.RegisterAsync("Leyla"), await api.RegisterAsync("Babak"), await api.RegisterAsync("Sara") };
        string council = await api.CreateCouncilAsync(people[0], new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H" });
        await api.JoinAsync(council, people[1], people[2]);
        string passes = await api.PutMotionAsync(council, people[0], new { kind = "decision", title = "Strike on Monday", text = "" });
        string fails = await api.PutMotionAsync(council, people[0], new { kind = "decision", title = "Work on Sunday", text = "" });
        string place = await api.PutMotionAsync(council, people[0], new { kind = "choice", title = "Where we meet", text = "", options = new[] { "Park", "Library", "Cafe" }, method = "schulze" });

        // Before any ballot, no option is drawn or named as winning.
        string empty = await PageAsync(server, $"/motions/{place}");
        Assert.DoesNotContain("bar win", empty, StringComparison.Ordinal);
        Assert.DoesNotContain("label win", empty, StringComparison.Ordinal);
        Assert.DoesNotContain("beats every other", empty, StringComparison.Ordinal);

        // A member about to vote reads "your ballot" once, in Persian too (the fieldset says "your choice").
        using (var visitor = await new Visitor(server.Client.BaseAddress!).SignInAsync(people[1]))
        {
            visitor.Speak("fa");
            string ballot = await (await visitor.GetAsync($"/motions/{passes}")).Content.ReadAsStringAsync();
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(ballot, ">رای شما<"));
            Assert.Contains(">انتخاب شما<", ballot, StringComparison.Ordinal);
        }

        foreach (var person in people)
        {
            (await api.CastAsync(passes, person, new { choice = "yes" })).Ok();
            (await api.CastAsync(fails, person, new { choice = "no" })).Ok();
        }
        (await api.CastAsync(place, people[0], new { ranking = new[] { "Library", "Park", "Cafe" } })).Ok();
        (await api.CastAsync(place, people[1], new { ranking = new[] { "Library", "Cafe", "Park" } })).Ok();
        (await api.CastAsync(place, people[2], new { ranking = new[] { "Park", "Library", "Cafe" } })).Ok();

        // While voting: the present tense, no colour of a verdict.
        Assert.Contains("<p class=\"outcome\">Passes</p>", await PageAsync(server, $"/motions/{passes}"), StringComparison.Ordinal);
        await server.AdvanceAsync(TimeSpan.FromHours(2));
        Assert.Contains("<p class=\"outcome passed\">Passed</p>", await PageAsync(server, $"/motions/{passes}"), StringComparison.Ordinal);
        Assert.Contains("<p class=\"outcome rejected\">Rejected</p>", await PageAsync(server, $"/motions/{fails}"), StringComparison.Ordinal);
        Assert.Contains("<p class=\"outcome rejected\">رد شد</p>", await PageAsync(server, $"/motions/{fails}", "fa"), StringComparison.Ordinal);

        // The matrix has its legend, and the sentence names the option that beats each other one.
        string decided = await PageAsync(server, $"/motions/{place}");
        Assert.Contains("Each cell: how many ballots rank the row", decided, StringComparison.Ordinal);
        // Names on both axes, and each cell both sides of its pair: Library (row 2) over Park (column 1) 2 to 1.
        Assert.Contains("<text class=\"head small\" x=\"134\" y=\"38\"><tspan class=\"name\">Park</tspan></text>", decided, StringComparison.Ordinal);
        Assert.Contains(">2:1</text>", decided, StringComparison.Ordinal);
        Assert.Contains(">۲ بر ۱</text>", await PageAsync(server, $"/motions/{place}", "fa"), StringComparison.Ordinal);
        Assert.Contains("<bdi>Library</bdi> beats every other option head to head.", decided, StringComparison.Ordinal);
        Assert.Contains("label win", decided, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_count_by_rounds_says_after_which_round_who_was_elected_or_excluded_and_why_with_the_quota_and_the_flow(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var api = server.Api();
        var people = new List<Person>();
        foreach (var name in new[] { "Leyla", "Babak", "Sara", "Omid", "Nika", "Reza" })
        {
            people.Add(await api.RegisterAsync(name));
        }
        string council = await api.CreateCouncilAsync(people[0], new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H" });
        await api.JoinAsync(council, [.. people.Skip(1)]);
        // Two seats, six ballots, quota 3: Park elected on first choices with one vote to spare, which
        // goes to Library; then Library, Cafe and Garden tie on one vote and round 1 separates them
        // (Library had none); Cafe and Garden then tie in every round, so the lot decides.
        string stv = await api.PutMotionAsync(council, people[0], new { kind = "choice", title = "Committee", text = "", options = new[] { "Park", "Library", "Cafe", "Garden" }, method = "stv", seats = 2 });
        string[][] rankings = [["Park", "Library"], ["Park", "Library"], ["Park", "Library"], ["Park", "Library"], ["Cafe"], ["Garden"]];
        for (int i = 0; i < people.Count; i++)
        {
            (await api.CastAsync(stv, people[i], new { ranking = rankings[i] })).Ok();
        }
        // One seat, three ballots, one first choice each: the lot excludes one at once.
        string irv = await api.PutMotionAsync(council, people[0], new { kind = "choice", title = "Chair", text = "", options = new[] { "Park", "Library", "Cafe" }, method = "irv" });
        string[][] irvRankings = [["Park", "Library"], ["Library", "Park"], ["Cafe", "Park"]];
        for (int i = 0; i < 3; i++)
        {
            (await api.CastAsync(irv, people[i], new { ranking = irvRankings[i] })).Ok();
        }
        await server.AdvanceAsync(TimeSpan.FromHours(2));

        string page = await PageAsync(server, $"/motions/{stv}");
        Assert.Contains("The dark line in each round: the quota of 3 votes, which elects.", page, StringComparison.Ordinal);
        Assert.Contains("After round <bdi>1</bdi>: <bdi>Park</bdi> elected, reaching the quota of <bdi>3</bdi>.", page, StringComparison.Ordinal);
        Assert.Contains("After round <bdi>1</bdi>: the surplus of <bdi>Park</bdi> (<bdi>1</bdi> above the quota) passed on", page, StringComparison.Ordinal);
        Assert.Contains("After round <bdi>2</bdi>: <bdi>Library</bdi> excluded, with the fewest votes (<bdi>1</bdi>); those ballots go to their next choices. It was tied; the earliest round", page, StringComparison.Ordinal);
        Assert.Matches("After round <bdi>3</bdi>: <bdi>(Cafe|Garden)</bdi> excluded, with the fewest votes \\(<bdi>1</bdi>\\); those ballots go to their next choices. It was tied, and no earlier round separated them: the lot decided \\(seed <bdi>[0-9a-f]{64}</bdi>\\)", page);
        Assert.Matches("After round <bdi>5</bdi>: <bdi>(Cafe|Garden)</bdi> elected, as there were as many options left as seats.", page);
        Assert.Contains("How the votes moved from round to round", page, StringComparison.Ordinal);
        Assert.Contains("class=\"band moved\"", page, StringComparison.Ordinal);
        Assert.Contains("class=\"quota\"", page, StringComparison.Ordinal);

        string chair = await PageAsync(server, $"/motions/{irv}");
        Assert.Contains("The dark line in each round: half of the ballots still counting; more than half elects.", chair, StringComparison.Ordinal);
        Assert.Matches("After round <bdi>1</bdi>: <bdi>(Park|Library|Cafe)</bdi> excluded, with the fewest votes \\(<bdi>1</bdi>\\); those ballots go to their next choices. It was tied, and no earlier round separated them: the lot decided", chair);
        Assert.Matches("After round <bdi>2</bdi>: <bdi>(Park|Library)</bdi> elected, with more than half of the ballots still counting \\(<bdi>2</bdi> of <bdi>[23]</bdi>\\).", chair);

        // In Persian the same, in Persian digits, the flow mirrored: round 1's bars on the right.
        string fa = await PageAsync(server, $"/motions/{stv}", "fa");
        Assert.Contains("پس از دور <bdi>۱</bdi>: <bdi>Park</bdi> با رسیدن به سهمیهٔ <bdi>۳</bdi> انتخاب شد.", fa, StringComparison.Ordinal);
        Assert.Contains("قرعه تعیین کرد", fa, StringComparison.Ordinal);
        var flow = System.Text.RegularExpressions.Regex.Match(fa, "<svg class=\"picture\"[^>]*viewBox=\"0 0 (\\d+) [^\"]*\"[^>]*aria-label=\"جابه‌جایی رای‌ها[^>]*>(.*?)</svg>");
        Assert.True(flow.Success, "the Persian page has the flow picture");
        int width = int.Parse(flow.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var nodes = System.Text.RegularExpressions.Regex.Matches(flow.Groups[2].Value, "<rect class=\"node[^\"]*\" x=\"([\\d.]+)\"")
            .Select(n => double.Parse(n.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(nodes.Max() > width * 0.6 && nodes.Min() < width * 0.4, $"the bars span the picture from right to left ({nodes.Min()}…{nodes.Max()} of {width})");
    }
}
