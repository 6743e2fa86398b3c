using System.Globalization;
using Microsoft.Playwright;
using Shura.Browser.Tests.Support;
using Shura.Web.Tests.Support;

namespace Shura.Browser.Tests;

/// <summary>
/// The pages as a whole: the whole flow in Persian (right to left, Persian digits, Solar Hijri
/// dates), accessibility checked by axe-core in every main page, keyboard reach, screenshots in
/// both languages at phone and desktop widths, and the motion page's weight.
/// </summary>
public sealed class PagesTests(Browsers browsers) : IClassFixture<Browsers>
{
    [Fact]
    public async Task The_whole_flow_in_Persian_is_right_to_left_with_Persian_digits_and_Solar_Hijri_dates()
    {
        await using var stage = await Stage.StartAsync();
        var leyla = await browsers.OpenAsync(stage.Address, language: "fa");
        await People.SignUpAsync(leyla, "لیلا احمدی");
        Assert.Equal("rtl", await leyla.Locator("html").GetAttributeAsync("dir"));
        Assert.Equal("fa", await leyla.Locator("html").GetAttributeAsync("lang"));

        await leyla.GotoAsync("/councils/new");
        await leyla.Locator("input[name=name]").FillAsync("شورای کارگران نانوایی");
        await leyla.Locator("input[name=supportThreshold]").FillAsync("1");
        await leyla.Locator("input[name=deliberationDays]").FillAsync("0");
        await leyla.Locator("input[name=deliberationHours]").FillAsync("0");
        await leyla.GetByRole(AriaRole.Button, new() { Name = "تشکیل شورا" }).ClickAsync();
        await leyla.WaitForURLAsync("**/councils/*");
        string council = leyla.Url;

        var sara = await browsers.OpenAsync(stage.Address, language: "fa");
        await People.SignUpAsync(sara, "سارا موسوی");
        await sara.GotoAsync(council);
        await sara.GetByRole(AriaRole.Button, new() { Name = "پیوستن به شورا" }).ClickAsync();

        // Persian digits for the member count, and today's date in the Solar Hijri calendar.
        await Assertions.Expect(sara.Locator("#council-facts")).ToContainTextAsync("۲ عضو");
        // The council was formed moments ago: today, or yesterday if midnight (UTC) has just passed.
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        string facts = await sara.Locator("#council-facts").InnerTextAsync();
        Assert.True(facts.Contains(Solar.Date(now), StringComparison.Ordinal) || facts.Contains(Solar.Date(now.AddMinutes(-5)), StringComparison.Ordinal),
            $"no Solar Hijri date of today in \"{facts}\"");

        await leyla.GotoAsync(council + "/motions/new?kind=choice");
        await leyla.Locator("input[name=title]").FillAsync("محل جلسه");
        await leyla.Locator("textarea[name=options]").FillAsync("پارک\nکتابخانه\nکافه");
        await leyla.GetByRole(AriaRole.Button, new() { Name = "ثبت طرح" }).ClickAsync();
        await leyla.WaitForURLAsync("**/motions/*");
        string motion = leyla.Url;
        await People.ReloadUntilAsync(leyla, async () => await leyla.Locator("#ballot").CountAsync() == 1);
        await leyla.Locator("select[aria-label='جایگاه کافه']").SelectOptionAsync("1");
        await leyla.GetByRole(AriaRole.Button, new() { Name = "رای بدهید" }).ClickAsync();
        await Assertions.Expect(leyla.Locator(".mine")).ToContainTextAsync("کافه");

        await sara.GotoAsync(motion);
        await Assertions.Expect(sara.Locator("body[data-live=on]")).ToHaveCountAsync(1);
        await leyla.Locator("select[aria-label='جایگاه پارک']").SelectOptionAsync("2");
        await leyla.GetByRole(AriaRole.Button, new() { Name = "تغییر رای" }).ClickAsync();
        await Assertions.Expect(sara.Locator("#result")).ToContainTextAsync("۱ رای");
        await Assertions.Expect(sara.Locator("#result .outcome")).ToContainTextAsync("کافه");

        // No Western digit is left in what the page says (the receipt and ids are not shown to Sara).
        string text = await sara.Locator("main").InnerTextAsync();
        Assert.DoesNotMatch("[0-9]", text);
        Assert.Matches("[۰-۹]", text);
        Assert.Equal("rtl", await sara.Locator("html").GetAttributeAsync("dir"));
    }

