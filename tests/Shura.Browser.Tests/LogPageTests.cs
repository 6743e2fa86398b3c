using Microsoft.Playwright;
using Shura.Browser.Tests.Support;

namespace Shura.Browser.Tests;

/// <summary>The public log read on a phone, in both languages: newest first, each entry naming what it concerns and who wrote it, with the download.</summary>
public sealed class LogPageTests(Browsers browsers) : IClassFixture<Browsers>
{
    [Theory]
    [InlineData("en")]
    [InlineData("fa")]
    public async Task The_log_reads_newest_first_names_its_subjects_and_the_clock_and_fits_a_phone(string language)
    {
        bool fa = language == "fa";
        await using var stage = await Stage.StartAsync();
        var api = stage.Api;
        var leyla = await api.RegisterAsync("Leyla Ahmadi");
        string council = await api.CreateCouncilAsync(leyla, Web.Tests.Support.Api.QuickSettings(voting: "PT1H"), "Bakery workers");
        string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Strike on Monday", text = "" });
        (await api.CastAsync(motion, leyla, new { choice = "yes" })).Ok();
        await stage.CloseAsync(motion, "in-force");

        var page = await browsers.OpenAsync(stage.Address, language, width: 360, bypassCsp: true);
        await page.GotoAsync($"/councils/{council}/log");
        var entries = page.Locator(".log-entries > li");
        // The newest first: the close, written by the clock, names its motion.
        await Assertions.Expect(entries.First).ToContainTextAsync(fa ? "پایان رای‌گیری" : "Motion closed");
        await Assertions.Expect(entries.First).ToContainTextAsync(fa ? "به دست ساعت (مهلت‌ها)" : "by the clock (deadlines)");
        await Assertions.Expect(entries.First.Locator($"a[href='/motions/{motion}']")).ToHaveTextAsync("Strike on Monday");
        var numbers = await entries.EvaluateAllAsync<int[]>("items => items.map(i => i.value)");
        Assert.Equal(numbers.OrderByDescending(n => n), numbers);
        Assert.Equal(1, numbers[^1]);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "the log scrolls sideways at 360 px");
        Assert.Empty(await Browsers.AccessibilityProblemsAsync(page));
        await Assertions.Expect(page.Locator($"a[href='/councils/{council}/log?handler=Download']")).ToBeVisibleAsync();
        await Browsers.ScreenshotAsync(page, $"log-{language}-360");
    }
}
