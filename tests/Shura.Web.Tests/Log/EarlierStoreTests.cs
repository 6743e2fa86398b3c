using System.Globalization;
using Dapper;
using Shura.Storage;
using Shura.Storage.Log;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Log;

/// <summary>
/// A store written by an earlier Shura — the demo city of `shura demo --seed-only` at commit
/// 81c1c64, kept in Fixtures/ — opens, serves and verifies with this one, and not one hash of its
/// log changes: reading the log into typed results and writing new entries leave what was
/// written as it was.
/// </summary>
public class EarlierStoreTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "demo-81c1c64.db");

    [Fact]
    public async Task The_demo_store_of_commit_81c1c64_opens_serves_and_verifies_with_every_hash_unchanged()
    {
        string db = Path.Combine(Directory.CreateTempSubdirectory("shura-test-").FullName, "demo.db");
        File.Copy(Fixture, db);
        var (before, last) = Hashes(db);
        Assert.Equal(235, before.Count);

        // The server's clock stands where the fixture's history ends, so that what is open stays open.
        await using (var server = await TestServer.StartAsync(db: db, fakeClock: true, at: last))
        {
            var api = server.Api();
            using var c = server.Database.OpenConnection();
            string open = c.ExecuteScalar<string>("SELECT m.id FROM motions m JOIN councils o ON o.id = m.council_id WHERE m.state = 'voting' AND m.kind = 'choice' AND o.federation = 0 AND o.settings LIKE '%\"joinPolicy\":\"open\"%' ORDER BY m.id LIMIT 1")!;
            string council = c.ExecuteScalar<string>("SELECT council_id FROM motions WHERE id = @open", new { open })!;
            foreach (string page in new[] { "/", $"/councils/{council}", $"/motions/{open}", $"/councils/{council}/log" })
            {
                using var response = await server.Client.GetAsync(page);
                Assert.True(response.IsSuccessStatusCode, page);
            }
            (await api.GetAsync($"/motions/{open}")).Ok();
            var newcomer = await api.RegisterAsync("Newcomer");
            (await api.PostAsync($"/councils/{council}/members", null, newcomer)).Ok();
            string first = (await api.MotionAsync(open)).GetProperty("options")[0].GetString()!;
            (await api.CastAsync(open, newcomer, new { ranking = new[] { first } })).Ok();

            var verification = Verifier.Run(server.Database, server.Clock!.GetUtcNow());
            Assert.True(verification.IsIntact, string.Join("\n", verification.Problems));
        }

        var (after, _) = Hashes(db);
        Assert.All(before, entry => Assert.Equal(entry.Value, after.GetValueOrDefault(entry.Key)));
        Assert.True(after.Count > before.Count);
    }

    private static (Dictionary<string, string> Hashes, DateTimeOffset Last) Hashes(string db)
    {
        using var database = Database.Open(db);
        using var c = database.OpenConnection();
        var rows = c.Query<(string Chain, long Seq, string Time, string Hash)>("SELECT chain, seq, time, hash FROM log").ToList();
        var last = rows.Max(r => DateTimeOffset.Parse(r.Time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
        return (rows.ToDictionary(r => $"{r.Chain}/{r.Seq}", r => r.Hash), last);
    }
}

/// <summary>Every result the earlier store holds reads into the typed record and writes back to the same bytes.</summary>
public class EarlierResultsTests
{
    [Fact]
    public void Every_result_of_the_earlier_store_reads_back_to_the_same_bytes()
    {
        using var database = Database.OpenExisting(Path.Combine(AppContext.BaseDirectory, "Fixtures", "demo-81c1c64.db"));
        using var c = database.OpenConnection();
        var results = c.Query<string>("SELECT payload FROM log WHERE type = 'motion-closed'")
            .Select(p => System.Text.Json.Nodes.JsonNode.Parse(p)!["result"]!.GetValue<string>()).ToList();

        Assert.True(results.Count >= 10);
        Assert.All(results, r => Assert.Equal(r, Core.Motions.MotionResult.Read(r).Write()));
    }
}
