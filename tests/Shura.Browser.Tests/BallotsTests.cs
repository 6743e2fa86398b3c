using Microsoft.Playwright;
using Shura.Browser.Tests.Support;

namespace Shura.Browser.Tests;

/// <summary>Joining by invitation, and the ballot controls of the other methods: approvals, scores, an IRV count round by round, and withdrawing a ballot.</summary>
public sealed class BallotsTests(Browsers browsers) : IClassFixture<Browsers>
{
    [Fact]
    public async Task A_person_joins_by_invitation_and_votes_with_approvals_scores_and_a_ranking_then_withdraws()
    {
        await using var stage = await Stage.StartAsync();
        var api = stage.Api;
        var leyla = await api.RegisterAsync("Leyla Ahmadi");
        var sam = await api.RegisterAsync("Sam Carter");
        var joe = await api.RegisterAsync("Joe Baker");
        string council = await api.CreateCouncilAsync(leyla, Web.Tests.Support.Api.QuickSettings(voting: "PT1H", join: "invitation"));

        // Leyla invites Sam with a single-use link; Sam follows it, signs in, and joins.
        var leylaPage = await browsers.OpenAsync(stage.Address);
        await People.SignInAsync(leylaPage, leyla);
        await leylaPage.GotoAsync($"/councils/{council}");
        await leylaPage.GetByRole(AriaRole.Button, new() { Name = "Invite someone" }).ClickAsync();
        string link = await leylaPage.GetByLabel("Invitation link").InputValueAsync();

        var page = await browsers.OpenAsync(stage.Address);
        await page.GotoAsync(link);
        await page.WaitForURLAsync("**/signin**");
        await page.Locator("input[name=email]").FillAsync(sam.Email);
        await page.Locator("input[name=password]").FillAsync(People.Password);
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Join the council" }).ClickAsync();
        await Assertions.Expect(page.Locator("#council-facts")).ToContainTextAsync("2 members");
        var mina = await api.RegisterAsync("Mina Rahimi");
        var ruth = await api.RegisterAsync("Ruth Evans");
        foreach (var invited in new[] { joe, mina, ruth })
        {
            string invitation = (await api.PostAsync($"/councils/{council}/invitations", null, leyla)).Ok().Body.GetProperty("invitation").GetString()!;
            (await api.PostAsync($"/councils/{council}/members", new { invitation }, invited)).Ok();
        }

        string approval = await api.PutMotionAsync(council, leyla, new { kind = "choice", title = "Which days we meet", text = "", options = new[] { "Monday", "Wednesday", "Friday" }, method = "approval" });
        string score = await api.PutMotionAsync(council, leyla, new { kind = "choice", title = "How good is each room", text = "", options = new[] { "Hall", "Cafe" }, method = "score" });
        string runoff = await api.PutMotionAsync(council, leyla, new { kind = "choice", title = "Our name", text = "", options = new[] { "Bread and Roses", "Hafez Street", "The Oven" }, method = "irv" });
        await stage.StateAsync(runoff, "voting");

        await page.GotoAsync($"/motions/{approval}");
        await page.GetByLabel("Monday").CheckAsync();
        await page.GetByLabel("Friday").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Cast your ballot" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mine")).ToContainTextAsync("Monday, Friday");
        await Assertions.Expect(page.Locator("#result")).ToContainTextAsync("Monday: 1");

        await page.GotoAsync($"/motions/{score}");
        await page.GetByLabel("Hall").SelectOptionAsync("5");
        await page.GetByLabel("Cafe").SelectOptionAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cast your ballot" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mine")).ToContainTextAsync("Hall 5, Cafe 2");
        await Assertions.Expect(page.Locator("#result")).ToContainTextAsync("Hall: 5");

        // Five ballots, no majority at first: The Oven has fewest, is excluded, and its ballot goes to Hafez Street.
        (await api.CastAsync(runoff, leyla, new { ranking = new[] { "Bread and Roses" } })).Ok();
        (await api.CastAsync(runoff, ruth, new { ranking = new[] { "Bread and Roses" } })).Ok();
        (await api.CastAsync(runoff, mina, new { ranking = new[] { "Hafez Street" } })).Ok();
        (await api.CastAsync(runoff, joe, new { ranking = new[] { "The Oven", "Hafez Street" } })).Ok();
        await page.GotoAsync($"/motions/{runoff}");
        await page.Locator("select[aria-label='Place of Hafez Street']").SelectOptionAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cast your ballot" }).ClickAsync();
        await Assertions.Expect(page.Locator("#result .outcome")).ToHaveTextAsync("Leading: Hafez Street");
        await page.GetByText("Every round, in numbers").ClickAsync();
        var table = page.Locator("#result table");
        await Assertions.Expect(table.Locator("tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(table.Locator("tbody tr").Nth(0)).ToContainTextAsync("excluded: The Oven");
        await Assertions.Expect(table.Locator("tbody tr").Nth(1)).ToContainTextAsync("elected: Hafez Street");
        await Browsers.ScreenshotAsync(page, "irv-rounds-js-en-360");

        await page.GetByRole(AriaRole.Button, new() { Name = "Withdraw your ballot" }).ClickAsync();
        await Assertions.Expect(page.Locator("#result")).ToContainTextAsync("4 ballots");
        await Assertions.Expect(page.Locator(".mine")).ToHaveCountAsync(0);
    }
}
