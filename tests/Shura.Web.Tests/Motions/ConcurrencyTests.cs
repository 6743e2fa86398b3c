using System.Collections.Concurrent;
using System.Text.Json;
using Shura.Storage;
using Shura.Storage.Log;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Motions;

/// <summary>Many members voting at once: every acknowledged ballot is recorded in order, and the latest counts.</summary>
public class ConcurrencyTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_thousand_parallel_ballots_leave_each_member_exactly_their_last_acknowledged_one(string engine)
    {
        string db = Support.Engines.FreshDb(engine);
        var council = await Seed.CouncilAsync(db, members: 100, new Core.Motions.MotionRequest("choice", "Logo colour", "",
            ["Red", "Green", "Blue"], "schulze"));
        await using var server = await TestServer.StartAsync(db: db);
        var api = server.Api();
        string[][] rankings = [["Red", "Green"], ["Green", "Blue", "Red"], ["Blue"], ["Green"], ["Red", "Blue", "Green"]];
        var acknowledged = new ConcurrentBag<(string Member, string Receipt, string Ranking)>();

        var requests = Enumerable.Range(0, 1000).Select(async i =>
        {
            var member = council.Members[i % 100];
            var ranking = rankings[(i / 100 + i) % rankings.Length];
            var reply = await api.CastAsync(council.Motion, member, new { ranking });
            reply.Ok();
            acknowledged.Add((member.Id, reply.Body.GetProperty("receipt").GetString()!, string.Join(">", ranking)));
        });
        await Task.WhenAll(requests);

        Assert.Equal(1000, acknowledged.Count);
        var sequence = (await api.LogAsync(council.Id)).ToDictionary(e => e.GetProperty("hash").GetString()!, e => e.GetProperty("seq").GetInt64());
        var motion = await api.MotionAsync(council.Motion);
        Assert.Equal(100, motion.GetProperty("ballots").GetInt64());
        foreach (var member in council.Members)
        {
            var last = acknowledged.Where(a => a.Member == member.Id).MaxBy(a => sequence[a.Receipt]);
            var mine = (await api.MotionAsync(council.Motion, member)).GetProperty("myBallot");
            Assert.Equal(last.Receipt, mine.GetProperty("receipt").GetString());
            Assert.Equal(last.Ranking, string.Join(">", mine.GetProperty("ballot").GetProperty("ranking").EnumerateArray().Select(r => r.GetString())));
        }
        var verification = Verifier.Run(server.Database, TimeProvider.System.GetUtcNow());
        Assert.True(verification.IsIntact, string.Join("; ", verification.Problems));
        Assert.True(verification.Entries > 1000);
    }
}
