using Microsoft.Playwright;
using Shura.Browser.Tests.Support;

namespace Shura.Browser.Tests;

/// <summary>
/// A motion's discussion in a real browser: one member comments, another answers from a page in
/// the other language, and each answer appears on the other's open page without reloading — in
/// deliberation (the page is fetched again) and while the vote is counted live (the discussion's
/// version comes with the pushed result).
/// </summary>
public sealed class DiscussionTests(Browsers browsers) : IClassFixture<Browsers>
{
    [Theory]
    [InlineData("PT1H")]
    [InlineData("PT0S")]
    public async Task An_answer_appears_live_on_the_other_members_page(string deliberation)
    {
        await using var stage = await Stage.StartAsync();
        var api = stage.Api;
        var leyla = await api.RegisterAsync("Leyla Ahmadi");
        var sam = await api.RegisterAsync("Sam Carter");
        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 1, deliberationPeriod = deliberation, votingPeriod = "PT1H", liveResults = true });
        await api.JoinAsync(council, sam);
        string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Open the books", text = "Every worker may read the accounts." });
        await stage.StateAsync(motion, deliberation == "PT0S" ? "voting" : "deliberation");

        var leylaPage = await browsers.OpenAsync(stage.Address, language: "fa");
        await People.SignInAsync(leylaPage, leyla);
        await leylaPage.GotoAsync($"/motions/{motion}");
        await Assertions.Expect(leylaPage.Locator("body[data-live=on]")).ToHaveCountAsync(1);

        var samPage = await browsers.OpenAsync(stage.Address);
        await People.SignInAsync(samPage, sam);
        await samPage.GotoAsync($"/motions/{motion}");
        await Assertions.Expect(samPage.Locator("body[data-live=on]")).ToHaveCountAsync(1);
        await samPage.Locator("#discussion > form textarea[name=text]").FillAsync("Which accounts — the bakery's or the union's?");
        await samPage.GetByRole(AriaRole.Button, new() { Name = "Post the comment" }).ClickAsync();
        await Assertions.Expect(samPage.Locator("#discussion .comment")).ToContainTextAsync("Which accounts");

        // Leyla's Persian page shows it without reloading, and she answers it there.
        await Assertions.Expect(leylaPage.Locator("#discussion .comment")).ToContainTextAsync("Which accounts");
        await leylaPage.Locator("#discussion .comment summary").First.ClickAsync(); // «پاسخ»
        await leylaPage.Locator("#discussion .comment textarea[name=text]").First.FillAsync("هر دو — همه حساب‌ها.");
        await leylaPage.Locator("#discussion .comment form button[type=submit]").First.ClickAsync();
        await Assertions.Expect(leylaPage.Locator("#discussion .comment .thread .comment")).ToContainTextAsync("هر دو");

        // Sam's page shows the answer under his comment, without reloading.
        await Assertions.Expect(samPage.Locator("#discussion .comment .thread .comment")).ToContainTextAsync("هر دو — همه حساب‌ها.");
        var thread = (await api.GetAsync($"/motions/{motion}/comments")).Ok().Body;
        Assert.Equal(thread[0].GetProperty("id").GetString(), thread[1].GetProperty("replyTo").GetString());
    }
}
