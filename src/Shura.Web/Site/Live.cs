using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Shura.Core.Log;
using Shura.Core.Motions;
using Shura.Storage.Motions;

namespace Shura.Web.Site;

/// <summary>
/// Pages that show something live watch it here. A motion's page is pushed its live parts (the
/// result, the delegates' ballots), rendered once per language for everyone who may read the
/// council (what they show depends on nothing else); other pages (a council, a mandate, the
/// actions) are told only "changed" and fetch their live parts again, through the same code that
/// rendered them for that viewer.
/// </summary>
public sealed class LiveHub(MotionQueries motions, Live live) : Hub
{
    /// <summary>
    /// Starts telling this page about changes in a council it may read. Even the bare "changed" of a
    /// members-only council would tell a stranger when its members act, so strangers are not told —
    /// and someone who stops being able to read it (they left, were recalled from the seat that let
    /// them, or the council became members-only) stops being told at once.
    /// </summary>
    public async Task Watch(string council)
    {
        if (Guid.TryParse(council, out var id) && await MayReadAsync(new CouncilId(id)))
        {
            await live.WatchAsync(Context, Context.User?.Person(), new CouncilId(id));
        }
    }

    /// <summary>
    /// Starts pushing a motion's live parts to this page, in its language, under the same rule as
    /// <see cref="Watch"/>; answers with the parts as they are now (null: not to be watched).
    /// </summary>
    public async Task<LiveParts?> WatchMotion(string motion, string language)
    {
        if (!Guid.TryParse(motion, out var id) || await motions.MotionAsync(new MotionId(id), Context.ConnectionAborted) is not { } found
            || !await MayReadAsync(found.Council))
        {
            return null;
        }
        var culture = Pages.Languages.FirstOrDefault(l => l.Name == language) ?? Pages.Languages[0];
        return await live.WatchMotionAsync(Context, Context.User?.Person(), found.Council, found.Id, culture);
    }

    /// <summary>
    /// Starts telling a signed-in person's page when notices may have come in their councils, so that
    /// the header's unread count is fetched again (it is the person's own, never pushed to a group).
    /// </summary>
    public async Task WatchNotices()
    {
        if (Context.User?.Person() is { } person)
        {
            await live.WatchNoticesAsync(Context, person);
        }
    }

