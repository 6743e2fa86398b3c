using Dapper;
using Microsoft.Data.Sqlite;

namespace Shura.Storage;

/// <summary>What a backup holds: the schema version, and the log's entries (each chain's last is the mark to check it by).</summary>
public sealed record BackupReport(long SchemaVersion, long Entries, int Chains, DateTimeOffset? LastEntry);

/// <summary>
/// Backups of a SQLite store by SQLite's online backup, a consistent copy taken while the server
/// goes on writing: every commit before the copy began is in it, none half. A backup holds
/// everything the server holds — the log, the words kept beside it, accounts with their password
/// hashes and e-mail addresses, the key that makes secret ballots' pseudonyms, the councils'
/// fediverse keys, the data-protection keys of sign-in cookies — so it is kept as the server's disk
/// is (docs/deploy.md). PostgreSQL is backed up with its own pg_dump.
/// </summary>
public static class Backups
{
    public static BackupReport Take(Database source, string file)
    {
        if (source.Engine != Engine.Sqlite)
        {
            throw new InvalidOperationException("a PostgreSQL store is backed up with pg_dump (docs/deploy.md)");
        }
        using var from = (SqliteConnection)source.OpenConnection();
        using (var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(file), Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ConnectionString))
        {
            to.Open();
            // One step copies every page under one read transaction: a snapshot, while writers go on (WAL).
            from.BackupDatabase(to);
        }
        return Report(file);
    }

    /// <summary>Restores a backup to a path where no store is (a running server's store is never overwritten).</summary>
    public static BackupReport Restore(string file, string target)
    {
        using (var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(file), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString))
        using (var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(target), Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ConnectionString))
        {
            from.Open();
            to.Open();
            from.BackupDatabase(to);
        }
        return Report(target);
    }

    /// <summary>What a store file holds, or why it is not a Shura store.</summary>
    public static BackupReport Report(string file)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(file), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        c.Open();
        if (c.ExecuteScalar<string>("PRAGMA integrity_check") is not "ok")
        {
            throw new InvalidDataException($"{file} is damaged: SQLite's integrity check fails");
        }
        if (c.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'schema_migrations'") == 0)
        {
            throw new InvalidDataException($"{file} is not a Shura store");
        }
        return new BackupReport(
            c.ExecuteScalar<long>("SELECT MAX(version) FROM schema_migrations"),
            c.ExecuteScalar<long>("SELECT COUNT(*) FROM log"),
            (int)c.ExecuteScalar<long>("SELECT COUNT(*) FROM chain_heads"),
            c.ExecuteScalar<string?>("SELECT MAX(time) FROM log") is { } last ? Core.Log.LogEntry.ParseTime(last) : null);
    }
}
