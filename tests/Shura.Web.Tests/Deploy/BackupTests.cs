using System.Collections.Concurrent;
using System.Diagnostics;
using Dapper;
using Shura.Storage;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Deploy;

/// <summary>
/// <c>shura backup</c> while ballots pour in, and <c>shura restore</c>: the restored store verifies and
/// holds every ballot acknowledged before the backup began; neither command overwrites a file.
/// </summary>
public class BackupTests
{
    [Fact]
    public async Task A_backup_taken_under_load_restores_to_a_store_that_verifies_and_holds_every_ballot_acknowledged_before_it()
    {
        string dir = Directory.CreateTempSubdirectory("shura-backup-").FullName;
        string db = Path.Combine(dir, "shura.db"), backup = Path.Combine(dir, "backup.db"), restored = Path.Combine(dir, "restored", "shura.db");
        await using var server = await ServeProcess.StartAsync(db, "--ballots-per-minute", "100000");
        var api = server.Api();
        var people = new List<Person>();
        for (int i = 0; i < 12; i++)
        {
            people.Add(await api.RegisterAsync($"Voter {i}"));
        }
        string council = await api.CreateCouncilAsync(people[0], Api.QuickSettings(voting: "PT1H"));
        await api.JoinAsync(council, [.. people.Skip(1)]);
        string motion = await api.PutMotionAsync(council, people[0], new { kind = "decision", title = "Strike on Monday", text = "" });

        // Ballots cast and changed without pause, each acknowledgement noted with its moment.
        var clock = Stopwatch.StartNew();
        var acknowledged = new ConcurrentBag<(TimeSpan At, string Receipt)>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (int i = worker; !stop.IsCancellationRequested; i += 4)
            {
                var reply = await api.CastAsync(motion, people[i % people.Count], new { choice = i % 3 == 0 ? "no" : "yes" });
                acknowledged.Add((clock.Elapsed, reply.Ok().Body.GetProperty("receipt").GetString()!));
            }
        })).ToArray();
        await Task.Delay(1500);
        var began = clock.Elapsed;
        var (code, output, errors) = ShuraCli.Run("backup", "--db", db, backup);
        await Task.Delay(500);
        await stop.CancelAsync();
        await Task.WhenAll(load);
        Assert.Equal((0, ""), (code, errors));
        Assert.Contains("It holds every secret of the server", output, StringComparison.Ordinal);

        var before = acknowledged.Where(a => a.At < began).Select(a => a.Receipt).ToList();
        Assert.True(before.Count >= 20, $"the load ran: {before.Count} ballots before the backup");
        Assert.Contains(acknowledged, a => a.At > began); // and went on during it

        (code, output, errors) = ShuraCli.Run("restore", backup, "--db", restored);
        Assert.Equal((0, ""), (code, errors));
        Assert.Contains("verified: all intact", output, StringComparison.Ordinal);
        using (var database = Database.OpenExisting(restored))
        using (var c = database.OpenConnection())
        {
            var hashes = c.Query<string>("SELECT hash FROM log WHERE type = 'ballot-cast'").ToHashSet();
            Assert.All(before, receipt => Assert.Contains(receipt, hashes));
        }

        // Neither overwrites: a backup onto a file, a restore onto a store.
        var sizes = (new FileInfo(backup).Length, new FileInfo(restored).Length);
        (code, _, errors) = ShuraCli.Run("backup", "--db", db, backup);
        Assert.Equal(2, code);
        Assert.Contains("never overwrites", errors, StringComparison.Ordinal);
        (code, _, errors) = ShuraCli.Run("restore", backup, "--db", restored);
        Assert.Equal(2, code);
        Assert.Contains("never overwrites", errors, StringComparison.Ordinal);
        Assert.Equal(sizes, (new FileInfo(backup).Length, new FileInfo(restored).Length));
        // Not a store: refused, nothing restored.
        string junk = Path.Combine(dir, "junk.db");
        await File.WriteAllTextAsync(junk, "not a database");
        (code, _, _) = ShuraCli.Run("restore", junk, "--db", Path.Combine(dir, "other.db"));
        Assert.Equal(2, code);
        Assert.False(File.Exists(Path.Combine(dir, "other.db")));
    }
}
