using Microsoft.Playwright;
using Shura.Browser.Tests.Support;

namespace Shura.Browser.Tests;

/// <summary>
/// A call to action pledged from its page, in both languages: the pledge that reaches the threshold
/// shows it on, there and, without reloading, on another member's open page.
/// </summary>
public sealed class CallsTests(Browsers browsers) : IClassFixture<Browsers>
{
    [Theory]
    [InlineData("en", "I pledge to take part", "On: it goes ahead")]
    [InlineData("fa", "تعهد می‌دهم شرکت کنم", "برقرار است")]
    public async Task The_threshold_pledge_made_on_the_page_puts_the_call_on(string language, string pledge, string on)
    {
        await using var stage = await Stage.StartAsync();
        var api = stage.Api;
        var leyla = await api.RegisterAsync("Leyla Ahmadi");
        var sam = await api.RegisterAsync("Sam Carter");
        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 1, deliberationPeriod = "PT1H", votingPeriod = "PT1H" });
        await api.JoinAsync(council, sam);
        var now = TimeProvider.System.GetUtcNow();
        string call = (await api.PostAsync($"/councils/{council}/calls", new
        {
            title = "Strike at the mill", text = "We stop work together.", place = "The mill gate",
            startsAt = now.AddDays(3), threshold = 2, deadline = now.AddDays(1),
        }, leyla)).Ok().Id;
        (await api.SendAsync(HttpMethod.Put, $"/calls/{call}/pledge", null, leyla)).Ok();

        // Leyla watches the call's page: the pledge count and status change there without reloading.
        var watcher = await browsers.OpenAsync(stage.Address);
        await People.SignInAsync(watcher, leyla);
        await watcher.GotoAsync($"/posts/{call}");
        await Assertions.Expect(watcher.Locator("body[data-live=on]")).ToHaveCountAsync(1);

        var page = await browsers.OpenAsync(stage.Address, language, bypassCsp: true); // axe-core is injected into the page below
        await People.SignInAsync(page, sam);
        await page.GotoAsync($"/posts/{call}");
        await page.GetByRole(AriaRole.Button, new() { Name = pledge }).ClickAsync();

        await Assertions.Expect(page.Locator("#call [role=status]")).ToHaveTextAsync(on);
        await Assertions.Expect(watcher.Locator("#call [role=status]")).ToHaveTextAsync("On: it goes ahead");
        Assert.Equal("on", (await api.GetAsync($"/calls/{call}")).Ok().Body.GetProperty("status").GetString());
        Assert.Empty(await Browsers.AccessibilityProblemsAsync(page));
    }
}
