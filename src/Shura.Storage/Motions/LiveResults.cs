using System.Collections.Concurrent;
using System.Diagnostics;
using Shura.Core.Motions;

namespace Shura.Storage.Motions;

/// <summary>What one shared count found: the live result, and the ballots behind it (counting those is itself a scan in a large council).</summary>
internal sealed record LiveCount(MotionResult Result, long Ballots);

/// <summary>A count as made: the head it counted from, what it found, and what it keeps for the next count of the motion (or null).</summary>
internal sealed record Counted(long Head, LiveCount Count, object? Kept);

/// <summary>
/// The live result of each motion in voting, counted once and shared by every reader (DESIGN §8:
/// ten thousand people watching a vote cost the server about what one does). A result is known
/// by the head of its council's chain when its count began (for a federation, the heads of all its
/// councils): any entry there (a ballot, a delegation, a member joining or leaving) moves the head,
/// whichever server wrote it, so a reader after a change never gets a count from before it.
/// Readers that arrive while a count runs wait for it; one count runs at a time per motion, and a
/// new one starts no sooner than the spacing (<see cref="Spacing"/> by default), or twice what the
/// last count took, after the last began — so a motion whose ballots change a thousand times a
/// second is counted at most ten times a second however many read it, and a long count (STV, Meek
/// on a big election) never holds more than a third of a core.
/// </summary>
internal sealed class LiveResults(TimeSpan spacing)
{
    /// <summary>The least time between the starts of two counts of one motion (real time: it paces work, it is no deadline).</summary>
    public static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);

    private sealed class Entry
    {
        public (long Head, LiveCount Count)? Last;
        public Task? Running;
        public object? Kept;
        public long LastStart = long.MinValue / 2;
        public TimeSpan LastTook;
        public long LastRead;
    }

    private readonly ConcurrentDictionary<MotionId, Entry> _entries = new();
    private long _reads;
    private long _counts;

    /// <summary>How many counts have begun, for tests and measurements.</summary>
    public long Counts => Interlocked.Read(ref _counts);

    /// <summary>
    /// The motion's live result as of chain head <paramref name="head"/> or later, with the head it was
    /// counted from. <paramref name="count"/> reads the head it counts from, then counts; it runs on
    /// its own, unbound to any one reader, and is given what the last count of the motion kept.
    /// </summary>
    public async Task<(long Head, LiveCount Count)> GetAsync(MotionId motion, long head, Func<object?, Task<Counted>> count)
    {
        var entry = _entries.GetOrAdd(motion, _ => new Entry());
        Volatile.Write(ref entry.LastRead, Stopwatch.GetTimestamp());
        if (Interlocked.Increment(ref _reads) % 1024 == 0)
        {
            ForgetIdle();
        }
        while (true)
        {
            Task running;
            lock (entry)
            {
                if (entry.Last is { } last && last.Head >= head)
                {
                    return last;
                }
                entry.Running ??= CountAsync(entry, count);
                running = entry.Running;
            }
            await running;
        }
    }

    private async Task CountAsync(Entry entry, Func<object?, Task<Counted>> count)
    {
        await Task.Yield(); // never inside the caller's lock
        try
        {
            // A count that takes long (Meek on a hundred thousand ballots takes about half a second) is
            // spaced by twice what it took, so one motion's counting never takes more than a third of a core.
            var apart = spacing > 2 * entry.LastTook ? spacing : 2 * entry.LastTook;
            var since = Stopwatch.GetElapsedTime(Volatile.Read(ref entry.LastStart));
            if (since < apart)
            {
                await Task.Delay(apart - since);
            }
            long started = Stopwatch.GetTimestamp();
            Volatile.Write(ref entry.LastStart, started);
            Interlocked.Increment(ref _counts);
            var counted = await count(entry.Kept);
            entry.LastTook = Stopwatch.GetElapsedTime(started);
            entry.Kept = counted.Kept;
            lock (entry)
            {
                if (entry.Last is not { } last || counted.Head >= last.Head)
                {
                    entry.Last = (counted.Head, counted.Count);
                }
            }
        }
        finally
        {
            lock (entry)
            {
                entry.Running = null;
            }
        }
    }

    /// <summary>Motions nobody has read for a while (voting ended, or nobody watches) are forgotten.</summary>
    private void ForgetIdle()
    {
        foreach (var (motion, entry) in _entries)
        {
            if (Stopwatch.GetElapsedTime(Volatile.Read(ref entry.LastRead)) > Idle)
            {
                _entries.TryRemove(motion, out _);
            }
        }
    }
}
