using Microsoft.Playwright;
using Shura.Browser.Tests.Support;

namespace Shura.Browser.Tests;

/// <summary>
/// The council's flows in a real browser against `shura serve`: people sign up, form a council,
/// join it, rank the options of a choice and change their ranking; with JavaScript the others see
/// each change live, without it they see it when they load the page again.
/// </summary>
public sealed class CouncilFlowTests(Browsers browsers) : IClassFixture<Browsers>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Two_people_rank_a_choice_and_one_sees_the_other_change_their_ranking(bool javaScript)
    {
        await using var stage = await Stage.StartAsync();
        string mode = javaScript ? "js" : "nojs";

        // Leyla signs up and forms a council whose motions go to the vote at once.
        var leyla = await browsers.OpenAsync(stage.Address, javaScript: javaScript);
        await People.SignUpAsync(leyla, "Leyla Ahmadi");
        await leyla.GotoAsync("/councils/new");
        await leyla.Locator("input[name=name]").FillAsync("Bakery workers");
        await leyla.Locator("input[name=supportThreshold]").FillAsync("1");
        await leyla.Locator("input[name=deliberationDays]").FillAsync("0");
        await leyla.Locator("input[name=deliberationHours]").FillAsync("0");
        await leyla.Locator("input[name=votingDays]").FillAsync("0");
        await leyla.Locator("input[name=votingHours]").FillAsync("1");
        await leyla.GetByRole(AriaRole.Button, new() { Name = "Form the council" }).ClickAsync();
        await leyla.WaitForURLAsync("**/councils/*");
        string council = leyla.Url;
        Assert.Equal("Bakery workers", await leyla.Locator("h1").InnerTextAsync());

        // Sam signs up in a browser of his own and joins.
        var sam = await browsers.OpenAsync(stage.Address, javaScript: javaScript);
        await People.SignUpAsync(sam, "Sam Carter");
        await sam.GotoAsync(council);
        await sam.GetByRole(AriaRole.Button, new() { Name = "Join the council" }).ClickAsync();
        await Assertions.Expect(sam.GetByRole(AriaRole.Button, new() { Name = "Leave the council" })).ToBeVisibleAsync();
        await Assertions.Expect(sam.Locator("#council-facts")).ToContainTextAsync("2 members");

        // Leyla puts a ranked choice.
        await leyla.GotoAsync(council + "/motions/new?kind=choice");
        await leyla.Locator("input[name=title]").FillAsync("Where we meet");
        await leyla.Locator("textarea[name=options]").FillAsync("Park\nLibrary\nCafe");
        await leyla.Locator("select[name=method]").SelectOptionAsync("schulze");
        await leyla.GetByRole(AriaRole.Button, new() { Name = "Put the motion" }).ClickAsync();
        await leyla.WaitForURLAsync("**/motions/*");
        string motion = leyla.Url;
        await People.ReloadUntilAsync(leyla, async () => await leyla.Locator("#ballot").CountAsync() == 1);

        // Leyla ranks Cafe first and Library second.
        if (javaScript)
        {
            // By keyboard: the move buttons take Enter, and focus stays on the button pressed.
            var up = leyla.GetByRole(AriaRole.Button, new() { Name = "Move Cafe up" });
            await up.FocusAsync();
            await leyla.Keyboard.PressAsync("Enter");
            await leyla.Keyboard.PressAsync("Enter");
            var down = leyla.GetByRole(AriaRole.Button, new() { Name = "Move Park down" });
            await down.FocusAsync();
            await leyla.Keyboard.PressAsync("Enter");
            Assert.Equal(["Cafe", "Library", "Park"], await leyla.Locator(".rank-item label").AllInnerTextsAsync());
            await leyla.Locator("select[aria-label='Place of Park']").SelectOptionAsync("");
        }
        else
        {
            await leyla.Locator("select[aria-label='Place of Cafe']").SelectOptionAsync("1");
            await leyla.Locator("select[aria-label='Place of Library']").SelectOptionAsync("2");
        }
        await leyla.GetByRole(AriaRole.Button, new() { Name = "Cast your ballot" }).ClickAsync();
        await Assertions.Expect(leyla.Locator(".mine")).ToContainTextAsync("Cafe › Library");

        // Sam ranks Park first.
        await sam.GotoAsync(motion);
        await sam.Locator("select[aria-label='Place of Park']").SelectOptionAsync("1");
        await sam.GetByRole(AriaRole.Button, new() { Name = "Cast your ballot" }).ClickAsync();
        await Assertions.Expect(sam.Locator(".mine")).ToContainTextAsync("Park");
        await Assertions.Expect(sam.Locator("#result")).ToContainTextAsync("2 ballots");

        // Leyla is looking at the result when Sam changes his ranking to Cafe, then Park.
        await leyla.GotoAsync(motion);
        if (javaScript)
        {
            await Assertions.Expect(leyla.Locator("body[data-live=on]")).ToHaveCountAsync(1);
            await leyla.EvaluateAsync("() => window.stillTheSamePage = true");
        }
        // The new result is pushed to her page rendered: it fetches nothing to show it.
        int fetched = 0;
        leyla.Request += (_, request) =>
        {
            if (request.Headers.ContainsKey("x-shura-live"))
            {
                Interlocked.Increment(ref fetched);
            }
        };
        await Assertions.Expect(leyla.Locator("#result")).ToContainTextAsync("2 ballots");
        await Browsers.ScreenshotAsync(leyla, $"motion-before-{mode}-en-360");

        await sam.Locator("select[aria-label='Place of Cafe']").SelectOptionAsync("1");
        await sam.Locator("select[aria-label='Place of Park']").SelectOptionAsync("2");
        await sam.GetByRole(AriaRole.Button, new() { Name = "Change your ballot" }).ClickAsync();
        await Assertions.Expect(sam.Locator(".mine")).ToContainTextAsync("Cafe › Park");

        // Cafe is now everyone's first choice: it leads on both pages.
        if (javaScript)
        {
            await Assertions.Expect(leyla.Locator("#result .outcome")).ToHaveTextAsync("Leading: Cafe");
            Assert.True(await leyla.EvaluateAsync<bool>("() => window.stillTheSamePage === true"), "the page was reloaded instead of updated live");
            Assert.Equal(0, Volatile.Read(ref fetched));
        }
        else
        {
            await People.ReloadUntilAsync(leyla, async () => await leyla.Locator("#result .outcome").InnerTextAsync() == "Leading: Cafe");
        }
        await Browsers.ScreenshotAsync(leyla, $"motion-after-{mode}-en-360");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_majority_withdraws_confidence_and_a_third_person_sees_the_recall(bool javaScript)
    {
        await using var stage = await Stage.StartAsync();
        var (holder, first, second, mandate) = await stage.ElectedConvenerAsync();

        // The convener watches their own mandate's page.
        var watcher = await browsers.OpenAsync(stage.Address, javaScript: javaScript);
        await People.SignInAsync(watcher, holder);
        await watcher.GotoAsync($"/mandates/{mandate}");
        await Assertions.Expect(watcher.Locator("#holders")).ToContainTextAsync("0 of 2 withdrawals that recall");
        if (javaScript)
        {
            await Assertions.Expect(watcher.Locator("body[data-live=on]")).ToHaveCountAsync(1);
            await watcher.EvaluateAsync("() => window.stillTheSamePage = true");
        }

        // Two of the three members withdraw their confidence, each with one button.
        var mina = await browsers.OpenAsync(stage.Address, javaScript: javaScript);
        await People.SignInAsync(mina, first);
        await mina.GotoAsync($"/mandates/{mandate}");
        await mina.GetByRole(AriaRole.Button, new() { Name = "Withdraw confidence from Darius Karimi" }).ClickAsync();
        await Assertions.Expect(mina.Locator("#holders")).ToContainTextAsync("1 of 2 withdrawals that recall");
        await Browsers.ScreenshotAsync(mina, $"mandate-{(javaScript ? "js" : "nojs")}-en-360");

        // She may take it back, and withdraw it again: the button says which it will do.
        await mina.GetByRole(AriaRole.Button, new() { Name = "Restore confidence in Darius Karimi" }).ClickAsync();
        await Assertions.Expect(mina.Locator("#holders")).ToContainTextAsync("0 of 2 withdrawals that recall");
        await mina.GetByRole(AriaRole.Button, new() { Name = "Withdraw confidence from Darius Karimi" }).ClickAsync();
        await Assertions.Expect(mina.Locator("#holders")).ToContainTextAsync("1 of 2 withdrawals that recall");

        if (javaScript)
        {
            await Assertions.Expect(watcher.Locator("#holders")).ToContainTextAsync("1 of 2 withdrawals that recall");
        }

        var joe = await browsers.OpenAsync(stage.Address, javaScript: javaScript);
        await People.SignInAsync(joe, second);
        await joe.GotoAsync($"/mandates/{mandate}");
        await Assertions.Expect(joe.Locator("#holders .remaining")).ToHaveTextAsync("1 more withdrawal recalls Darius Karimi");
        await joe.GetByRole(AriaRole.Button, new() { Name = "Withdraw confidence from Darius Karimi" }).ClickAsync();

        // The tap that would recall asks once, and writes nothing until it is confirmed (with or without JavaScript).
        await Assertions.Expect(joe.Locator("#confirm-recall")).ToContainTextAsync("Your withdrawal recalls Darius Karimi at once");
        await Assertions.Expect(joe.Locator("#holders")).ToContainTextAsync("1 of 2 withdrawals that recall");
        await Browsers.ScreenshotAsync(joe, $"mandate-confirm-{(javaScript ? "js" : "nojs")}-en-360");
        await joe.GetByRole(AriaRole.Link, new() { Name = "No, keep my confidence" }).ClickAsync();
        await Assertions.Expect(joe.Locator("#confirm-recall")).ToHaveCountAsync(0);
        await Assertions.Expect(joe.Locator("#holders")).ToContainTextAsync("1 of 2 withdrawals that recall");
        await joe.GetByRole(AriaRole.Button, new() { Name = "Withdraw confidence from Darius Karimi" }).ClickAsync();
        await joe.GetByRole(AriaRole.Button, new() { Name = "Yes, recall Darius Karimi" }).ClickAsync();

        // The answer to the request that crossed the threshold already shows the recall.
        await Assertions.Expect(joe.Locator("#holders")).ToContainTextAsync("No one holds this mandate now.");
        await Assertions.Expect(joe.GetByRole(AriaRole.Link, new() { Name = "The by-election is open" })).ToBeVisibleAsync();

        // And the third person sees it: live with JavaScript, on reloading without.
        if (javaScript)
        {
            await Assertions.Expect(watcher.Locator("#holders")).ToContainTextAsync("No one holds this mandate now.");
            Assert.True(await watcher.EvaluateAsync<bool>("() => window.stillTheSamePage === true"), "the page was reloaded instead of updated live");
        }
        else
        {
            await People.ReloadUntilAsync(watcher, async () => (await watcher.Locator("#holders").InnerTextAsync()).Contains("No one holds this mandate now.", StringComparison.Ordinal));
        }
        await Assertions.Expect(watcher.GetByRole(AriaRole.Link, new() { Name = "The by-election is open" })).ToBeVisibleAsync();

        // The mandate keeps its history: who held it, from when to when, recalled by how many, with
        // the election that filled the seat and the by-election that followed; in Persian too.
        await joe.ReloadAsync();
        var history = joe.Locator("#history");
        await Assertions.Expect(history).ToContainTextAsync("Darius Karimi, from");
        await Assertions.Expect(history).ToContainTextAsync("Recalled: 2 of 3 electors withdrew their confidence.");
        await history.GetByRole(AriaRole.Link, new() { Name = "The by-election that followed" }).ClickAsync();
        await Assertions.Expect(joe.Locator("h1")).ToContainTextAsync("Convener");
        await joe.GoBackAsync();
        await joe.Locator("#history").GetByRole(AriaRole.Link, new() { Name = "The election that filled the seat" }).ClickAsync();
        await Assertions.Expect(joe.Locator("h1")).ToHaveTextAsync("Elect our convener");
        var persian = await browsers.OpenAsync(stage.Address, "fa", javaScript: javaScript);
        await persian.GotoAsync($"/mandates/{mandate}");
        await Assertions.Expect(persian.Locator("#history")).ToContainTextAsync("عزل شد: ۲ از ۳ رای‌دهنده اعتماد خود را سلب کردند.");
        await Assertions.Expect(persian.Locator("#history")).ToContainTextAsync("انتخابات میان‌دوره‌ای پس از آن");
    }
}
