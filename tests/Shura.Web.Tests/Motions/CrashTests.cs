using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Shura.Storage;
using Shura.Storage.Log;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Motions;

/// <summary>
/// Acknowledged means durable (DESIGN §8), whatever dies: PostgreSQL killed under a ballot load
/// (the server answers 503 meanwhile, never 500, and carries on once it is back), and one of two
/// nodes killed while pages watch the vote on the other (which goes on telling them). After each,
/// every acknowledged ballot is in the store and `shura verify` finds it intact.
/// </summary>
public class CrashTests
{
    private const int Members = 40;

    /// <summary>Members changing their ballots as fast as they are answered, through the given nodes in turn.</summary>
    private sealed class Voters
    {
        private static readonly string[] Choices = ["yes", "no", "abstain"];
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _clients;
        private int _acks;
        private long _round;

        public Voters(Seed.Council council, Func<int, Api?> through)
        {
            _clients = [.. Enumerable.Range(0, Members).Select(i => Task.Run(async () =>
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
                        await Task.Delay(50); // that node is gone: this ballot was never acknowledged
                    }
                }
            }))];
        }

        public string?[] Acknowledged { get; } = new string?[Members];

        public string?[] InFlight { get; } = new string?[Members];

        public long[] AckedInRound { get; } = new long[Members];

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

        public async Task AtLeastAsync(int acks)
        {
            var waited = Stopwatch.StartNew();
            while (Acks < acks && waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(20);
            }
            Assert.True(Acks >= acks, $"only {Acks} ballots were acknowledged");
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_clients);
        }
    }

    /// <summary>Each member's stored ballot is their last acknowledged one, or the one in flight when the voting stopped (committed, answer not read).</summary>
    private static async Task AssertEveryAcknowledgedBallotIsStoredAsync(string db, Seed.Council council, Voters voters, Api api)
    {
        for (int i = 0; i < Members; i++)
        {
            var mine = (await api.MotionAsync(council.Motion, council.Members[i])).GetProperty("myBallot");
            string? stored = mine.ValueKind == System.Text.Json.JsonValueKind.Null ? null : mine.GetProperty("ballot").GetProperty("choice").GetString();
            Assert.NotNull(stored);
            Assert.True(stored == voters.Acknowledged[i] || stored == voters.InFlight[i],
                $"member {i}: stored {stored}, last acknowledged {voters.Acknowledged[i]}, in flight {voters.InFlight[i]}");
        }
        using var database = Database.Open(db);
        Assert.True(Verifier.Run(database, TimeProvider.System.GetUtcNow()).IsIntact);
    }

    [Fact]
    public async Task Every_acknowledged_ballot_survives_a_SIGKILL_of_PostgreSQL_under_load()
    {
        if (Engines.PostgresServer is null)
        {
            Assert.Null(Environment.GetEnvironmentVariable("SHURA_REQUIRE_POSTGRES"));
            return; // no PostgreSQL on this machine; test.sh provides one and requires it
        }
        await using var postgres = await OwnPostgres.StartAsync();
        string db = $"{postgres.Server};Database=shura_crash";
        var council = await Seed.CouncilAsync(db, Members, motionKind: null!);
        await using var server = await ServeProcess.StartAsync(db, "--ballots-per-minute", "1000000");
        var voters = new Voters(council, _ => server.Api());
        await voters.AtLeastAsync(300);

        postgres.Kill();
        int acksWhileDown = voters.Acks;
        await Task.Delay(1000); // ballots keep coming while it is down: each is refused, none acknowledged
        await postgres.RestartAsync();
        voters.NextRound();
        await voters.EveryoneAcknowledgedAgainAsync();
        await voters.StopAsync();

        Assert.True(server.Running, "the server died with its database");
        Assert.Contains(HttpStatusCode.ServiceUnavailable, voters.Statuses);
        Assert.Empty(voters.Statuses.Except([HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable]));
        Assert.True(voters.Acks > acksWhileDown);
        await AssertEveryAcknowledgedBallotIsStoredAsync(db, council, voters, server.Api());
    }

    [Fact]
    public async Task Every_acknowledged_ballot_survives_a_SIGKILL_of_one_node_while_pages_watch_on_the_other()
    {
        if (!Engines.SeveralNodes)
        {
            return; // no Redis or PostgreSQL here; test.sh provides both and requires them
        }
        string db = Engines.FreshDb(Engines.Postgres);
        var council = await Seed.CouncilAsync(db, Members, motionKind: null!);
        var a = await ServeProcess.StartAsync(db, "--ballots-per-minute", "1000000", "--redis", Engines.RedisServer!);
        await using var b = await ServeProcess.StartAsync(db, "--ballots-per-minute", "1000000", "--redis", Engines.RedisServer!);
        var watchers = new List<HubConnection>();
        long lastSeen = 0;
        for (int w = 0; w < 50; w++)
        {
            var connection = new HubConnectionBuilder().WithUrl(new Uri(b.Address, "/live"), o => o.Headers["Authorization"] = "Bearer " + council.Members[w % Members].Token).Build();
            connection.On<Shura.Web.Site.LiveParts>("parts", parts => Interlocked.Exchange(ref lastSeen, Math.Max(Interlocked.Read(ref lastSeen), parts.CountedAt)));
            await connection.StartAsync();
            Assert.NotNull(await connection.InvokeAsync<Shura.Web.Site.LiveParts?>("WatchMotion", council.Motion, "en"));
            watchers.Add(connection);
        }
        bool aAlive = true;
        var voters = new Voters(council, n => n % 2 == 0 && Volatile.Read(ref aAlive) ? a.Api() : b.Api());
        await voters.AtLeastAsync(300);

        a.Kill();
        Volatile.Write(ref aAlive, false);
        long seenAtKill = Interlocked.Read(ref lastSeen);
        voters.NextRound();
        await voters.EveryoneAcknowledgedAgainAsync(); // through node B alone
        await Wait.UntilAsync(() => Task.FromResult(Interlocked.Read(ref lastSeen) > seenAtKill), "the pages on node B to go on being told");
        await using var restarted = await ServeProcess.StartAsync(db, "--redis", Engines.RedisServer!);
        await voters.StopAsync();
        foreach (var connection in watchers)
        {
            await connection.DisposeAsync();
        }

        Assert.Empty(voters.Statuses.Except([HttpStatusCode.OK]));
        await AssertEveryAcknowledgedBallotIsStoredAsync(db, council, voters, restarted.Api());
        await a.DisposeAsync();
    }
}
