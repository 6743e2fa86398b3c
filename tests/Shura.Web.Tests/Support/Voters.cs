using System.Diagnostics;
using System.Net;
using Shura.Storage;
using Shura.Storage.Log;

namespace Shura.Web.Tests.Support;

/// <summary>
/// A council's members changing their ballots on its motion as fast as they are answered, through
/// whichever server <c>through</c> names for each attempt, for the tests that kill something in
/// mid-vote: it keeps each member's last acknowledged ballot and the one in flight, and checks
/// afterwards that the store holds one of the two for everyone.
/// </summary>
public sealed class Voters
{
    private static readonly string[] Choices = ["yes", "no", "abstain"];
    private readonly Seed.Council _council;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _clients;
    private int _acks;
    private long _round;

    public Voters(Seed.Council council, Func<int, Api?> through)
    {
        _council = council;
        int members = council.Members.Length;
        Acknowledged = new string?[members];
        InFlight = new string?[members];
        AckedInRound = new long[members];
        _clients = [.. Enumerable.Range(0, members).Select(i => Task.Run(async () =>
        {
            for (int n = 0; !_stop.IsCancellationRequested; n++)
            {
                if (through(n + i) is not { } api)
                {
                    continue;
                }
                string choice = Choices[(i + n) % 3];
                InFlight[i] = choice;
                long round = Interlocked.Read(ref _round);
                try
                {
                    var status = (await api.CastAsync(council.Motion, council.Members[i], new { choice })).Status;
                    lock (Statuses)
                    {
                        Statuses.Add(status);
                    }
                    if (status == HttpStatusCode.OK)
                    {
                        Acknowledged[i] = choice;
                        AckedInRound[i] = round;
                        Interlocked.Increment(ref _acks);
                    }
                    else
                    {
                        await Task.Delay(50);
                    }
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(50); // that server is gone: this ballot was never acknowledged
                }
            }
        }))];
    }

    public string?[] Acknowledged { get; }

    public string?[] InFlight { get; }

    public long[] AckedInRound { get; }

    /// <summary>Every status the servers answered with.</summary>
    public HashSet<HttpStatusCode> Statuses { get; } = [];

    public int Acks => Volatile.Read(ref _acks);

    /// <summary>Marks what follows as a new round (after a restart, say).</summary>
    public void NextRound() => Interlocked.Increment(ref _round);

    /// <summary>Waits (real time, generously) until every member has been acknowledged in this round.</summary>
    public async Task EveryoneAcknowledgedAgainAsync()
    {
        long round = Interlocked.Read(ref _round);
        var waited = Stopwatch.StartNew();
        while (AckedInRound.Any(r => Volatile.Read(ref r) < round) && waited.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(50);
        }
        Assert.True(AckedInRound.All(r => r >= round), "some members were never acknowledged after the restart");
    }

    /// <summary>Waits (real time, up to <paramref name="longest"/>) for <paramref name="wanted"/> acknowledgements; at least <paramref name="required"/> must have come.</summary>
    public async Task AtLeastAsync(int wanted, int required, TimeSpan? longest = null)
    {
        var waited = Stopwatch.StartNew();
        while (Acks < wanted && waited.Elapsed < (longest ?? TimeSpan.FromSeconds(60)))
        {
            await Task.Delay(20);
        }
        Assert.True(Acks >= required, $"only {Acks} ballots were acknowledged");
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
    }

    /// <summary>
    /// Each member's stored ballot, read through <paramref name="api"/>, is their last acknowledged
    /// one, or the one in flight when the voting stopped (committed, its answer never read); and
    /// `shura verify` finds the store intact.
    /// </summary>
    public async Task AllStoredAsync(string db, Api api)
    {
        for (int i = 0; i < _council.Members.Length; i++)
        {
            var mine = (await api.MotionAsync(_council.Motion, _council.Members[i])).GetProperty("myBallot");
            string? stored = mine.ValueKind == System.Text.Json.JsonValueKind.Null ? null : mine.GetProperty("ballot").GetProperty("choice").GetString();
            Assert.True(stored == Acknowledged[i] || stored == InFlight[i],
                $"member {i}: stored {stored}, last acknowledged {Acknowledged[i]}, in flight {InFlight[i]}");
            Assert.NotNull(stored);
        }
        using var database = Database.Open(db);
        Assert.True(Verifier.Run(database, TimeProvider.System.GetUtcNow()).IsIntact);
    }
}
