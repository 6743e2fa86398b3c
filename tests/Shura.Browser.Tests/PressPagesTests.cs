using System.Text.Json;
using Microsoft.Playwright;
using Shura.Browser.Tests.Support;
using Shura.Web.Tests.Support;

namespace Shura.Browser.Tests;

/// <summary>
/// The council's voice and ears in a real browser, in both languages, at phone and desktop widths:
/// writing a post with an image, a post with its image, discussion and the members' flag, a
/// decision voted among counter-proposals, and the motion that decides whether a flagged comment
/// stays hidden — none with a serious or critical accessibility problem (axe-core).
/// </summary>
public sealed class PressPagesTests(Browsers browsers) : IClassFixture<Browsers>
{
    [Fact]
    public async Task The_pages_of_the_press_moderation_and_counter_proposals_have_no_serious_accessibility_problems()
    {
        await using var stage = await Stage.StartAsync();
        var api = stage.Api;
        var leyla = await api.RegisterAsync("Leyla Ahmadi");
        var sam = await api.RegisterAsync("Sam Carter");
        var nasrin = await api.RegisterAsync("Nasrin Sotoudeh");
        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 2, deliberationPeriod = "PT1H", votingPeriod = "PT2H" });
        await api.JoinAsync(council, sam, nasrin);

        string post = (await api.PostAsync($"/councils/{council}/posts", new { kind = "report", title = "The march, day two", text = "**Thousands** came to the square." }, leyla)).Ok().Id;
        await UploadAsync(stage, leyla, post, "The square, full");
        string question = (await api.PostAsync($"/posts/{post}/comments", new { text = "Were there arrests? بازداشتی داشتیم؟" }, sam)).Ok().Id;
        (await api.PostAsync($"/posts/{post}/comments", new { text = "None that we know of.", replyTo = question }, leyla)).Ok();

        string decision = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Opening hours", text = "Open from six to two." });
        (await api.PostAsync($"/motions/{decision}/support", null, sam)).Ok();
        (await api.PostAsync($"/motions/{decision}/counter-proposals", new { text = "Open from seven to three." }, nasrin)).Ok();
        string flagged = (await api.PostAsync($"/motions/{decision}/comments", new { text = "The foreman's address is …" }, nasrin)).Ok().Id;
        (await api.SendAsync(HttpMethod.Put, $"/comments/{flagged}/flag", null, leyla)).Ok();
        string hide = (await api.SendAsync(HttpMethod.Put, $"/comments/{flagged}/flag", null, sam)).Ok().Body.GetProperty("hiddenBy").GetString()!;
        await stage.AdvanceAsync(TimeSpan.FromHours(1));
        await stage.StateAsync(decision, "voting");
        (await api.CastAsync(decision, sam, new { ranking = new[] { "counter-proposal-1", "original" } })).Ok();

        var pages = new (string Name, string Path)[]
        {
            ("new-post", $"/councils/{council}/posts/new"), ("post", $"/posts/{post}"), ("contested", $"/motions/{decision}"), ("hide", $"/motions/{hide}"),
            ("council-feed", $"/councils/{council}"), ("inbox", "/inbox"), ("account", "/account"),
        };
        var problems = new List<string>();
        foreach (string language in new[] { "en", "fa" })
        {
            foreach (int width in new[] { 360, 1280 })
            {
                var page = await browsers.OpenAsync(stage.Address, language, width: width, bypassCsp: true);
                await People.SignInAsync(page, sam);
                foreach (var (name, path) in pages)
                {
                    await page.GotoAsync(path);
                    await Browsers.ScreenshotAsync(page, $"{name}-{language}-{width}");
                    problems.AddRange((await Browsers.AccessibilityProblemsAsync(page)).Select(p => $"{language} {width} {path}: {p}"));
                }
                await page.Context.CloseAsync();
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData("en", "Counter-proposal 1", "None of these", "Flag", "Take my flag back")]
    [InlineData("fa", "طرح جایگزین ۱", "هیچ‌کدام", "علامت‌گذاری", "پس گرفتن علامت من")]
    public async Task A_member_ranks_the_competing_texts_and_flags_a_comment_from_the_page(string language, string counter, string none, string flag, string unflag)
    {
        await using var stage = await Stage.StartAsync();
        var api = stage.Api;
        var leyla = await api.RegisterAsync("Leyla Ahmadi");
        var sam = await api.RegisterAsync("Sam Carter");
        // Two flags hide a text here: one flag leaves it shown.
        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 2, deliberationPeriod = "PT1H", votingPeriod = "PT2H" });
        await api.JoinAsync(council, sam);
        string decision = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Opening hours", text = "Open from six to two." });
        (await api.PostAsync($"/motions/{decision}/support", null, sam)).Ok();
        (await api.PostAsync($"/motions/{decision}/counter-proposals", new { text = "Open from seven to three." }, sam)).Ok();
        string comment = (await api.PostAsync($"/motions/{decision}/comments", new { text = "Six is too early." }, leyla)).Ok().Id;
        await stage.AdvanceAsync(TimeSpan.FromHours(1));
        await stage.StateAsync(decision, "voting");

        var page = await browsers.OpenAsync(stage.Address, language);
        await People.SignInAsync(page, sam);
        await page.GotoAsync($"/motions/{decision}");
        // The counter-proposal first, "none of these" second, the original left unranked.
        await page.Locator($"select[aria-label*='{counter}']").SelectOptionAsync("1");
        await page.Locator($"select[aria-label*='{none}']").SelectOptionAsync("2");
        await page.Locator("#ballot button.primary").ClickAsync();
        await Assertions.Expect(page.Locator(".mine")).ToContainTextAsync($"{counter} › {none}");
        var mine = (await api.MotionAsync(decision, sam)).GetProperty("myBallot").GetProperty("ballot").GetProperty("ranking");
        Assert.Equal(["counter-proposal-1", "none-of-these"], mine.EnumerateArray().Select(r => r.GetString()!).ToArray());

        await page.Locator($"#comment-{comment}").GetByRole(AriaRole.Button, new() { Name = flag, Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator($"#comment-{comment}").GetByRole(AriaRole.Button, new() { Name = unflag })).ToHaveCountAsync(1);
        using var c = stage.Server.Database.OpenConnection();
        using var count = c.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM flags";
        Assert.Equal(1L, Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Hostile Markdown — script, event handlers, javascript: links, raw HTML — in a post, a comment
    /// and an image's description is shown inert: with the page's Content-Security-Policy turned off,
    /// so that the sanitizer alone is what is tested, nothing runs on load, on hover or on click.
    /// </summary>
    [Theory]
    [InlineData("en")]
    [InlineData("fa")]
    public async Task No_script_written_into_a_post_runs_in_the_browser(string language)
    {
        await using var stage = await Stage.StartAsync();
        var api = stage.Api;
        var leyla = await api.RegisterAsync("Leyla Ahmadi");
        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 1, deliberationPeriod = "PT1H", votingPeriod = "PT2H" });
        const string Hostile = """
            <script>window.owned = 'script'</script>
            <img src="x" onerror="window.owned = 'onerror'">
            <svg onload="window.owned = 'svg'"></svg>
            <iframe src="javascript:parent.owned = 'iframe'"></iframe>
            [click me](javascript:window.owned='link') and <a href="javascript:window.owned='anchor'" id="raw">raw</a>
            ![picture](javascript:window.owned='image')
            <div onmouseover="window.owned='hover'" id="hover">hover me</div>
            """;
        string post = (await api.PostAsync($"/councils/{council}/posts", new { kind = "news", title = "<b onclick=\"window.owned='title'\">Title</b>", text = Hostile }, leyla)).Ok().Id;
        (await api.PostAsync($"/posts/{post}/comments", new { text = Hostile }, leyla)).Ok();
        await UploadAsync(stage, leyla, post, "<img src=x onerror=\"window.owned='description'\">");

        var page = await browsers.OpenAsync(stage.Address, language, bypassCsp: true);
        bool dialog = false;
        page.Dialog += async (_, d) => { dialog = true; await d.DismissAsync(); };
        await page.GotoAsync($"/posts/{post}");
        await page.Locator("#discussion").ScrollIntoViewIfNeededAsync();
        foreach (var link in await page.Locator("article.post a, #discussion a").AllAsync())
        {
            if ((await link.GetAttributeAsync("href"))?.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase) == true)
            {
                Assert.Fail("a javascript: link is on the page");
            }
        }
        await page.Locator(".markdown").HoverAsync();
        var clickable = page.GetByText("click me");
        if (await clickable.CountAsync() > 0)
        {
            await clickable.First.ClickAsync();
        }
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Null(await page.EvaluateAsync<string?>("() => window.owned ?? null"));
        Assert.False(dialog);
        Assert.Equal(0, await page.Locator("article.post script, article.post iframe, article.post svg, #discussion script").CountAsync());
        // The words are still there, as words.
        await Assertions.Expect(page.Locator("#discussion")).ToContainTextAsync("<script>window.owned = 'script'</script>");
    }

    private static async Task UploadAsync(Stage stage, Person author, string post, string description)
    {
        using var bitmap = new SkiaSharp.SKBitmap(320, 200);
        using (var canvas = new SkiaSharp.SKCanvas(bitmap))
        {
            canvas.Clear(new SkiaSharp.SKColor(40, 90, 160));
        }
        using var encoded = SkiaSharp.SKImage.FromBitmap(bitmap).Encode(SkiaSharp.SKEncodedImageFormat.Jpeg, 85);
        Assert.NotNull((await stage.Api.UploadImageAsync(post, author, encoded.ToArray(), "image/jpeg", description)).Ok().Id);
    }
}
