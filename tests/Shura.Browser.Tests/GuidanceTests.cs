using Microsoft.Playwright;
using Shura.Browser.Tests.Support;

namespace Shura.Browser.Tests;

/// <summary>
/// A newcomer is guided, in either language: told what worked (signing up, forming a council,
/// joining, voting), how to vote when not a member yet, what the counting method does (with the
/// document that explains it, served by the server), what a receipt is (and checks it), and what is
/// wrong with a ranking.
/// </summary>
public sealed class GuidanceTests(Browsers browsers) : IClassFixture<Browsers>
{
    [Theory]
    [InlineData("en", false)]
    [InlineData("fa", false)]
    public async Task A_newcomer_is_told_what_worked_how_to_vote_how_it_counts_and_what_a_receipt_is(string language, bool javaScript)
    {
        bool fa = language == "fa";
        await using var stage = await Stage.StartAsync();
        var api = stage.Api;
        var leyla = await api.RegisterAsync("Leyla Ahmadi");
        string council = await api.CreateCouncilAsync(leyla, Web.Tests.Support.Api.QuickSettings(voting: "PT1H"), "Bakery workers");
        string chair = await api.PutMotionAsync(council, leyla, new { kind = "choice", title = "Chair", text = "", options = new[] { "Park", "Library", "Cafe" }, method = "irv" });
        await stage.StateAsync(chair, "voting");

        var page = await browsers.OpenAsync(stage.Address, language, javaScript: javaScript);
        await People.SignUpAsync(page, "Sam Carter");
        await Assertions.Expect(page.Locator("#done")).ToHaveTextAsync(fa ? "به شورا خوش آمدید. حساب شما آماده است: شورایی برای پیوستن بیابید یا شورایی تشکیل دهید." : "Welcome to Shura. Your account is ready: find a council to join, or form one.");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#done")).ToHaveCountAsync(0); // said once

        // The motion says how its method counts, and links the section of the document that explains it.
        await page.GotoAsync($"/motions/{chair}");
        await Assertions.Expect(page.Locator("#method")).ToContainTextAsync(fa ? "دور به دور گزینهٔ با کمترین رای حذف می‌شود" : "round by round the option with the fewest votes is excluded");
        await page.Locator("#method a").ClickAsync();
        await Assertions.Expect(page.Locator("#irv--instant-runoff-one-seat")).ToBeVisibleAsync();
        await page.GoBackAsync();

        // Not a member yet: the page says so where the ballot would be, and joins in one tap.
        await page.Locator("#join-to-vote button").ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync(fa ? "اکنون عضو هستید" : "You are a member now");
        await page.GotoAsync($"/motions/{chair}");
        await Assertions.Expect(page.Locator("#join-to-vote")).ToHaveCountAsync(0);

        // Two options in one place: the error names them. (With JavaScript the control moves the other
        // option out of the way, so this is the page without it.)
        await page.Locator("#rank-0").SelectOptionAsync("1");
        await page.Locator("#rank-1").SelectOptionAsync("1");
        await page.Locator("#ballot button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync(fa ? "Park\u2069 و \u2068Library\u2069 نمی‌توانند در جایگاه ۱ شریک باشند" : "Park\u2069 and \u2068Library\u2069 cannot share place 1");
        await page.Locator("#rank-1").SelectOptionAsync("2");
        await page.Locator("#ballot button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync(fa ? "رای شما شمرده شد" : "Your ballot is counted");

        // The receipt is explained beside it, and checked on its page.
        await Assertions.Expect(page.Locator("#receipt-hint")).ToContainTextAsync(fa ? "اثر انگشت ثبت رای شما" : "fingerprint of your ballot's entry");
        await page.Locator("#receipt-hint a").ClickAsync();
        await Assertions.Expect(page.Locator("#found")).ToContainTextAsync(fa ? "این رسید در دفتر ثبت رویدادها هست و دست‌نخورده است." : "This receipt is in the log, unchanged.");
        await Assertions.Expect(page.Locator("#found")).ToContainTextAsync(fa ? "رایی دربارهٔ Chair" : "A ballot on Chair");
        await Browsers.ScreenshotAsync(page, $"receipt-{language}-360");
        await page.GotoAsync("/receipt?r=abc");
        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync(fa ? "رسید ۶۴ نویسه است" : "A receipt is 64 characters");
        await page.GotoAsync($"/receipt?r={new string('0', 64)}");
        await Assertions.Expect(page.Locator("#found")).ToContainTextAsync(fa ? "ثبتی با این رسید نیست" : "No entry in the log of a council you may read has this receipt.");

        // Forming a council says so, too.
        await page.GotoAsync("/councils/new");
        await page.Locator("input[name=name]").FillAsync("Tenants of Hafez Street");
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync(fa ? "شورای شما تشکیل شد" : "Your council is formed");
        Assert.Empty(await Browsers.AccessibilityProblemsAsync(await WithAxeAsync(page)));
    }

    /// <summary>axe-core runs in a page of its own, opened past the content security policy (its script is inline).</summary>
    private async Task<IPage> WithAxeAsync(IPage page)
    {
        var state = await page.Context.StorageStateAsync();
        var open = await browsers.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = page.Url, StorageState = state, BypassCSP = true, ViewportSize = new ViewportSize { Width = 360, Height = 800 } });
        var axe = await open.NewPageAsync();
        await axe.GotoAsync(page.Url);
        return axe;
    }
}
