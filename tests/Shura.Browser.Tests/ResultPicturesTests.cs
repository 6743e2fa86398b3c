using Microsoft.Playwright;
using Shura.Browser.Tests.Support;
using Shura.Web.Tests.Support;

namespace Shura.Browser.Tests;

/// <summary>
/// Every kind of result picture, closed, in English and Persian, on a phone and a wide screen: each is
/// saved under artifacts/results to be looked at, fits the screen, has no serious accessibility
/// problem, and a round-by-round count's flow runs from the start of the line in both directions.
/// </summary>
public sealed class ResultPicturesTests(Browsers browsers) : IClassFixture<Browsers>
{
    [Fact]
    public async Task Every_results_picture_fits_reads_and_mirrors_in_both_languages_and_widths()
    {
        await using var stage = await Stage.StartAsync();
        var world = new World(stage.Server);
        var api = world.Api;
        var people = await world.PeopleAsync("Leyla Ahmadi", "Sam Carter", "مینا رحیمی", "Joe Baker", "بابک نوری", "Ruth Evans");
        string council = await world.CouncilAsync("Bakery workers", people);

        var motions = new Dictionary<string, string>
        {
            ["decision"] = await api.PutMotionAsync(council, people[0], new { kind = "decision", title = "Strike on Monday", text = "" }),
            ["plurality"] = await api.PutMotionAsync(council, people[0], new { kind = "choice", title = "Where we meet", text = "", options = new[] { "Park", "کتابخانه", "Cafe" }, method = "plurality" }),
            ["approval"] = await api.PutMotionAsync(council, people[0], new { kind = "choice", title = "Which days", text = "", options = new[] { "Monday", "چهارشنبه", "Friday" }, method = "approval" }),
            ["score"] = await api.PutMotionAsync(council, people[0], new { kind = "choice", title = "Rooms", text = "", options = new[] { "Hall", "کافه" }, method = "score" }),
            ["schulze"] = await api.PutMotionAsync(council, people[0], new { kind = "choice", title = "Our name", text = "", options = new[] { "Bread and Roses", "نان و گل", "The Oven", "Hafez Street" }, method = "schulze" }),
            ["irv"] = await api.PutMotionAsync(council, people[0], new { kind = "choice", title = "Chair", text = "", options = new[] { "Park", "کتابخانه", "Cafe", "Garden" }, method = "irv" }),
            ["stv"] = await api.PutMotionAsync(council, people[0], new { kind = "choice", title = "Committee", text = "", options = new[] { "Park", "کتابخانه", "Cafe", "Garden" }, method = "stv", seats = 2 }),
            ["meek"] = await api.PutMotionAsync(council, people[0], new { kind = "choice", title = "Stewards", text = "", options = new[] { "Park", "کتابخانه", "Cafe", "Garden" }, method = "meek", seats = 2 }),
        };
        string[] choices = ["yes", "yes", "yes", "no", "abstain", "yes"];
        string[][] rankings =
        [
            ["Park", "کتابخانه"], ["Park", "کتابخانه"], ["Park", "کتابخانه"], ["Park", "کتابخانه"], ["Cafe"], ["Garden"],
        ];
        string[][] names =
        [
            ["Bread and Roses", "نان و گل", "The Oven"], ["نان و گل", "Hafez Street"], ["The Oven", "نان و گل"],
            ["Bread and Roses", "The Oven"], ["نان و گل", "Bread and Roses"], ["Hafez Street", "نان و گل", "The Oven"],
        ];
        // IRV: Cafe and Garden tie for fewest in round 1 and no earlier round parts them: the lot does.
        string[][] runoff = [["Park"], ["Park"], ["کتابخانه", "Park"], ["Cafe", "Park"], ["Garden", "Park"], ["کتابخانه", "Park"]];
        for (int i = 0; i < people.Length; i++)
        {
            (await api.CastAsync(motions["decision"], people[i], new { choice = choices[i] })).Ok();
            (await api.CastAsync(motions["plurality"], people[i], new { choice = i % 3 == 0 ? "Park" : i % 3 == 1 ? "کتابخانه" : "Park" })).Ok();
            (await api.CastAsync(motions["approval"], people[i], new { approvals = i % 2 == 0 ? new[] { "Monday", "چهارشنبه" } : ["Friday"] })).Ok();
            (await api.CastAsync(motions["score"], people[i], new { scores = new Dictionary<string, int> { ["Hall"] = i % 6, ["کافه"] = 5 - (i % 4) } })).Ok();
            (await api.CastAsync(motions["schulze"], people[i], new { ranking = names[i] })).Ok();
            (await api.CastAsync(motions["stv"], people[i], new { ranking = rankings[i] })).Ok();
            (await api.CastAsync(motions["meek"], people[i], new { ranking = rankings[i] })).Ok();
            (await api.CastAsync(motions["irv"], people[i], new { ranking = runoff[i] })).Ok();
        }

        // A federation's decision, counted by its delegates' weights.
        var tailors = await world.PeopleAsync("Dara Karimi", "Elham", "Farid Shams", "Grace");
        string city = await world.FederationAsync("City federation", people[0], weighted: true, votingPeriod: "PT1H");
        string tailoring = await world.CouncilAsync("Tailors", tailors);
        await world.JoinFederationAsync(council, people, city);
        await world.JoinFederationAsync(tailoring, tailors, city);
        await world.ElectDelegatesAsync(council, people, city, [people[0]], method: "irv");
        await world.ElectDelegatesAsync(tailoring, tailors, city, [tailors[0]], method: "irv");
        motions["federation"] = await api.PutMotionAsync(city, tailors[0], new { kind = "decision", title = "Rent control", text = "" });
        (await api.CastAsync(motions["federation"], people[0], new { choice = "yes" })).Ok();
        (await api.CastAsync(motions["federation"], tailors[0], new { choice = "no" })).Ok();
        await stage.AdvanceAsync(TimeSpan.FromHours(2));
        foreach (var motion in motions.Values)
        {
            Assert.NotEqual("voting", await api.StateAsync(motion));
        }

        string folder = Browsers.Artifacts("results");
        var problems = new List<string>();
        foreach (string language in new[] { "en", "fa" })
        {
            foreach (int width in new[] { 360, 1280 })
            {
                var page = await browsers.OpenAsync(stage.Address, language, width: width, bypassCsp: true);
                foreach (var (kind, motion) in motions)
                {
                    await page.GotoAsync($"/motions/{motion}");
                    var result = page.Locator("#result");
                    await Assertions.Expect(result.Locator("svg.picture").First).ToBeVisibleAsync();
                    await result.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(folder, $"{kind}-{language}-{width}.png") });
                    // Nothing wider than the screen: the page does not scroll sideways.
                    bool fits = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth");
                    if (!fits)
                    {
                        problems.Add($"{kind} {language} {width}: the page scrolls sideways");
                    }
                    problems.AddRange((await Browsers.AccessibilityProblemsAsync(page)).Select(p => $"{kind} {language} {width}: {p}"));
                    if (kind is "decision" or "plurality" or "approval" or "score")
                    {
                        // Votes and share apart by a sign no digit resembles: "·" reads as the Persian zero, so Persian has "—".
                        string label = await result.Locator("svg.picture text.label").First.TextContentAsync() ?? "";
                        if (!label.Contains(language == "fa" ? " — " : " · ", StringComparison.Ordinal) || (language == "fa" && label.Contains('·')))
                        {
                            problems.Add($"{kind} {language} {width}: the picture's label \"{label}\" has the wrong separator");
                        }
                    }
                    if (kind is "irv" or "stv" or "meek")
                    {
                        // The flow starts where the line starts: round 1 at the left in English, at the right in Persian.
                        var flow = result.Locator("svg.picture").Last;
                        var first = await flow.Locator("rect.node").First.BoundingBoxAsync();
                        var last = await flow.Locator("rect.node").Last.BoundingBoxAsync();
                        bool startsAtStart = language == "fa" ? first!.X > last!.X : first!.X < last!.X;
                        if (!startsAtStart)
                        {
                            problems.Add($"{kind} {language} {width}: the flow runs the wrong way");
                        }
                        await Assertions.Expect(result.Locator("ol.story li").First).ToBeVisibleAsync();
                    }
                }
                await page.Context.CloseAsync();
            }
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.Equal(motions.Count * 4, Directory.GetFiles(folder, "*.png").Count(f => motions.Keys.Any(k => Path.GetFileName(f).StartsWith(k + "-", StringComparison.Ordinal))));
    }
}
