using System.Diagnostics;
using System.Net;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Deploy;

/// <summary>
/// Under a load of ballots the store's disk fills up, or the database turns read-only: each change is
/// refused with 503 and a problem code (never 500), the server log says what happened and what to do,
/// no acknowledged ballot is lost, and when the fault goes the server writes again by itself, without
/// a restart; <c>shura verify</c> then finds the store intact. The full disk is a small tmpfs of the
/// test's own (mounting it needs root, as test.sh runs); the read-only database is a PostgreSQL of
/// the test's own switched to read-only transactions, as a standby or an operator makes it.
/// </summary>
public class DiskFaultsTests
{
    [Fact]
    public async Task A_full_disk_answers_503_loses_no_acknowledged_ballot_and_recovers_by_itself()
    {
        Assert.True(Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root",
            "this test mounts a tmpfs of its own, which needs root (test.sh runs as root, as in CI)");
        string mount = Directory.CreateTempSubdirectory("shura-tmpfs-").FullName;
        Run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount);
        ServeProcess? server = null;
        try
        {
            string db = Path.Combine(mount, "shura.db");
            var council = await Seed.CouncilAsync(db, members: 30, motionKind: null!);
            server = await ServeProcess.StartAsync(db, "--ballots-per-minute", "1000000");
            var voters = new Voters(council, _ => server.Api());
            await voters.AtLeastAsync(300, 300);

            // The disk fills up: a file takes every byte left.
            string filler = Path.Combine(mount, "filler");
            await FillAsync(filler);
            voters.NextRound();
            await Wait.UntilAsync(() => Task.FromResult(voters.Statuses.Contains(HttpStatusCode.ServiceUnavailable)), "a ballot refused with 503 while the disk is full");
            File.Delete(filler);
            voters.NextRound();
            await voters.EveryoneAcknowledgedAgainAsync();

            int before = voters.Acks;
            await voters.StopAsync();

            Assert.True(server.Running, "the server died with its disk");
            Assert.Contains(HttpStatusCode.ServiceUnavailable, voters.Statuses);
            Assert.Empty(voters.Statuses.Except([HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable]));
            Assert.True(voters.Acks > before);
            Assert.Contains(server.Output, line => line.Contains("The store could not take a change", StringComparison.Ordinal) && line.Contains("the disk holding the store is full", StringComparison.Ordinal));
            await voters.AllStoredAsync(db, server.Api());
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            Run("umount", "-l", mount);
        }
    }

    [Fact]
    public async Task A_read_only_database_answers_503_loses_no_acknowledged_ballot_and_recovers_by_itself()
    {
        if (!Support.Engines.PostgresHere)
        {
            return; // no PostgreSQL on this machine; test.sh provides one and requires it
        }
        await using var postgres = await OwnPostgres.StartAsync();
        string db = $"{postgres.Server};Database=shura_read_only";
        var council = await Seed.CouncilAsync(db, members: 30, motionKind: null!);
        await using var server = await ServeProcess.StartAsync(db, "--ballots-per-minute", "1000000");
        var voters = new Voters(council, _ => server.Api());
        await voters.AtLeastAsync(300, 300);

        await ReadOnlyAsync(db, true);
        int before = voters.Acks;
        voters.NextRound();
        await Wait.UntilAsync(() => Task.FromResult(voters.Statuses.Contains(HttpStatusCode.ServiceUnavailable)), "a ballot refused with 503 while the database is read-only");
        await ReadOnlyAsync(db, false);
        voters.NextRound();
        await voters.EveryoneAcknowledgedAgainAsync();
        await voters.StopAsync();

        Assert.True(server.Running);
        Assert.Empty(voters.Statuses.Except([HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable]));
        Assert.True(voters.Acks > before);
        Assert.Contains(server.Output, line => line.Contains("the database is read-only", StringComparison.Ordinal) && line.Contains("writes resume by themselves", StringComparison.Ordinal));
        await voters.AllStoredAsync(db, server.Api());
    }

    /// <summary>Every transaction read-only from now on (or not), in every session: the server's configuration, reloaded.</summary>
    private static async Task ReadOnlyAsync(string db, bool readOnly)
    {
        await using var c = new Npgsql.NpgsqlConnection(db);
        await c.OpenAsync();
        await using (var set = c.CreateCommand())
        {
            set.CommandText = readOnly ? "ALTER SYSTEM SET default_transaction_read_only = on" : "ALTER SYSTEM RESET default_transaction_read_only";
            await set.ExecuteNonQueryAsync();
        }
        await using var reload = c.CreateCommand();
        reload.CommandText = "SELECT pg_reload_conf()";
        await reload.ExecuteScalarAsync();
    }

    /// <summary>Writes until the file system says there is no space left.</summary>
    private static async Task FillAsync(string file)
    {
        var block = new byte[64 * 1024];
        try
        {
            await using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough);
            while (true)
            {
                await stream.WriteAsync(block);
                await stream.FlushAsync();
            }
        }
        catch (IOException)
        {
            // ENOSPC: full (the file keeps what it wrote).
        }
    }

    private static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)}: {process.StandardError.ReadToEnd()}");
    }
}