    [Fact]
    public async Task Main_pages_have_no_serious_accessibility_problems_in_either_language_and_are_photographed()
    {
        await using var stage = await Stage.StartAsync();
        var (holder, first, second, mandate) = await stage.ElectedConvenerAsync();
        var api = stage.Api;
        string council = await stage.CouncilAsync(holder, [first, second]);
        string motion = await api.PutMotionAsync(council, holder, new { kind = "choice", title = "Where we meet", text = "Our monthly meeting.", options = new[] { "Park", "Library", "Cafe" }, method = "schulze" });
        await stage.StateAsync(motion, "voting");
        (await api.CastAsync(motion, holder, new { ranking = new[] { "Cafe", "Park" } })).Ok();
        (await api.CastAsync(motion, first, new { ranking = new[] { "Park", "Library", "Cafe" } })).Ok();
        (await api.SendAsync(HttpMethod.Put, $"/mandates/{mandate}/holders/{holder.Id}/confidence", new { withdrawn = true }, first)).Ok();
        // A discussion with an answer, so its thread and forms are checked too.
        string question = (await api.PostAsync($"/motions/{motion}/comments", new { text = "Is the library open on Fridays? کتابخانه جمعه‌ها باز است؟" }, first)).Ok().Id;
        (await api.PostAsync($"/motions/{motion}/comments", new { text = "Until noon.", replyTo = question }, holder)).Ok();

        var pages = new (string Name, string Path)[]
        {
            ("home", "/"), ("council", $"/councils/{council}"), ("motion", $"/motions/{motion}"),
            ("mandate", $"/mandates/{mandate}"), ("new-motion", $"/councils/{council}/motions/new?kind=choice"), ("log", $"/councils/{council}/log"),
            ("account", "/account"), ("inbox", "/inbox"), ("reset", "/reset"), ("verify", "/verify/no-such-link"),
            ("settings", $"/councils/{council}/settings"), ("receipt", "/receipt"), ("counting", "/docs/counting"), ("guide", "/docs/guide"),
        };
        var problems = new List<string>();
        foreach (string language in new[] { "en", "fa" })
        {
            foreach (int width in new[] { 360, 1280 })
            {
                var page = await browsers.OpenAsync(stage.Address, language, width: width, bypassCsp: true);
                await People.SignInAsync(page, first);
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

    [Fact]
    public async Task Everything_on_the_motion_page_is_reached_by_keyboard_including_the_ranking()
    {
        await using var stage = await Stage.StartAsync();
        var api = stage.Api;
        var holder = await api.RegisterAsync("Darius Karimi");
        string council = await stage.CouncilAsync(holder, []);
        var page = await browsers.OpenAsync(stage.Address);
        await People.SignInAsync(page, holder);
        string motion = await api.PutMotionAsync(council, holder, new { kind = "choice", title = "Where we meet", text = "", options = new[] { "Park", "Library", "Cafe" }, method = "irv" });
        await stage.StateAsync(motion, "voting");
        await page.GotoAsync($"/motions/{motion}");

        // Tab through the page: every control of the ballot comes in turn, and the ballot is cast with the keyboard alone.
        var reached = new List<string>();
        for (int i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached.Add(await page.EvaluateAsync<string>("() => (document.activeElement.getAttribute('aria-label') || document.activeElement.textContent || '').trim()"));
        }
        foreach (string control in new[] { "Place of Park", "Move Park down", "Move Cafe up", "Cast your ballot" })
        {
            Assert.Contains(control, reached);
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Move Cafe up" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(page.Locator("[data-ranking-status]")).ToHaveTextAsync("Cafe is now at place 1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cast your ballot" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".mine")).ToContainTextAsync("Cafe");
    }

    [Fact]
    public async Task The_motion_page_weighs_less_than_150_KB_on_first_load()
    {
        await using var stage = await Stage.StartAsync();
        var api = stage.Api;
        var holder = await api.RegisterAsync("Darius Karimi");
        var first = await api.RegisterAsync("Mina Rahimi");
        var second = await api.RegisterAsync("Joe Baker");
        string council = await stage.CouncilAsync(holder, [first, second]);
        string motion = await api.PutMotionAsync(council, holder, new { kind = "choice", title = "Where we meet", text = "", options = new[] { "Park", "Library", "Cafe", "Square", "Hall" }, method = "schulze" });
        await stage.StateAsync(motion, "voting");
        foreach (var voter in new[] { holder, first, second })
        {
            (await api.CastAsync(motion, voter, new { ranking = new[] { "Cafe", "Park", "Hall" } })).Ok();
        }

        // A first load: routing every request through Playwright turns the browser's cache off,
        // so the scripts and styles the sign-in page fetched are fetched again.
        var fresh = await browsers.OpenAsync(stage.Address);
        await fresh.Context.RouteAsync("**/*", route => route.ContinueAsync());
        await People.SignInAsync(fresh, first);
        long bytes = 0;
        var sizes = new List<Task<RequestSizesResult>>();
        var urls = new List<string>();
        fresh.RequestFinished += (_, request) =>
        {
            sizes.Add(request.SizesAsync());
            urls.Add(new Uri(request.Url).PathAndQuery);
        };
        await fresh.GotoAsync($"/motions/{motion}", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        foreach (var size in await Task.WhenAll(sizes))
        {
            bytes += size.ResponseBodySize + size.ResponseHeadersSize;
        }
        File.WriteAllText(Path.Combine(Browsers.Artifacts("measurements"), "motion-page-weight.txt"),
            $"motion page, first load: {bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes in {sizes.Count} responses\n{string.Join("\n", urls)}\n");
        Assert.InRange(bytes, 1, 150 * 1024);
    }

}
