using System.Diagnostics;
using Shura.Storage;
using Shura.Storage.Log;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Motions;

/// <summary>Acknowledged means durable (DESIGN §8): a killed server loses no ballot it had confirmed.</summary>
public class DurabilityTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Every_acknowledged_ballot_survives_a_SIGKILL_of_the_server(string engine)
    {
        string db = Support.Engines.FreshDb(engine);
        var council = await Seed.CouncilAsync(db, members: 50, motionKind: null!);
        string[] choices = ["yes", "no", "abstain"];
        var acknowledged = new string?[50];
        var inFlight = new string?[50];
        int acks = 0;
        var server = await ServeProcess.StartAsync(db);
        var api = server.Api();
        using var stop = new CancellationTokenSource();

        var clients = Enumerable.Range(0, 50).Select(async i =>
        {
            for (int n = 0; !stop.IsCancellationRequested; n++)
            {
                string choice = choices[(i + n) % 3];
                inFlight[i] = choice;
                try
                {
                    var reply = await api.CastAsync(council.Motion, council.Members[i], new { choice });
                    if ((int)reply.Status == 200)
                    {
                        acknowledged[i] = choice;
                        Interlocked.Increment(ref acks);
                    }
                }
                catch (HttpRequestException)
                {
                    return; // the server is gone: this ballot was never acknowledged
                }
            }
        }).ToList();
        var voting = Stopwatch.StartNew();
        while (Volatile.Read(ref acks) < 1500 && voting.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }
        server.Kill();
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        Assert.True(acks >= 500, $"only {acks} ballots were acknowledged before the kill");

        await using var restarted = await ServeProcess.StartAsync(db);
        for (int i = 0; i < 50; i++)
        {
            var mine = (await restarted.Api().MotionAsync(council.Motion, council.Members[i])).GetProperty("myBallot");
            string? stored = mine.ValueKind == System.Text.Json.JsonValueKind.Null ? null : mine.GetProperty("ballot").GetProperty("choice").GetString();
            // The ballot stored is the last one acknowledged, or the one in flight when the server died
            // (committed, but killed before it could answer).
            Assert.True(stored == acknowledged[i] || stored == inFlight[i],
                $"member {i}: stored {stored}, last acknowledged {acknowledged[i]}, in flight {inFlight[i]}");
            Assert.NotNull(stored);
        }
        using var database = Database.Open(db);
        Assert.True(Verifier.Run(database, TimeProvider.System.GetUtcNow()).IsIntact);
    }
}