    private Task<bool> MayReadAsync(CouncilId council) => live.MayReadAsync(Context.User?.Person(), council, Context.ConnectionAborted);

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        live.Forget(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}

/// <summary>A motion's live parts as pushed: its state (a page showing another state loads itself again), where the count stood, and each part's markup by its data-live name.</summary>
/// <param name="Discussion">
/// The discussion's version (<see cref="Storage.Discussion.DiscussionQueries.VersionAsync"/>): a page
/// whose thread is older fetches itself again, since what each reader may do in it is theirs.
/// </param>
public sealed record LiveParts(string State, long CountedAt, IReadOnlyDictionary<string, string> Parts, long Discussion = 0);

/// <summary>
/// Forwards the writer's commits to the watching pages, in the order they were committed. Before it
/// tells anyone of a commit, it checks again who may still read what that commit may have closed to
/// them: a member who left, a holder who lost a seat, a council turned members-only. Watchers are
/// SignalR groups — "c:{council}" for "changed", "m:{motion}:{language}" for a motion's parts — so
/// each message is serialized once for all its watchers.
/// </summary>
public sealed partial class Live(
    Writer writer, IHubContext<LiveHub> hub, Storage.Councils.CouncilQueries councils, MotionQueries motions, AccountQueries accounts,
    PartRenderer renderer, ILogger<Live> logger, Storage.Discussion.DiscussionQueries discussion, Nodes? nodes = null)
{
    private sealed record Watcher(HubCallerContext Context, AccountId? Person)
    {
        /// <summary>Each council watched, with the groups watching it put this page in.</summary>
        public ConcurrentDictionary<string, ImmutableHashSet<string>> Councils { get; } = new(StringComparer.Ordinal);

        public string? Session => Context.User?.FindFirst(Accounts.Sessions.Claim)?.Value;
    }

    /// <summary>A motion some page watches: its council, and how many pages watch it in each language.</summary>
    private sealed class WatchedMotion(string council)
    {
        public string Council { get; } = council;

        public ConcurrentDictionary<string, int> Languages { get; } = new(StringComparer.Ordinal);

        /// <summary>1 while its parts are being told; <see cref="Again"/> asks for one more telling after that.</summary>
        public int Telling;

        public int Again;
    }

    private readonly ConcurrentDictionary<string, Watcher> _watchers = new(StringComparer.Ordinal);

    /// <summary>Pages watching live now (a metric: how many, never whose).</summary>
    public int Watching => _watchers.Count;
    private readonly ConcurrentDictionary<MotionId, WatchedMotion> _motions = new();
    private readonly Channel<IReadOnlyList<Told>> _commits = Channel.CreateUnbounded<IReadOnlyList<Told>>(new UnboundedChannelOptions { SingleReader = true });
    private int _started;

    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            // The writer must not wait for browsers: commits queue here and are told in order.
            writer.Committed += entries =>
            {
                IReadOnlyList<Told> told = [.. entries.Select(Told.From)];
                _commits.Writer.TryWrite(told);
                nodes?.Publish(told);
            };
            // Other nodes' commits join the same queue, as they arrive.
            nodes?.ListenAsync(told => _commits.Writer.TryWrite(told), EndLocalSession).GetAwaiter().GetResult();
            _ = Task.Run(TellAsync);
        }
    }

    private static string CouncilGroup(string council) => "c:" + council;

    private static string MotionGroup(MotionId motion, string language) => $"m:{motion}:{language}";

    /// <summary>Starts telling a page "changed" about a council.</summary>
    public Task WatchAsync(HubCallerContext context, AccountId? person, CouncilId council) =>
        JoinAsync(context, person, council.ToString(), CouncilGroup(council.ToString()));

    /// <summary>Starts pushing a motion's parts to a page, and gives it them as they are now.</summary>
    public async Task<LiveParts?> WatchMotionAsync(HubCallerContext context, AccountId? person, CouncilId council, MotionId motion, System.Globalization.CultureInfo language)
    {
        if (await JoinAsync(context, person, council.ToString(), MotionGroup(motion, language.Name)))
        {
            // Counted under the lock that forgets motions nobody watches, so a page never counts in one just forgotten.
            lock (_motions)
            {
                _motions.GetOrAdd(motion, _ => new WatchedMotion(council.ToString())).Languages.AddOrUpdate(language.Name, 1, (_, n) => n + 1);
            }
        }
        var parts = await PartsAsync(motion, [language]);
        return parts.Count == 1 ? parts[0].Parts : null;
    }

    private static string NoticesGroup(string council) => "n:" + council;

    /// <summary>Puts the page in the notices group of each council the person is a member of.</summary>
    public async Task WatchNoticesAsync(HubCallerContext context, AccountId person)
    {
        foreach (var council in await councils.OfMemberAsync(person, CancellationToken.None))
        {
            await JoinAsync(context, person, council, NoticesGroup(council));
        }
    }

    /// <summary>Puts the page in a group; false when it was in it already (a page that asks twice counts once).</summary>
    private async Task<bool> JoinAsync(HubCallerContext context, AccountId? person, string council, string group)
    {
        var watcher = _watchers.GetOrAdd(context.ConnectionId, _ => new Watcher(context, person));
        bool added = false;
        watcher.Councils.AddOrUpdate(council, _ => { added = true; return [group]; }, (_, groups) =>
        {
            added = !groups.Contains(group);
            return groups.Add(group);
        });
        await hub.Groups.AddToGroupAsync(context.ConnectionId, group);
        return added;
    }

    /// <summary>A page went away: SignalR takes it out of its groups; its motions lose a watcher.</summary>
    public void Forget(string connection)
    {
        if (_watchers.TryRemove(connection, out var watcher))
        {
            foreach (string group in watcher.Councils.Values.SelectMany(g => g))
            {
                Unwatched(group);
            }
        }
    }

    /// <summary>A motion's group lost a page: when no page watches a motion in any language, its parts are no longer rendered.</summary>
    private void Unwatched(string group)
    {
        if (!group.StartsWith("m:", StringComparison.Ordinal))
        {
            return;
        }
        string[] parts = group.Split(':');
        var motion = new MotionId(Guid.Parse(parts[1]));
        lock (_motions)
        {
            if (_motions.TryGetValue(motion, out var watched))
            {
                watched.Languages.AddOrUpdate(parts[2], 0, (_, n) => Math.Max(0, n - 1));
                if (watched.Languages.Values.All(n => n == 0))
                {
                    _motions.TryRemove(motion, out _);
                }
            }
        }
    }

    /// <summary>Ends the live connections of a signed-in session (it signed out), on every node: a copy of its page learns nothing more.</summary>
    public void EndSession(string session)
    {
        // Known between nodes by its hash: the secret itself never leaves this process.
        string hash = Storage.Secrets.Hash(session);
        nodes?.SessionEnded(hash);
        EndLocalSession(hash);
    }

    private void EndLocalSession(string sessionHash)
    {
        foreach (var (id, watcher) in _watchers)
        {
            if (watcher.Session is { } session && Storage.Secrets.Hash(session) == sessionHash)
            {
                watcher.Context.Abort();
                Forget(id);
            }
        }
    }

    /// <summary>How often at most a page hears of one council: a council changing a thousand times a second is told a few times a second.</summary>
    public static readonly TimeSpan Coalescing = TimeSpan.FromMilliseconds(250);

    // The councils changed since the last flush, and those of them where notices may have come.
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _noticed = new(StringComparer.Ordinal);

    private async Task TellAsync()
    {
        _ = Task.Run(FlushAsync);
        await foreach (var entries in _commits.Reader.ReadAllAsync())
        {
            try
            {
                // Readers are checked at once, before anything more is told: who may no longer read hears nothing more.
                await CheckReadersAsync(entries);
                lock (_changed)
                {
                    foreach (var entry in entries)
                    {
                        _changed.Add(entry.Chain);
                        if (Told.Notifies(entry.Type))
                        {
                            _noticed.Add(entry.Chain);
                        }
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
            string[] changed, noticed;
            lock (_changed)
            {
                changed = [.. _changed];
                noticed = [.. _noticed];
                _changed.Clear();
                _noticed.Clear();
            }
            foreach (string chain in noticed)
            {
                Tell(hub.Clients.Group(NoticesGroup(chain)).SendAsync("notices"));
            }
            foreach (string chain in changed)
            {
                Tell(hub.Clients.Group(CouncilGroup(chain)).SendAsync("changed", chain));
                foreach (var (motion, watched) in _motions)
                {
                    if (watched.Council == chain)
                    {
                        TellMotion(motion, watched);
                    }
                }
            }
        }
    }

    /// <summary>
    /// What a motion's pushes may send per second, all watchers together: a big election's result
    /// (some 20 KB) to two thousand pages is 40 MB per telling, more than a 2-core server writes and
    /// its readers read in a second beside the ballots, so the more it weighs, the less often it is
    /// told (never more often than <see cref="Coalescing"/>).
    /// </summary>
    public const long BytesPerSecond = 32_000_000;

    /// <summary>
    /// Pushes a motion's parts to its watchers, off the flush loop so that one slow count never holds
    /// up another council's pages; a motion changed again while being told is told once more after,
    /// no sooner than its bytes allow (<see cref="BytesPerSecond"/>).
    /// </summary>
    private void TellMotion(MotionId motion, WatchedMotion watched)
    {
        if (Interlocked.Exchange(ref watched.Telling, 1) == 1)
        {
            Volatile.Write(ref watched.Again, 1);
            return;
        }
        _ = Task.Run(async () =>
        {
            do
            {
                await TellMotionOnceAsync(motion, watched);
                Volatile.Write(ref watched.Telling, 0);
            }
            // A flush while it was telling asked again; one after the line above started a telling of its own.
            while (Volatile.Read(ref watched.Again) == 1 && Interlocked.Exchange(ref watched.Telling, 1) == 0);
        });
    }

    /// <summary>One telling of a motion's parts, then a pause as long as its bytes ask for.</summary>
    private async Task TellMotionOnceAsync(MotionId motion, WatchedMotion watched)
    {
        Volatile.Write(ref watched.Again, 0);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        long bytes = 0;
        try
        {
            var languages = Pages.Languages.Where(l => watched.Languages.TryGetValue(l.Name, out int n) && n > 0).ToList();
            foreach (var (language, parts) in await PartsAsync(motion, languages))
            {
                var group = hub.Clients.Group(MotionGroup(motion, language.Name));
                // A motion no longer voted on has other parts (its outcome, an action form): the page loads itself again.
                await (parts is null ? group.SendAsync("changed", watched.Council) : group.SendAsync("parts", parts));
                bytes += (parts?.Parts.Values.Sum(p => (long)p.Length) ?? 0) * watched.Languages.GetValueOrDefault(language.Name);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogFailed(e);
        }
        var pause = TimeSpan.FromSeconds((double)bytes / BytesPerSecond) - System.Diagnostics.Stopwatch.GetElapsedTime(started);
        if (pause > TimeSpan.Zero)
        {
            await Task.Delay(pause);
        }
    }

    /// <summary>A motion's parts in each language (null for a motion not being voted on); none for a motion that is gone.</summary>
    private async Task<List<(System.Globalization.CultureInfo Language, LiveParts? Parts)>> PartsAsync(MotionId motion, IReadOnlyList<System.Globalization.CultureInfo> languages)
    {
        var told = new List<(System.Globalization.CultureInfo, LiveParts?)>();
        if (await motions.GetAsync(motion, CancellationToken.None) is not { } view)
        {
            return told;
        }
        if (view.Motion.State != MotionState.Voting)
        {
            told.AddRange(languages.Select(l => (l, (LiveParts?)null)));
            return told;
        }
        var live = new Web.Pages.Motions.MotionLive(view, await Web.Pages.Motions.MotionLive.NamesAsync(view, null, accounts, councils, CancellationToken.None));
        long version = await discussion.VersionAsync(motion, CancellationToken.None);
        foreach (var language in languages)
        {
            var parts = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["result"] = await renderer.RenderAsync("/Pages/Motions/_Result.cshtml", live, language),
                ["delegates"] = await renderer.RenderAsync("/Pages/Motions/_Delegates.cshtml", live, language),
            };
            told.Add((language, new LiveParts(view.Motion.State.Name(), view.CountedAt, parts, version)));
        }
        return told;
    }

    private void Tell(Task sending) => sending.ContinueWith(t => LogFailed(t.Exception!), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>
    /// After entries that can take reading away — someone left a council or a seat, a council's
    /// settings changed — every watcher concerned is checked again, and stops watching what they
    /// may no longer read.
    /// </summary>
    private async Task CheckReadersAsync(IReadOnlyList<Told> entries)
    {
        var people = new HashSet<AccountId>();
        var councilsChanged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => Told.TakesReadingAway(e.Type)))
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
                if ((concerned || councilsChanged.Contains(council)) && !await MayReadAsync(watcher.Person, new CouncilId(Guid.Parse(council)), CancellationToken.None)
                    && watcher.Councils.TryRemove(council, out var groups))
                {
                    foreach (string group in groups)
                    {
                        await hub.Groups.RemoveFromGroupAsync(id, group);
                        Unwatched(group);
                    }
                }
            }
        }
    }

    /// <summary>Whether this person (or nobody) may read the council now: the one rule for starting to watch and for going on.</summary>
    public async Task<bool> MayReadAsync(AccountId? person, CouncilId council, CancellationToken ct) =>
        await councils.GetAsync(council, ct) is { } view && await councils.MayReadAsync(view, person, ct);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell live pages of a commit")]
    private partial void LogFailed(Exception error);
}
