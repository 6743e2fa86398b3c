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
        Assert.Contains("<bdi>Library</bdi> beats every other option head to head.", decided, StringComparison.Ordinal);
        Assert.Contains("label win", decided, StringComparison.Ordinal);
    }
}
