using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Motions;

/// <summary>
/// Acknowledged means durable (DESIGN §8), whatever dies: the server killed in mid-vote, PostgreSQL killed under a ballot load
/// (the server answers 503 meanwhile, never 500, and carries on once it is back), and one of two
/// nodes killed while pages watch the vote on the other (which goes on telling them). After each,
/// every acknowledged ballot is in the store and `shura verify` finds it intact.
/// </summary>
public class CrashTests
{
    private const int Members = 40;

    public static TheoryData<string> Engines => Support.Engines.All;

    /// <summary>Acknowledged means durable: a server killed (SIGKILL) in mid-vote loses no ballot it had confirmed.</summary>
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Every_acknowledged_ballot_survives_a_SIGKILL_of_the_server(string engine)
    {
        string db = Support.Engines.FreshDb(engine);
        var council = await Seed.CouncilAsync(db, members: 50, motionKind: null!);
        var server = await ServeProcess.StartAsync(db);
        var voters = new Voters(council, _ => server.Api());
        await voters.AtLeastAsync(1500, 500, TimeSpan.FromSeconds(30));

        server.Kill();
        await voters.StopAsync();

        await using var restarted = await ServeProcess.StartAsync(db);
        await voters.AllStoredAsync(db, restarted.Api());
    }

    [Fact]
    public async Task Every_acknowledged_ballot_survives_a_SIGKILL_of_PostgreSQL_under_load()
    {
        if (!Support.Engines.PostgresHere)
        {
            return; // no PostgreSQL on this machine; test.sh provides one and requires it
        }
        await using var postgres = await OwnPostgres.StartAsync();
        string db = $"{postgres.Server};Database=shura_crash";
        var council = await Seed.CouncilAsync(db, Members, motionKind: null!);
        await using var server = await ServeProcess.StartAsync(db, "--ballots-per-minute", "1000000");
        var voters = new Voters(council, _ => server.Api());
        await voters.AtLeastAsync(300, 300);

        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/readyz")).StatusCode);
        postgres.Kill();
        int acksWhileDown = voters.Acks;
        await Task.Delay(1000); // ballots keep coming while it is down: each is refused, none acknowledged
        // Not ready while its database is gone (alive all the same), and it says why.
        using (var ready = await server.Client.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("The store does not answer", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/healthz")).StatusCode);
        await postgres.RestartAsync();
        voters.NextRound();
        await voters.EveryoneAcknowledgedAgainAsync();
        await voters.StopAsync();
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/readyz")).StatusCode);
        Assert.Contains(server.Output, line => line.Contains("the database cannot be reached", StringComparison.Ordinal) && line.Contains("reconnects by itself", StringComparison.Ordinal));

        Assert.True(server.Running, "the server died with its database");
        Assert.Contains(HttpStatusCode.ServiceUnavailable, voters.Statuses);
        Assert.Empty(voters.Statuses.Except([HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable]));
        Assert.True(voters.Acks > acksWhileDown);
        await voters.AllStoredAsync(db, server.Api());
    }

    [Fact]
    public async Task Every_acknowledged_ballot_survives_a_SIGKILL_of_one_node_while_pages_watch_on_the_other()
    {
        if (!Support.Engines.SeveralNodes)
        {
            return; // no Redis or PostgreSQL here; test.sh provides both and requires them
        }
        string db = Support.Engines.FreshDb(Support.Engines.Postgres);
        var council = await Seed.CouncilAsync(db, Members, motionKind: null!);
        var a = await ServeProcess.StartAsync(db, "--ballots-per-minute", "1000000", "--redis", Support.Engines.RedisServer!);
        await using var b = await ServeProcess.StartAsync(db, "--ballots-per-minute", "1000000", "--redis", Support.Engines.RedisServer!);
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
        await voters.AtLeastAsync(300, 300);

        a.Kill();
        Volatile.Write(ref aAlive, false);
        long seenAtKill = Interlocked.Read(ref lastSeen);
        voters.NextRound();
        await voters.EveryoneAcknowledgedAgainAsync(); // through node B alone
        await Wait.UntilAsync(() => Task.FromResult(Interlocked.Read(ref lastSeen) > seenAtKill), "the pages on node B to go on being told");
        await using var restarted = await ServeProcess.StartAsync(db, "--redis", Support.Engines.RedisServer!);
        await voters.StopAsync();
        foreach (var connection in watchers)
        {
            await connection.DisposeAsync();
        }

        Assert.Empty(voters.Statuses.Except([HttpStatusCode.OK]));
        await voters.AllStoredAsync(db, restarted.Api());
        await a.DisposeAsync();
    }
}
