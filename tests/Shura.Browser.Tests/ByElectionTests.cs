using Microsoft.Playwright;
using Shura.Browser.Tests.Support;

namespace Shura.Browser.Tests;

/// <summary>
/// A by-election from the pages: the council opens it (said so, never an id of zeros), its title and
/// text in the reader's language, and members nominate each other or stand themselves there.
/// </summary>
public sealed class ByElectionTests(Browsers browsers) : IClassFixture<Browsers>
{
    [Fact]
    public async Task Members_nominate_candidates_in_a_by_election_the_council_opened_in_either_language()
    {
        await using var stage = await Stage.StartAsync();
        var api = stage.Api;
        var (holder, first, second, mandate) = await stage.ElectedConvenerAsync();
        foreach (var elector in new[] { first, second })
        {
            (await api.SendAsync(HttpMethod.Put, $"/mandates/{mandate}/holders/{holder.Id}/confidence", new { withdrawn = true }, elector)).Ok();
        }
        string byElection = (await api.GetAsync($"/mandates/{mandate}")).Ok().Body.GetProperty("byElection").GetString()!;
        var motion = (await api.GetAsync($"/motions/{byElection}")).Ok().Body;
        Assert.Equal(System.Text.Json.JsonValueKind.Null, motion.GetProperty("proposer").ValueKind);

        var page = await browsers.OpenAsync(stage.Address);
        await People.SignInAsync(page, first);
        await page.GotoAsync($"/motions/{byElection}");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("By-election: Convener");
        await Assertions.Expect(page.Locator("#motion-state")).ToContainTextAsync("opened by the council");
        await Assertions.Expect(page.Locator("#motion-state")).Not.ToContainTextAsync("00000000");
        await Assertions.Expect(page.Locator(".text").First).ToHaveTextAsync("1 seat of Convener is vacant until this election is decided.");
        await Assertions.Expect(page.Locator("#nominations")).ToContainTextAsync("No candidate yet.");

        await page.GetByLabel("Nominate a member").SelectOptionAsync(new SelectOptionValue { Label = "Joe Baker" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Nominate", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#nominations p").First).ToHaveTextAsync("Joe Baker");
        await page.GetByRole(AriaRole.Button, new() { Name = "Stand yourself" }).ClickAsync();
        await Assertions.Expect(page.Locator("#nominations p").First).ToContainTextAsync("Mina Rahimi");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Stand yourself" })).ToHaveCountAsync(0);
        // The recalled holder may stand again: the electors decide.
        await page.GetByLabel("Nominate a member").SelectOptionAsync(new SelectOptionValue { Label = "Darius Karimi" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Nominate", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#nominations p").First).ToContainTextAsync("Darius Karimi");
        Assert.Equal(3, (await api.GetAsync($"/motions/{byElection}")).Ok().Body.GetProperty("options").GetArrayLength());
        await Assertions.Expect(page.GetByLabel("Nominate a member")).ToHaveCountAsync(0); // every member is a candidate now

        // A Persian reader reads the council's own motion in Persian.
        var persian = await browsers.OpenAsync(stage.Address, "fa");
        await persian.GotoAsync($"/motions/{byElection}");
        await Assertions.Expect(persian.Locator("h1")).ToHaveTextAsync("انتخابات میان‌دوره‌ای: Convener");
        await Assertions.Expect(persian.Locator("#motion-state")).ToContainTextAsync("گشوده به دست شورا");
        await Assertions.Expect(persian.Locator(".text").First).ToHaveTextAsync("۱ کرسی Convener تا تعیین نتیجهٔ این انتخابات خالی است.");
        await Browsers.ScreenshotAsync(persian, "by-election-fa-360");
    }
}
