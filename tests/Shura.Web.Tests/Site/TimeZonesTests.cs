using System.Net;
using System.Text.RegularExpressions;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Site;

/// <summary>
/// Every time a page shows is shown in the reader's zone, named: the zone a person chose (kept
/// privately, never in the log), else the one their browser says; the API speaks UTC. A time typed
/// into a form is read in the zone the form names.
/// </summary>
public class TimeZonesTests
{
    /// <summary>Voting on the motion ends at 2026-12-02 20:30 UTC: 00:00 the next day in Tehran, 15:30 in New York.</summary>
    private static async Task<(TestServer Server, Api Api, Person Person, string Motion)> MotionAsync()
    {
        var server = await TestServer.StartAsync(fakeClock: true);
        var api = server.Api();
        var person = await api.RegisterAsync("Leyla");
        string council = await api.CreateCouncilAsync(person, Api.QuickSettings(voting: "P1D"));
        string motion = await api.PutMotionAsync(council, person, new { kind = "decision", title = "Strike", text = "" });
        return (server, api, person, motion);
    }

    private static string Text(string html) => WebUtility.HtmlDecode(Regex.Replace(html, "<[^>]+>", " "));

    [Fact]
    public async Task A_person_chooses_a_zone_and_every_page_shows_times_in_it_named_while_the_api_speaks_utc()
    {
        var (server, api, person, motion) = await MotionAsync();
        await using var _ = server;
        string ends = (await api.MotionAsync(motion)).GetProperty("deadlines").GetProperty("votingEndsAt").GetString()!;
        var end = DateTimeOffset.Parse(ends, System.Globalization.CultureInfo.InvariantCulture);

        var before = Store.Snapshot(server.Database);
        Assert.Equal("unknown-time-zone", (await api.SendAsync(HttpMethod.Put, "/me/time-zone", new { timeZone = "Mars/Olympus" }, person)).Code);
        Assert.Equal("unknown-time-zone", (await api.SendAsync(HttpMethod.Put, "/me/time-zone", new { timeZone = "+03:30" }, person)).Code);
        Assert.Equal(before, Store.Snapshot(server.Database));
        Assert.Equal("Asia/Tehran", (await api.SendAsync(HttpMethod.Put, "/me/time-zone", new { timeZone = "Asia/Tehran" }, person)).Ok().Body.GetProperty("timeZone").GetString());
        Assert.Equal("Asia/Tehran", (await api.GetAsync("/me", person)).Ok().Body.GetProperty("timeZone").GetString());
        // Where someone lives is nobody's business: the zone is not in the log.
        Assert.DoesNotContain(await api.LogAsync((await api.MotionAsync(motion)).GetProperty("council").GetString()!), e => e.GetRawText().Contains("Tehran", StringComparison.Ordinal));
        Assert.Equal(ends, (await api.MotionAsync(motion)).GetProperty("deadlines").GetProperty("votingEndsAt").GetString());

        using var persian = await new Visitor(server.Client.BaseAddress!).SignInAsync(person);
        persian.Speak("fa");
        string page = Text(await (await persian.GetAsync($"/motions/{motion}")).Content.ReadAsStringAsync());
        var tehran = TimeZoneInfo.ConvertTime(end, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tehran"));
        string expected = $"{Solar.Date(tehran.DateTime)}، {Solar.Persian($"{tehran:HH:mm}")}";
        Assert.Contains(expected + " (\u2068Asia/Tehran\u2069)", page, StringComparison.Ordinal);

        (await api.SendAsync(HttpMethod.Put, "/me/time-zone", new { timeZone = "America/New_York" }, person)).Ok();
        using var english = await new Visitor(server.Client.BaseAddress!).SignInAsync(person);
        page = Text(await (await english.GetAsync($"/motions/{motion}")).Content.ReadAsStringAsync());
        var newYork = TimeZoneInfo.ConvertTime(end, TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        Assert.Contains($"{newYork:d MMMM yyyy, HH:mm} (America/New_York)", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_visitor_sees_times_in_the_zone_their_browser_says_and_an_unknown_one_falls_back_to_utc()
    {
        var (server, api, _, motion) = await MotionAsync();
        await using var _ = server;
        var end = DateTimeOffset.Parse((await api.MotionAsync(motion)).GetProperty("deadlines").GetProperty("votingEndsAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        using var visitor = new Visitor(server.Client.BaseAddress!);
        visitor.Cookies.Add(server.Client.BaseAddress!, new Cookie("tz", "America/New_York"));
        string page = Text(await (await visitor.GetAsync($"/motions/{motion}")).Content.ReadAsStringAsync());
        Assert.Contains($"{TimeZoneInfo.ConvertTime(end, TimeZoneInfo.FindSystemTimeZoneById("America/New_York")):HH:mm} (America/New_York)", page, StringComparison.Ordinal);

        using var odd = new Visitor(server.Client.BaseAddress!);
        odd.Cookies.Add(server.Client.BaseAddress!, new Cookie("tz", "Not/AZone"));
        page = Text(await (await odd.GetAsync($"/motions/{motion}")).Content.ReadAsStringAsync());
        Assert.Contains($"{end.UtcDateTime:HH:mm} UTC", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_time_typed_into_a_form_is_read_in_the_zone_the_form_names()
    {
        var (server, api, person, motion) = await MotionAsync();
        await using var _ = server;
        await server.AdvanceAsync(TimeSpan.FromDays(1));
        await server.StateAsync(motion, "rejected");
        // A decision must be in force for a call: put one through.
        string council = (await api.MotionAsync(motion)).GetProperty("council").GetString()!;
        string passed = await api.PutMotionAsync(council, person, new { kind = "decision", title = "March", text = "" });
        (await api.CastAsync(passed, person, new { choice = "yes" })).Ok();
        await server.AdvanceAsync(TimeSpan.FromDays(1));
        await server.StateAsync(passed, "in-force");
        (await api.SendAsync(HttpMethod.Put, "/me/time-zone", new { timeZone = "Asia/Tehran" }, person)).Ok();

        using var visitor = await new Visitor(server.Client.BaseAddress!).SignInAsync(person);
        string form = await (await visitor.GetAsync($"/motions/{passed}")).Content.ReadAsStringAsync();
        Assert.Contains("When (Asia/Tehran)", form, StringComparison.Ordinal);
        var posted = await visitor.PostAsync($"/motions/{passed}", $"/motions/{passed}?handler=Call", new()
        {
            ["place"] = "Azadi Square", ["startsAt"] = "2030-01-01T10:00", ["threshold"] = "", ["deadline"] = "",
        });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        string call = posted.Headers.Location!.OriginalString.Split('/')[^1];
        // 10:00 in Tehran (UTC+03:30) is 06:30 UTC.
        Assert.StartsWith("2030-01-01T06:30:00", (await api.GetAsync($"/calls/{call}")).Ok().Body.GetProperty("startsAt").GetString(), StringComparison.Ordinal);
    }
}
