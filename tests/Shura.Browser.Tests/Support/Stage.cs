using Microsoft.Playwright;
using Shura.Web.Tests.Support;

namespace Shura.Browser.Tests.Support;

/// <summary>A running `shura serve` on a fresh SQLite file, with the API at hand for setting scenes up quickly.</summary>
public sealed class Stage : IAsyncDisposable
{
    private readonly string _folder;

    private Stage(ServeProcess server, string folder) => (Server, _folder) = (server, folder);

    public ServeProcess Server { get; }

    public Api Api => Server.Api();

    public Uri Address => Server.Address;

    public static async Task<Stage> StartAsync()
    {
        string folder = Directory.CreateTempSubdirectory("shura-browser-").FullName;
        return new Stage(await ServeProcess.StartAsync(Path.Combine(folder, "shura.db")), folder);
    }

    /// <summary>
    /// A council of three whose first member holds a one-seat mandate, elected by all three: the
    /// scene for recall. Returns the people and the mandate's id.
    /// </summary>
    public async Task<(Person Holder, Person First, Person Second, string Mandate)> ElectedConvenerAsync(string councilName = "Bakery workers")
    {
        var api = Api;
        var holder = await api.RegisterAsync("Darius Karimi");
        var first = await api.RegisterAsync("Mina Rahimi");
        var second = await api.RegisterAsync("Joe Baker");
        string council = await api.CreateCouncilAsync(holder, Api.QuickSettings(voting: "PT3S"), councilName);
        await api.JoinAsync(council, first, second);
        string mandate = (await api.PostAsync($"/councils/{council}/mandates", new { name = "Convener", kind = "convener", seats = 1 }, holder)).Ok().Id;
        string election = await api.PutMotionAsync(council, holder, new { kind = "election", title = "Elect our convener", text = "", mandate, method = "irv", candidates = new[] { holder.Id } });
        await api.WaitForStateAsync(election, "voting");
        foreach (var voter in new[] { holder, first, second })
        {
            (await api.CastAsync(election, voter, new { ranking = new[] { holder.Id } })).Ok();
        }
        await api.WaitForStateAsync(election, "decided");
        return (holder, first, second, mandate);
    }

    /// <summary>A council whose motions go to the vote at once and stay open for an hour: time enough for a person to act.</summary>
    public async Task<string> CouncilAsync(Person founder, Person[] members, string name = "Riverside Neighbourhood Council")
    {
        string council = await Api.CreateCouncilAsync(founder, Api.QuickSettings(voting: "PT1H"), name);
        await Api.JoinAsync(council, members);
        return council;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the temp cleaner.
        }
    }
}
