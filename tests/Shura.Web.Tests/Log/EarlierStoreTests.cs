using System.Globalization;
using Dapper;
using Shura.Storage;
using Shura.Storage.Log;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Log;

/// <summary>
/// Stores written by earlier releases — the demo city of `shura demo --seed-only` at commit 81c1c64,
/// and at 654b1fd (schema version 24, before the upgrades of issue 16), kept in Fixtures/ and never
/// regenerated — migrate forward, serve and verify with this one, and not one hash of their log
/// changes: reading the log into typed results and writing new entries leave what was written as
/// it was. A store of a newer release than this one is refused.
/// </summary>
public class EarlierStoreTests
{
    public static TheoryData<string, int> Fixtures => new() { { "demo-81c1c64.db", 235 }, { "demo-654b1fd.db", 257 } };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task A_demo_store_of_an_earlier_commit_migrates_serves_and_verifies_with_every_hash_unchanged(string fixture, int entries)
    {
        string db = Path.Combine(Directory.CreateTempSubdirectory("shura-test-").FullName, "demo.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture), db);
        var (before, last) = Hashes(db);
        Assert.Equal(entries, before.Count);

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

            Assert.Equal(Shura.Storage.Schema.Migrations.Latest, c.ExecuteScalar<long>("SELECT MAX(version) FROM schema_migrations"));
            // Time runs on past every deadline the fixture holds, so that what was open closes — its
            // federation votes among them, where a person holds seats for two member councils — and the
            // recount of each from the log must equal what the server recorded.
            await server.AdvanceAsync(TimeSpan.FromDays(30));
            await server.AdvanceAsync(TimeSpan.FromDays(30));
            Assert.Equal(0, c.ExecuteScalar<long>("SELECT COUNT(*) FROM motions WHERE state IN ('voting', 'deliberation')"));
            var verification = Verifier.Run(server.Database, server.Clock!.GetUtcNow());
            Assert.True(verification.IsIntact, string.Join("\n", verification.Problems));
        }

        var (after, _) = Hashes(db);
        Assert.All(before, entry => Assert.Equal(entry.Value, after.GetValueOrDefault(entry.Key)));
        Assert.True(after.Count > before.Count);
    }

    [Fact]
    public void A_store_of_a_newer_release_is_refused_with_a_clear_message_and_left_as_it_was()
    {
        string db = Path.Combine(Directory.CreateTempSubdirectory("shura-test-").FullName, "newer.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "demo-654b1fd.db"), db);
        using (var database = Database.Open(db))
        {
            Shura.Storage.Schema.Migrations.Apply(database, TimeProvider.System.GetUtcNow());
            using var c = database.OpenConnection();
            c.Execute("INSERT INTO schema_migrations (version, applied_at) VALUES (@v, '2031-01-01T00:00:00.0000000Z')", new { v = Shura.Storage.Schema.Migrations.Latest + 1 });
        }
        string before = Fingerprint(db);

        var (code, _, errors) = ShuraCli.Run("serve", "--db", db, "--urls", "http://127.0.0.1:0");

        Assert.Equal(2, code);
        Assert.Contains($"has schema version {Shura.Storage.Schema.Migrations.Latest + 1}, written by a newer release of Shura; this one reads up to version {Shura.Storage.Schema.Migrations.Latest}", errors, StringComparison.Ordinal);
        Assert.Equal(before, Fingerprint(db));
    }

    /// <summary>The store's files, byte for byte.</summary>
    private static string Fingerprint(string db) => string.Join(",", new[] { db, db + "-wal" }.Where(File.Exists)
        .Select(f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))));

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
