using Microsoft.Playwright;
using Shura.Browser.Tests.Support;

namespace Shura.Browser.Tests;

/// <summary>Deliberation in the pages, without JavaScript: amending a motion, and changing settings only by motion.</summary>
public sealed class DeliberationTests(Browsers browsers) : IClassFixture<Browsers>
{
    [Fact]
    public async Task A_member_amends_a_motion_the_proposer_adopts_it_and_new_settings_wait_for_a_vote()
    {
        await using var stage = await Stage.StartAsync();
        var api = stage.Api;
        var leyla = await api.RegisterAsync("Leyla Ahmadi");
        var sam = await api.RegisterAsync("Sam Carter");
        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 1, deliberationPeriod = "PT1H", votingPeriod = "PT1H" });
        await api.JoinAsync(council, sam);
        string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Open the books", text = "Every worker may read the accounts." });
        await stage.StateAsync(motion, "deliberation");

        var samPage = await browsers.OpenAsync(stage.Address, javaScript: false);
        await People.SignInAsync(samPage, sam);
        await samPage.GotoAsync($"/motions/{motion}");
        await samPage.Locator("#amendments textarea[name=text]").FillAsync("Every worker may read and copy the accounts.");
        await samPage.GetByRole(AriaRole.Button, new() { Name = "Propose the amendment" }).ClickAsync();
        await Assertions.Expect(samPage.Locator("#amendments")).ToContainTextAsync("Every worker may read and copy the accounts. Sam Carter");

        var leylaPage = await browsers.OpenAsync(stage.Address, javaScript: false);
        await People.SignInAsync(leylaPage, leyla);
        await leylaPage.GotoAsync($"/motions/{motion}");
        await leylaPage.GetByRole(AriaRole.Button, new() { Name = "Adopt into the motion" }).ClickAsync();
        await Assertions.Expect(leylaPage.Locator("#amendments")).ToContainTextAsync("adopted");
        Assert.Equal("Every worker may read and copy the accounts.", (await api.MotionAsync(motion)).GetProperty("text").GetString());

        // A draft stays with its author until they propose it.
        await leylaPage.GotoAsync($"/councils/{council}/motions/new?kind=decision");
        await leylaPage.Locator("input[name=title]").FillAsync("Buy a second oven");
        await leylaPage.GetByLabel("Save as a draft first").CheckAsync();
        await leylaPage.GetByRole(AriaRole.Button, new() { Name = "Put the motion" }).ClickAsync();
        await Assertions.Expect(leylaPage.Locator("#motion-state")).ToContainTextAsync("Draft");
        await leylaPage.GetByRole(AriaRole.Button, new() { Name = "Propose it to the council" }).ClickAsync();
        await Assertions.Expect(leylaPage.Locator("#motion-state")).ToContainTextAsync("Deliberation");

        // Sam proposes a shorter voting period: a settings motion, while the settings stay as they are.
        await samPage.GotoAsync($"/councils/{council}");
        await samPage.GetByRole(AriaRole.Link, new() { Name = "Propose new settings" }).ClickAsync();
        // Periods in days, hours and minutes: the hour in force shows as 0 days 1 hour.
        Assert.Equal(("0", "1", "0"), (await samPage.Locator("input[name=votingDays]").InputValueAsync(),
            await samPage.Locator("input[name=votingHours]").InputValueAsync(), await samPage.Locator("input[name=votingMinutes]").InputValueAsync()));
        await samPage.Locator("input[name=votingHours]").FillAsync("0");
        await samPage.Locator("input[name=votingMinutes]").FillAsync("30");
        await samPage.GetByRole(AriaRole.Button, new() { Name = "Put the motion" }).ClickAsync();
        await samPage.WaitForURLAsync("**/motions/*");
        await Assertions.Expect(samPage.Locator("#motion-state")).ToContainTextAsync("Settings");
        // It names only what it changes.
        await Assertions.Expect(samPage.Locator("#changes dt")).ToHaveTextAsync(["Voting"]);
        await Assertions.Expect(samPage.Locator("#changes dd")).ToHaveTextAsync(["30 minutes"]);
        var settings = (await api.GetAsync($"/councils/{council}")).Ok().Body.GetProperty("settings");
        Assert.Equal("PT1H", settings.GetProperty("votingPeriod").GetString());
    }

    [Fact]
    public async Task A_person_applies_to_join_and_the_members_admit_them_by_a_motion()
    {
        await using var stage = await Stage.StartAsync();
        var api = stage.Api;
        var leyla = await api.RegisterAsync("Leyla Ahmadi");
        var sam = await api.RegisterAsync("Sam Carter");
        string council = await api.CreateCouncilAsync(leyla, Web.Tests.Support.Api.QuickSettings(voting: "PT1H", join: "admission"));

        var page = await browsers.OpenAsync(stage.Address, javaScript: false);
        await People.SignInAsync(page, sam);
        await page.GotoAsync($"/councils/{council}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Join the council" }).ClickAsync();
        await page.WaitForURLAsync("**/motions/*");
        string application = page.Url.Split('/')[^1];
        await Assertions.Expect(page.Locator("#motion-state")).ToContainTextAsync("Admission");

        (await api.PostAsync($"/motions/{application}/support", null, leyla)).Ok();
        await stage.StateAsync(application, "voting");
        (await api.CastAsync(application, leyla, new { choice = "yes" })).Ok();
        await stage.CloseAsync(application, "in-force");

        await page.GotoAsync($"/councils/{council}");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Leave the council" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#council-facts")).ToContainTextAsync("2 members");
    }
}
