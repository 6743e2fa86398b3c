using Microsoft.Playwright;
using Shura.Browser.Tests.Support;

namespace Shura.Browser.Tests;

/// <summary>
/// The demo as its suggested accounts find it, each in their language: from their home page to the
/// neighbourhood council where a ranked vote waits for their ballot and a recall is one withdrawal away.
/// </summary>
public sealed class DemoTourTests(Browsers browsers) : IClassFixture<Browsers>
{
    [Theory]
    [InlineData("sam", "en")]
    [InlineData("leyla", "fa")]
    public async Task The_suggested_accounts_find_an_open_ranked_vote_and_a_recall_under_way(string handle, string language)
    {
        bool fa = language == "fa";
        await using var server = await Demo.StartAsync();
        var page = await browsers.OpenAsync(server.Client.BaseAddress!, language);
        await Demo.SignInAsync(page, handle);
        Assert.Equal(language, await page.Locator("html").GetAttributeAsync("lang"));

        // Their councils include Narmak's; there the open ranked vote is theirs to cast.
        await page.GetByRole(AriaRole.Link, new() { Name = "شورای محله نارمک" }).First.ClickAsync();
        await page.Locator("#motions a", new() { HasText = "Where the neighbourhood meets" }).ClickAsync();
        await Assertions.Expect(page.Locator("#ballot")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#ballot .mine")).ToHaveCountAsync(0);
        await page.Locator("#rank-0").SelectOptionAsync("1");
        await page.Locator("#rank-1").SelectOptionAsync("2");
        await page.Locator("#ballot button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync(fa ? "رای شما شمرده شد" : "Your ballot is counted");

        // And their delegate to the federation is one withdrawal from recall.
        await page.GoBackAsync();
        await page.GoBackAsync();
        await page.Locator("a[href^='/mandates/']").First.ClickAsync();
        await Assertions.Expect(page.Locator("#holders .remaining").Last).ToContainTextAsync(fa ? "یک سلب اعتماد دیگر" : "1 more withdrawal recalls");
        await Browsers.ScreenshotAsync(page, $"demo-recall-{language}-360");
    }
}
