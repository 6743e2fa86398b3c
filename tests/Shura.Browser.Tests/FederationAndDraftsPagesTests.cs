using Microsoft.Playwright;
using Shura.Browser.Tests.Support;
using Shura.Web.Tests.Support;

namespace Shura.Browser.Tests;

/// <summary>
/// Smaller stumbles, in both languages: a federation is shown by its member councils and their
/// delegates (not as "0 members"), and does not ask persons to join; a draft is listed to its author
/// only; without JavaScript the ranking's ↑/↓ buttons stay hidden; leaving the council stands apart.
/// </summary>
public sealed class FederationAndDraftsPagesTests(Browsers browsers) : IClassFixture<Browsers>
{
    [Theory]
    [InlineData("en")]
    [InlineData("fa")]
    public async Task Federations_show_member_councils_and_delegates_drafts_stay_their_authors_and_leaving_stands_apart(string language)
    {
        bool fa = language == "fa";
        await using var stage = await Stage.StartAsync();
        var world = new World(stage.Server);
        var bakers = await world.PeopleAsync("Leyla Ahmadi", "Babak Nouri", "Chen Wu");
        var tailors = await world.PeopleAsync("Dara Karimi", "Elham Sadeghi");
        string city = await world.FederationAsync("City federation", bakers[0]);
        string bakery = await world.CouncilAsync("Bakery workers", bakers);
        string tailoring = await world.CouncilAsync("Tailors", tailors);
        await world.JoinFederationAsync(bakery, bakers, city);
        await world.JoinFederationAsync(tailoring, tailors, city);
        await world.ElectDelegatesAsync(bakery, bakers, city, [bakers[0]], method: "irv");
        string draft = await world.Api.PutMotionAsync(bakery, bakers[1], new { kind = "decision", title = "A draft of Babak's", text = "", draft = true });
        string ranked = await world.Api.PutMotionAsync(bakery, bakers[0], new { kind = "choice", title = "Where we meet", text = "", options = new[] { "Park", "Library" }, method = "irv" });

        var visitor = await browsers.OpenAsync(stage.Address, language, javaScript: false);
        await visitor.GotoAsync("/");
        var card = visitor.Locator("li", new() { HasText = "City federation" });
        await Assertions.Expect(card).ToContainTextAsync(fa ? "۲ شورای عضو" : "2 member councils");
        await visitor.GotoAsync($"/councils/{city}");
        await Assertions.Expect(visitor.Locator("main")).ToContainTextAsync(fa ? "نمایندگان: Leyla Ahmadi" : "Delegates: Leyla Ahmadi");
        await Assertions.Expect(visitor.Locator("main")).ToContainTextAsync(fa ? "هنوز نماینده‌ای انتخاب نشده است." : "No delegate elected yet.");
        await Assertions.Expect(visitor.Locator(".actions a[href^='/signin']")).ToHaveCountAsync(0); // persons do not join a federation
        await visitor.GotoAsync($"/councils/{bakery}");
        await Assertions.Expect(visitor.Locator(".actions a[href^='/signin']")).ToHaveCountAsync(1); // a council still offers it

        // Without JavaScript, the ranking is its places; the ↑/↓ buttons that need the script stay hidden.
        var member = await browsers.OpenAsync(stage.Address, language, javaScript: false);
        await People.SignInAsync(member, bakers[2]);
        await member.GotoAsync($"/motions/{ranked}");
        await Assertions.Expect(member.Locator("#rank-0")).ToBeVisibleAsync();
        await Assertions.Expect(member.Locator(".move").First).ToBeHiddenAsync();

        // The draft is Babak's alone until he proposes it; leaving stands apart, at the end.
        await member.GotoAsync($"/councils/{bakery}");
        await Assertions.Expect(member.Locator($"#motions a[href='/motions/{draft}']")).ToHaveCountAsync(0);
        await Assertions.Expect(member.Locator(".actions form[action*=Leave]")).ToHaveCountAsync(0);
        await Assertions.Expect(member.Locator("#membership button")).ToBeVisibleAsync();
        var author = await browsers.OpenAsync(stage.Address, language, javaScript: false);
        await People.SignInAsync(author, bakers[1]);
        await author.GotoAsync($"/councils/{bakery}");
        await Assertions.Expect(author.Locator($"#motions a[href='/motions/{draft}']")).ToHaveCountAsync(1);
        var listed = (await world.Api.GetAsync($"/councils/{bakery}/motions", bakers[2])).Ok().Body.EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.DoesNotContain(draft, listed);
        Assert.Contains(draft, (await world.Api.GetAsync($"/councils/{bakery}/motions", bakers[1])).Ok().Body.EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }
}
