using System.Net;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Site;

/// <summary>
/// A mandate's page tells where it leads and where it came from: a delegate mandate links its
/// federation, each holder the election that filled the seat; and the withdrawal that would recall
/// asks to be confirmed before anything is written.
/// </summary>
public class MandatePagesTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_delegate_mandate_links_its_federation_and_election_and_the_recalling_withdrawal_waits_for_confirmation(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var world = new World(server);
        var bakers = await world.PeopleAsync("Leyla", "Babak", "Chen");
        string city = await world.FederationAsync("City federation", bakers[0]);
        string bakery = await world.CouncilAsync("Bakery workers", bakers);
        await world.JoinFederationAsync(bakery, bakers, city);
        string mandate = await world.ElectDelegatesAsync(bakery, bakers, city, [bakers[0]], method: "irv");

        string page = await server.Client.GetStringAsync($"/mandates/{mandate}");
        // A link is isolated by the style sheet (a { unicode-bidi: isolate }).
        Assert.Contains($"Delegates to the federation <a href=\"/councils/{city}\" dir=\"auto\">City federation</a>.", page, StringComparison.Ordinal);
        Assert.Matches("<a class=\"meta\" href=\"/motions/[0-9a-f-]{36}\">The election that filled the seat</a>", page);
        Assert.Contains("<bdi>2</bdi> more withdrawals recall <bdi>Leyla</bdi>", page, StringComparison.Ordinal);

        // One withdrawal is written at once; the one that would recall is asked about first, and
        // the asking writes nothing.
        using var babak = await new Visitor(server.Client.BaseAddress!).SignInAsync(bakers[1]);
        var fields = new Dictionary<string, string> { ["holder"] = bakers[0].Id, ["withdraw"] = "true" };
        Assert.Equal(HttpStatusCode.Found, (await babak.PostAsync($"/mandates/{mandate}", $"/mandates/{mandate}?handler=Confidence", fields)).StatusCode);
        using var chen = await new Visitor(server.Client.BaseAddress!).SignInAsync(bakers[2]);
        string before = Store.Snapshot(server.Database);
        var asked = await chen.PostAsync($"/mandates/{mandate}", $"/mandates/{mandate}?handler=Confidence", fields);
        Assert.Contains("Your withdrawal recalls <bdi>Leyla</bdi> at once", await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, Store.Snapshot(server.Database));
        fields["confirmed"] = "true";
        await chen.PostAsync($"/mandates/{mandate}", $"/mandates/{mandate}?handler=Confidence", fields);
        Assert.Empty(World.Holders(await world.MandateAsync(mandate)));
        world.Verify();
    }
}
