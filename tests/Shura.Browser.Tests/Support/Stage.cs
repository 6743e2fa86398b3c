using Shura.Web.Tests.Support;

namespace Shura.Browser.Tests.Support;

/// <summary>
/// A Shura server on a fresh SQLite file and a free port, with the API at hand for setting scenes up
/// quickly. Its clock is a fake one that only the test moves: a vote stays open while a person
/// clicks through it however busy the machine is, and closes when the test says
/// (<see cref="AdvanceAsync"/>), never by waiting on the wall clock. Its deadline service runs, so a
/// motion put with no deliberation goes to the vote at once, as it does for a real person.
/// </summary>
public sealed class Stage : IAsyncDisposable
{
    private Stage(TestServer server) => Server = server;

    public TestServer Server { get; }

    public Api Api => Server.Api();

    public Uri Address => Server.Client.BaseAddress!;

    public static async Task<Stage> StartAsync() => new(await TestServer.StartAsync(Engines.Sqlite, fakeClock: true, deadlineService: true));

    /// <summary>Moves the clock on and passes the deadlines that fell meanwhile.</summary>
    public Task AdvanceAsync(TimeSpan by) => Server.AdvanceAsync(by);

    /// <summary>Passes what is due; the motion must now be in <paramref name="state"/>.</summary>
    public Task StateAsync(string motion, string state) => Server.StateAsync(motion, state);

    /// <summary>Lets the motion's voting period run out; it must then be in <paramref name="state"/>.</summary>
    public async Task CloseAsync(string motion, string state)
    {
        await AdvanceAsync(Voting);
        await StateAsync(motion, state);
    }

    /// <summary>The voting period of the stage's councils: far longer than any test takes to click, since only the test moves the clock.</summary>
    public static readonly TimeSpan Voting = TimeSpan.FromHours(1);

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
        string council = await api.CreateCouncilAsync(holder, Api.QuickSettings(voting: "PT1H"), councilName);
        await api.JoinAsync(council, first, second);
        string mandate = (await api.PostAsync($"/councils/{council}/mandates", new { name = "Convener", kind = "convener", seats = 1 }, holder)).Ok().Id;
        string election = await api.PutMotionAsync(council, holder, new { kind = "election", title = "Elect our convener", text = "", mandate, method = "irv", candidates = new[] { holder.Id } });
        await StateAsync(election, "voting");
        foreach (var voter in new[] { holder, first, second })
        {
            (await api.CastAsync(election, voter, new { ranking = new[] { holder.Id } })).Ok();
        }
        await CloseAsync(election, "decided");
        return (holder, first, second, mandate);
    }

    /// <summary>A council whose motions go to the vote at once and stay open for an hour of the stage's clock.</summary>
    public async Task<string> CouncilAsync(Person founder, Person[] members, string name = "Riverside Neighbourhood Council")
    {
        string council = await Api.CreateCouncilAsync(founder, Api.QuickSettings(voting: "PT1H"), name);
        await Api.JoinAsync(council, members);
        return council;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
