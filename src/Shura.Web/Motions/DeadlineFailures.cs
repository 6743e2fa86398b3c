using System.Collections.Concurrent;

namespace Shura.Web.Motions;

/// <summary>
/// Deadline work that failed, one entry per motion or mandate (DESIGN §8): each is retried after a
/// pause that doubles with every failure (up to five minutes) and is left out of the deadline
/// service's rounds meanwhile, so it never holds up another council's work. Health reports how many
/// are failing and since when; the server log names them.
/// </summary>
public sealed class DeadlineFailures(TimeProvider clock)
{
    public static readonly TimeSpan LongestPause = TimeSpan.FromMinutes(5);

    private sealed record Failure(int Attempts, DateTimeOffset Since, DateTimeOffset RetryAt);

    private readonly ConcurrentDictionary<string, Failure> _failing = new(StringComparer.Ordinal);

    /// <summary>Records a failure of <paramref name="key"/>'s work; returns how many times in a row it has failed.</summary>
    public int Failed(string key)
    {
        var now = clock.GetUtcNow();
        var failure = _failing.AddOrUpdate(key,
            _ => new Failure(1, now, now + Pause(1)),
            (_, before) => new Failure(before.Attempts + 1, before.Since, now + Pause(before.Attempts + 1)));
        return failure.Attempts;
    }

    public void Succeeded(string key) => _failing.TryRemove(key, out _);

    /// <summary>The keys whose next attempt is not due yet.</summary>
    public IReadOnlyList<string> Waiting()
    {
        var now = clock.GetUtcNow();
        return [.. _failing.Where(f => f.Value.RetryAt > now).Select(f => f.Key)];
    }

    /// <summary>When the next failed piece of work is due to be tried again, if any is waiting.</summary>
    public DateTimeOffset? NextRetry => _failing.IsEmpty ? null : _failing.Values.Min(f => f.RetryAt);

    /// <summary>How many pieces of deadline work are failing now, and since when the oldest has.</summary>
    public (int Count, DateTimeOffset? Since) Now()
    {
        var failing = _failing.Values.ToList();
        return (failing.Count, failing.Count == 0 ? null : failing.Min(f => f.Since));
    }

    private static TimeSpan Pause(int attempts) =>
        attempts >= 9 ? LongestPause : TimeSpan.FromSeconds(Math.Min(LongestPause.TotalSeconds, Math.Pow(2, attempts - 1)));
}
