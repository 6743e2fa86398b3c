using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Shura.Core.Log;

namespace Shura.Web.Site;

/// <summary>
/// Pages that show something live (results, counts towards a recall) watch their council; the hub
/// tells them "changed" after every commit that touched that council's log, and the page fetches
/// its live parts again. What is sent is only that something changed, never what: a page reads
/// what its viewer may see through the same code that rendered it.
/// </summary>
public sealed class LiveHub(Storage.Councils.CouncilQueries councils, Live live) : Hub
{
    /// <summary>
    /// Starts telling this page about changes in a council it may read. Even the bare "changed" of a
    /// members-only council would tell a stranger when its members act, so strangers are not told —
    /// and someone who stops being able to read it (they left, were recalled from the seat that let
    /// them, or the council became members-only) stops being told at once.
    /// </summary>
    public async Task Watch(string council)
    {
        if (!Guid.TryParse(council, out var id) || await councils.GetAsync(new CouncilId(id), Context.ConnectionAborted) is not { } view)
        {
            return;
        }
        var reader = Context.User?.Person();
        if (!await councils.MayReadAsync(view, reader, Context.ConnectionAborted))
        {
            return;
        }
        live.Watch(Context, reader, id.ToString());
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        live.Forget(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}

/// <summary>
/// Forwards the writer's commits to the watching pages, in the order they were committed. Before it
/// tells anyone of a commit, it checks again who may still read what that commit may have closed to
/// them: a member who left, a holder who lost a seat, a council turned members-only.
/// </summary>
public sealed partial class Live(Writer writer, IHubContext<LiveHub> hub, Storage.Councils.CouncilQueries councils, ILogger<Live> logger)
{
    private sealed record Watcher(HubCallerContext Context, AccountId? Person, ConcurrentDictionary<string, long> Councils)
    {
        public string? Session => Context.User?.FindFirst(Accounts.Sessions.Claim)?.Value;
    }

    private readonly ConcurrentDictionary<string, Watcher> _watchers = new(StringComparer.Ordinal);
    private readonly Channel<IReadOnlyList<LogEntry>> _commits = Channel.CreateUnbounded<IReadOnlyList<LogEntry>>(new UnboundedChannelOptions { SingleReader = true });
    private int _started;

    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            // The writer must not wait for browsers: commits queue here and are told in order.
            writer.Committed += entries => _commits.Writer.TryWrite(entries);
            _ = Task.Run(TellAsync);
        }
    }

    /// <summary>Starts telling a page of the commits to a council told from now on (not of those before it watched).</summary>
    public void Watch(HubCallerContext context, AccountId? person, string council) =>
        _watchers.GetOrAdd(context.ConnectionId, _ => new Watcher(context, person, new(StringComparer.Ordinal))).Councils[council] = Interlocked.Read(ref _told);

    public void Forget(string connection) => _watchers.TryRemove(connection, out _);

    /// <summary>Ends the live connections of a signed-in session (it signed out): a copy of its page learns nothing more.</summary>
    public void EndSession(string session)
    {
        foreach (var (id, watcher) in _watchers)
        {
            if (watcher.Session == session)
            {
                watcher.Context.Abort();
                _watchers.TryRemove(id, out _);
            }
        }
    }

    /// <summary>How often at most a page hears "changed" about one council: a council changing a thousand times a second is told a few times a second.</summary>
    public static readonly TimeSpan Coalescing = TimeSpan.FromMilliseconds(250);

    // Each council changed since the last flush, with the number of the last commit that changed it.
    private readonly Dictionary<string, long> _changed = new(StringComparer.Ordinal);
    private long _told;

    private async Task TellAsync()
    {
        _ = Task.Run(FlushAsync);
        await foreach (var entries in _commits.Reader.ReadAllAsync())
        {
            try
            {
                // Readers are checked at once, before anything more is told: who may no longer read hears nothing more.
                await CheckReadersAsync(entries);
                long commit = Interlocked.Increment(ref _told);
                lock (_changed)
                {
                    foreach (var entry in entries)
                    {
                        _changed[entry.Chain] = commit;
                    }
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogFailed(e);
            }
        }
    }

    /// <summary>Tells each council's watchers once per <see cref="Coalescing"/> at most, whatever number of commits touched it meanwhile.</summary>
    private async Task FlushAsync()
    {
        using var timer = new PeriodicTimer(Coalescing);
        while (await timer.WaitForNextTickAsync())
        {
            KeyValuePair<string, long>[] changes;
            lock (_changed)
            {
                changes = [.. _changed];
                _changed.Clear();
            }
            foreach (var (chain, commit) in changes)
            {
                try
                {
                    var watching = _watchers.Where(w => w.Value.Councils.TryGetValue(chain, out long since) && since < commit).Select(w => w.Key).ToList();
                    if (watching.Count > 0)
                    {
                        await hub.Clients.Clients(watching).SendAsync("changed", chain);
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    LogFailed(e);
                }
            }
        }
    }

    /// <summary>
    /// After entries that can take reading away — someone left a council or a seat, a council's
    /// settings changed — every watcher concerned is checked again, and stops watching what they
    /// may no longer read.
    /// </summary>
    private async Task CheckReadersAsync(IReadOnlyList<LogEntry> entries)
    {
        var people = new HashSet<AccountId>();
        var councilsChanged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => e.Type is "member-left" or "seat-vacated" or "holder-recalled" or "settings-changed"))
        {
            switch (EventJson.Read(entry.Type, entry.Payload))
            {
                case Core.Councils.MemberLeft left:
                    people.Add(left.Member);
                    break;
                case Core.Mandates.SeatVacated vacated:
                    people.Add(vacated.Holder);
                    break;
                case Core.Mandates.HolderRecalled recalled:
                    people.Add(recalled.Holder);
                    break;
                case Core.Councils.SettingsChanged changed:
                    councilsChanged.Add(changed.CouncilId.ToString());
                    break;
            }
        }
        if (people.Count == 0 && councilsChanged.Count == 0)
        {
            return;
        }
        foreach (var (id, watcher) in _watchers)
        {
            bool concerned = watcher.Person is { } p && people.Contains(p);
            foreach (string council in watcher.Councils.Keys)
            {
                if ((concerned || councilsChanged.Contains(council)) && !await MayReadAsync(watcher.Person, council))
                {
                    watcher.Councils.TryRemove(council, out _);
                }
            }
        }
    }

    private async Task<bool> MayReadAsync(AccountId? person, string council)
    {
        var view = await councils.GetAsync(new CouncilId(Guid.Parse(council)), CancellationToken.None);
        return view is not null && await councils.MayReadAsync(view, person, CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell live pages of a commit")]
    private partial void LogFailed(Exception error);
}
