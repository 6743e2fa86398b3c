using System.Globalization;
using Microsoft.Playwright;
using Shura.Browser.Tests.Support;
using Shura.Web.Tests.Support;

namespace Shura.Browser.Tests;

/// <summary>
/// A person signs up from a browser set to their time zone, and from then on every time is shown
/// in it: a Tehran browser in Persian shows a deadline in Tehran time with its Solar Hijri date and
/// Persian digits; the same deadline, for a person in New York reading English, in New York time.
/// </summary>
public sealed class TimeZonesTests(Browsers browsers) : IClassFixture<Browsers>
{
    [Fact]
    public async Task The_same_deadline_shows_in_Tehran_time_in_Persian_and_in_New_York_time_in_English()
    {
        await using var stage = await Stage.StartAsync();
        var api = stage.Api;
        var founder = await api.RegisterAsync("Leyla Ahmadi");
        string council = await api.CreateCouncilAsync(founder, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT5H" });
        string motion = await api.PutMotionAsync(council, founder, new { kind = "decision", title = "Strike", text = "" });
        var end = DateTimeOffset.Parse((await api.MotionAsync(motion)).GetProperty("deadlines").GetProperty("votingEndsAt").GetString()!, CultureInfo.InvariantCulture);

        // Tehran, Persian: the zone comes from the browser at sign-up, nobody chose it by hand.
        var tehran = await browsers.OpenAsync(stage.Address, "fa", timeZone: "Asia/Tehran");
        await People.SignUpAsync(tehran, "سارا موسوی");
        await tehran.GotoAsync($"/motions/{motion}");
        var local = TimeZoneInfo.ConvertTime(end, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tehran")).DateTime;
        string date = Solar.Date(local);
        string shown = await tehran.Locator("dl.facts").InnerTextAsync();
        Assert.Contains($"{date}، {Solar.Persian(local.ToString("HH:mm", CultureInfo.InvariantCulture))}", shown, StringComparison.Ordinal);
        Assert.Contains("Asia/Tehran", shown, StringComparison.Ordinal);
        Assert.DoesNotMatch("[0-9]{2}:[0-9]{2}", shown);
        Assert.Equal("Asia/Tehran", await AccountZoneAsync(tehran));

        // New York, English.
        var newYork = await browsers.OpenAsync(stage.Address, "en", timeZone: "America/New_York");
        await People.SignUpAsync(newYork, "Sam Carter");
        await newYork.GotoAsync($"/motions/{motion}");
        var there = TimeZoneInfo.ConvertTime(end, TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        Assert.Contains($"{there.ToString("d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture)} (America/New_York)", await newYork.Locator("dl.facts").InnerTextAsync(), StringComparison.Ordinal);

        // The person changes their zone on the account page; the same deadline follows.
        await newYork.GotoAsync("/account");
        await newYork.Locator("#time-zone select").SelectOptionAsync("Europe/Berlin");
        await newYork.GetByRole(AriaRole.Button, new() { Name = "Save the time zone" }).ClickAsync();
        await newYork.GotoAsync($"/motions/{motion}");
        var berlin = TimeZoneInfo.ConvertTime(end, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        Assert.Contains($"{berlin.ToString("HH:mm", CultureInfo.InvariantCulture)} (Europe/Berlin)", await newYork.Locator("dl.facts").InnerTextAsync(), StringComparison.Ordinal);
    }

    private static async Task<string> AccountZoneAsync(IPage page)
    {
        await page.GotoAsync("/account");
        return await page.Locator("#time-zone select").InputValueAsync();
    }
}
