using Microsoft.AspNetCore.SignalR;
using Shura.Core.Log;
using Shura.Storage;

namespace Shura.Web.Site;

/// <summary>
/// Pages that show something live (results, counts towards a recall) watch their council; the hub
/// tells them "changed" after every commit that touched that council's log, and the page fetches
/// its live parts again. What is sent is only that something changed, never what: a page reads
/// what its viewer may see through the same code that rendered it.
/// </summary>
public sealed class LiveHub(Storage.Councils.CouncilQueries councils) : Hub
{
    public static string Group(string council) => "council:" + council;

    /// <summary>
    /// Starts telling this page about changes in a council it may read. Even the bare "changed" of a
    /// members-only council would tell a stranger when its members act, so strangers are not told.
    /// </summary>
    public async Task Watch(string council)
    {
        if (!Guid.TryParse(council, out var id) || await councils.GetAsync(new Core.CouncilId(id), Context.ConnectionAborted) is not { } view)
        {
            return;
        }
        if (view.Council.Settings.Visibility == Core.Councils.Visibility.Members
            && !(Context.User?.Person() is { } reader && await councils.CanReadAsync(view.Council.Id, reader, Context.ConnectionAborted)))
        {
            return;
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(id.ToString()));
    }
}

/// <summary>Forwards the writer's commits to the watching pages.</summary>
public sealed class Live(Writer writer, IHubContext<LiveHub> hub)
{
    private int _started;

    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            writer.Committed += Changed;
        }
    }

    private void Changed(IReadOnlyList<LogEntry> entries)
    {
        foreach (string chain in entries.Select(e => e.Chain).Distinct())
        {
            // Fire and forget: the writer must not wait for browsers.
            _ = hub.Clients.Group(LiveHub.Group(chain)).SendAsync("changed", chain);
        }
    }
}
