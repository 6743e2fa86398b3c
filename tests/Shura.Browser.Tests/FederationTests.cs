using Microsoft.Playwright;
using Shura.Browser.Tests.Support;

namespace Shura.Browser.Tests;

/// <summary>A base council binds its delegate from the pages, and the federation's page shows the bound ballot.</summary>
public sealed class FederationTests(Browsers browsers) : IClassFixture<Browsers>
{
    [Fact]
    public async Task A_base_council_instructs_its_delegate_and_the_federation_shows_the_ballot_bound()
    {
        await using var stage = await Stage.StartAsync();
        var api = stage.Api;
        var leyla = await api.RegisterAsync("Leyla Ahmadi");
        var sam = await api.RegisterAsync("Sam Carter");
        string federation = (await api.PostAsync("/councils", new
        {
            name = "City Federation of Councils", description = "", federation = true,
            settings = new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H" },
        }, leyla)).Ok().Id;
        string bakery = await api.CreateCouncilAsync(leyla, Web.Tests.Support.Api.QuickSettings(voting: "PT10M"), "Bakery workers");
        await api.JoinAsync(bakery, sam);

        // The bakery joins the federation and elects Leyla its delegate.
        string joining = await api.PutMotionAsync(bakery, leyla, new { kind = "federate", title = "Join the city federation", text = "", federation });
        await stage.StateAsync(joining, "voting");
        (await api.CastAsync(joining, leyla, new { choice = "yes" })).Ok();
        (await api.CastAsync(joining, sam, new { choice = "yes" })).Ok();
        await stage.AdvanceAsync(TimeSpan.FromMinutes(10));
        await stage.StateAsync(joining, "in-force");
        string mandate = (await api.PostAsync($"/councils/{bakery}/mandates", new { name = "Delegates", kind = "delegate", federation }, leyla)).Ok().Id;
        string election = await api.PutMotionAsync(bakery, leyla, new { kind = "election", title = "Elect our delegate", text = "", mandate, method = "irv", candidates = new[] { leyla.Id } });
        await stage.StateAsync(election, "voting");
        (await api.CastAsync(election, sam, new { ranking = new[] { leyla.Id } })).Ok();
        await stage.AdvanceAsync(TimeSpan.FromMinutes(10));
        await stage.StateAsync(election, "decided");

        // In the federation, Leyla votes yes on a question.
        string question = await api.PutMotionAsync(federation, leyla, new { kind = "decision", title = "Back the city-wide rent freeze", text = "" });
        await stage.StateAsync(question, "voting");
        (await api.CastAsync(question, leyla, new { choice = "yes" })).Ok();

        // Sam, without JavaScript, puts an instruction: the bakery's delegates vote no.
        var page = await browsers.OpenAsync(stage.Address, javaScript: false);
        await People.SignInAsync(page, sam);
        await page.GotoAsync($"/councils/{bakery}/motions/new?kind=instruction");
        await page.Locator("input[name=title]").FillAsync("Our delegate votes no on the rent freeze");
        await page.Locator("select[name=federationMotion]").SelectOptionAsync(question);
        await page.GetByLabel("no", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Put the motion" }).ClickAsync();
        await page.WaitForURLAsync("**/motions/*");
        string instruction = page.Url.Split('/')[^1];
        await People.ReloadUntilAsync(page, async () => await page.Locator("#ballot").CountAsync() == 1);
        await page.GetByLabel("yes", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Cast your ballot" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mine")).ToContainTextAsync("yes");
        // The bakery votes for ten minutes of the stage's clock; the federation's question, for an hour, stays open.
        await stage.AdvanceAsync(TimeSpan.FromMinutes(10));
        await stage.StateAsync(instruction, "in-force");
        await stage.StateAsync(question, "voting");

        // The federation's page shows Leyla's ballot changed to no and bound by the instruction.
        await page.GotoAsync($"/motions/{question}");
        var delegates = page.Locator("#delegates");
        await Assertions.Expect(delegates).ToContainTextAsync("Leyla Ahmadi");
        await Assertions.Expect(delegates).ToContainTextAsync("Bakery workers");
        await Assertions.Expect(delegates).ToContainTextAsync("no · weight 1 · bound by an instruction");
        await Browsers.ScreenshotAsync(page, "federation-motion-nojs-en-360");
    }
}
