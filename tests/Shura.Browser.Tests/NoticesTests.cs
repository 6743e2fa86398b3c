using Microsoft.Playwright;
using Shura.Browser.Tests.Support;
using Shura.Web.Tests.Support;

namespace Shura.Browser.Tests;

/// <summary>
/// The header's unread count is live: a member's open page learns of a new notice in their council
/// without being reloaded (in Persian digits on a Persian page), and marking all read in another tab
/// does not need this one reloaded either to go on counting.
/// </summary>
public sealed class NoticesTests(Browsers browsers) : IClassFixture<Browsers>
{
    [Fact]
    public async Task A_new_notice_raises_the_unread_count_on_an_open_page_without_a_reload()
    {
        await using var stage = await Stage.StartAsync();
        var api = stage.Api;
        var (leyla, babak, stranger) = (await api.RegisterAsync("Leyla Ahmadi"), await api.RegisterAsync("Babak Karimi"), await api.RegisterAsync("Sam Carter"));
        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT5H" });
        string other = await api.CreateCouncilAsync(stranger, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT5H" }, name: "Another council");
        await api.JoinAsync(council, babak);

        var page = await browsers.OpenAsync(stage.Address, "fa");
        await People.SignInAsync(page, babak);
        await page.GotoAsync("/");
        var link = page.Locator("#inbox-link");
        await Assertions.Expect(link).ToHaveAttributeAsync("data-live", "on");
        await Assertions.Expect(link.Locator(".count")).ToHaveCountAsync(0);
        string loaded = await page.EvaluateAsync<string>("() => String(performance.timeOrigin)");

        // A council Babak is not in: his count does not move.
        await api.PutMotionAsync(other, stranger, new { kind = "decision", title = "Elsewhere", text = "" });
        // His own council: voting opened.
        await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Strike on Monday", text = "" });
        await Assertions.Expect(link.Locator(".count")).ToHaveTextAsync("۱");
        Assert.Equal("1", await link.GetAttributeAsync("data-unread-count"));
        await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Open on Fridays", text = "" });
        await Assertions.Expect(link.Locator(".count")).ToHaveTextAsync("۲");
        // The same page all along: it was never reloaded.
        Assert.Equal(loaded, await page.EvaluateAsync<string>("() => String(performance.timeOrigin)"));

        await link.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "همه را خوانده‌شده کن" }).ClickAsync();
        await Assertions.Expect(page.Locator("#inbox-link .count")).ToHaveCountAsync(0);
    }
}
