using Microsoft.Playwright;
using Shura.Browser.Tests.Support;
using Shura.Web.Tests.Support;

namespace Shura.Browser.Tests;

/// <summary>
/// Two Shura nodes on one PostgreSQL, joined by a real Redis: a person reading a motion on node B
/// sees a ballot cast through node A without reloading, in Persian with Persian digits.
/// </summary>
public sealed class SeveralNodesTests(Browsers browsers) : IClassFixture<Browsers>
{
    [Fact]
    public async Task A_browser_on_node_B_sees_a_ballot_cast_through_node_A_without_reloading()
    {
        if (!Engines.SeveralNodes)
        {
            return; // no Redis or PostgreSQL here; test.sh provides both and requires them
        }
        string db = Engines.FreshDb(Engines.Postgres);
        await using var a = await TestServer.StartAsync(db: db, fakeClock: true, deadlineService: true, redis: Engines.RedisServer);
        await using var b = await TestServer.StartAsync(db: db, fakeClock: true, deadlineService: true, redis: Engines.RedisServer);
        var api = a.Api();
        var leyla = await api.RegisterAsync("Leyla Ahmadi");
        var sam = await api.RegisterAsync("Sam Carter");
        string council = await api.CreateCouncilAsync(leyla, Web.Tests.Support.Api.QuickSettings(voting: "PT1H"));
        await api.JoinAsync(council, sam);
        string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Strike on Monday", text = "" });
        await a.StateAsync(motion, "voting");

        var page = await browsers.OpenAsync(b.Client.BaseAddress!, language: "fa");
        await People.SignInAsync(page, leyla);
        await page.GotoAsync($"/motions/{motion}");
        await Assertions.Expect(page.Locator("body[data-live=on]")).ToHaveCountAsync(1);
        await page.EvaluateAsync("() => window.stillTheSamePage = true");
        await Assertions.Expect(page.Locator("#result > p").First).ToHaveTextAsync("۰ رای");

        (await api.CastAsync(motion, sam, new { choice = "yes" })).Ok(); // through node A

        await Assertions.Expect(page.Locator("#result > p").First).ToHaveTextAsync("۱ رای");
        Assert.True(await page.EvaluateAsync<bool>("() => window.stillTheSamePage === true"), "the page was reloaded instead of updated live");
        Assert.Equal("rtl", await page.Locator("html").GetAttributeAsync("dir"));
        await Browsers.ScreenshotAsync(page, "motion-two-nodes-fa-360");
    }
}
