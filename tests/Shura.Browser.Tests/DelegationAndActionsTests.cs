using Microsoft.Playwright;
using Shura.Browser.Tests.Support;

namespace Shura.Browser.Tests;

/// <summary>Delegating a vote and carrying a decision out, in pages without JavaScript.</summary>
public sealed class DelegationAndActionsTests(Browsers browsers) : IClassFixture<Browsers>
{
    [Fact]
    public async Task A_member_delegates_their_vote_then_adds_an_action_volunteers_and_reports_it_done()
    {
        await using var stage = await Stage.StartAsync();
        var api = stage.Api;
        var leyla = await api.RegisterAsync("Leyla Ahmadi");
        var sam = await api.RegisterAsync("Sam Carter");
        string council = await api.CreateCouncilAsync(leyla, new
        {
            supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H", delegation = true,
        });
        await api.JoinAsync(council, sam);
        // The council votes by secret ballot: Leyla chooses to be a public delegate so that others may trust her with their vote.
        (await api.SendAsync(HttpMethod.Put, $"/councils/{council}/delegation/public", new { @public = true }, leyla)).Ok();
        string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Open the books to every worker", text = "" });
        await stage.StateAsync(motion, "voting");
        (await api.CastAsync(motion, leyla, new { choice = "yes" })).Ok();
        await stage.CloseAsync(motion, "in-force");

        var page = await browsers.OpenAsync(stage.Address, javaScript: false);
        await People.SignInAsync(page, sam);

        // Sam trusts Leyla with his vote on every motion, and can see it and take it back.
        await page.GotoAsync($"/councils/{council}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Delegating your vote" }).ClickAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("you can delegate only to a member who chose to be a public delegate");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Become a public delegate" })).ToBeVisibleAsync();
        await page.Locator("select[name=to]").SelectOptionAsync(new SelectOptionValue { Label = "Leyla Ahmadi" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Delegate", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("ul.cards")).ToContainTextAsync("Every motion → Leyla Ahmadi");
        var mine = (await api.GetAsync($"/councils/{council}/delegation", sam)).Ok().Body;
        Assert.Equal(leyla.Id, mine[0].GetProperty("to").GetString());

        // The decision is in force: Sam adds an action that was due yesterday, so it is overdue at once.
        await page.GotoAsync($"/motions/{motion}");
        await page.GetByText("Add an action that carries this out").ClickAsync();
        await page.Locator("textarea[name=description]").FillAsync("Copy the accounts for every worker");
        string yesterday = TimeProvider.System.GetUtcNow().AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.Locator("input[name=due]").FillAsync(yesterday);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the action" }).ClickAsync();
        await page.WaitForURLAsync($"**/councils/{council}/actions");
        var action = page.Locator("#actions li.holder").First;
        await Assertions.Expect(action).ToContainTextAsync("Overdue");
        await Assertions.Expect(action).ToContainTextAsync("Carried out by: nobody yet");

        await action.GetByRole(AriaRole.Button, new() { Name = "Volunteer" }).ClickAsync();
        await Assertions.Expect(page.Locator("#actions li.holder").First).ToContainTextAsync("Carried out by: Sam Carter");

        await page.GetByText("Report progress").First.ClickAsync();
        await page.Locator("textarea[name=text]").FillAsync("Every worker has a copy.");
        await page.Locator("#actions select[name=status]").SelectOptionAsync("done");
        await page.GetByRole(AriaRole.Button, new() { Name = "Report progress" }).ClickAsync();
        action = page.Locator("#actions li.holder").First;
        await Assertions.Expect(action).ToContainTextAsync("Every worker has a copy.");
        await Assertions.Expect(action).Not.ToContainTextAsync("Overdue");
        await Browsers.ScreenshotAsync(page, "actions-nojs-en-360");
    }
}
