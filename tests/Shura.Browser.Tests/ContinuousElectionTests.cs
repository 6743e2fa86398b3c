using Microsoft.Playwright;
using Shura.Browser.Tests.Support;

namespace Shura.Browser.Tests;

/// <summary>A convener held by continuous election: a member ranks from the mandate's page, and a majority seats the newcomer at once.</summary>
public sealed class ContinuousElectionTests(Browsers browsers) : IClassFixture<Browsers>
{
    [Fact]
    public async Task A_standing_ranking_from_the_page_leads_and_a_majority_seats_the_newcomer_at_once()
    {
        await using var stage = await Stage.StartAsync();
        var api = stage.Api;
        var leyla = await api.RegisterAsync("Leyla Ahmadi");
        var sam = await api.RegisterAsync("Sam Carter");
        var mina = await api.RegisterAsync("Mina Rahimi");
        string council = await stage.CouncilAsync(leyla, [sam, mina]);
        string mandate = (await api.PostAsync($"/councils/{council}/mandates", new
        {
            name = "Convener", kind = "convener", seats = 1, continuous = true, settlePeriod = "PT24H",
        }, leyla)).Ok().Id;

        var page = await browsers.OpenAsync(stage.Address);
        await People.SignInAsync(page, leyla);
        await page.GotoAsync($"/mandates/{mandate}");
        await page.Locator("#standing select[aria-label='Place of Sam Carter']").SelectOptionAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save your standing ranking" }).ClickAsync();
        await Assertions.Expect(page.Locator("#standing-count")).ToContainTextAsync("1 standing ballot");
        await Assertions.Expect(page.Locator("#standing-count")).ToContainTextAsync("Leading now: Sam Carter");
        Assert.Equal([sam.Id], (await api.GetAsync($"/mandates/{mandate}", leyla)).Ok().Body
            .GetProperty("continuous").GetProperty("myRanking").EnumerateArray().Select(r => r.GetString()));

        // Mina ranks Sam too: two of three is more than half the electorate, so he is seated now, not in a day.
        (await api.SendAsync(HttpMethod.Put, $"/mandates/{mandate}/ranking", new { ranking = new[] { sam.Id } }, mina)).Ok();
        await Assertions.Expect(page.Locator("#holders")).ToContainTextAsync("Sam Carter");
        await Browsers.ScreenshotAsync(page, "continuous-js-en-360");
    }
}
