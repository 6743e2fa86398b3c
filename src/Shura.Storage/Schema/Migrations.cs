using Dapper;

namespace Shura.Storage.Schema;

/// <summary>
/// The schema, as numbered steps applied in order at start-up, each in its own transaction; the
/// table schema_migrations records which have run. The SQL is the same for SQLite and PostgreSQL
/// (TEXT, BIGINT, INTEGER and ON CONFLICT mean the same in both), which keeps one set of steps.
/// Times are stored as ISO 8601 UTC text with seven decimals, which sorts like the instants.
/// A handful of lines replace a migration framework: two engines, plain SQL, nothing generated.
/// </summary>
public static class Migrations
{
    private static readonly string[] Steps =
    [
        """
        CREATE TABLE accounts (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            email TEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL,
            registered_at TEXT NOT NULL);
        CREATE TABLE tokens (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id),
            label TEXT NOT NULL,
            secret_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            revoked_at TEXT);
        CREATE TABLE councils (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            description TEXT NOT NULL,
            settings TEXT NOT NULL,
            created_at TEXT NOT NULL);
        CREATE TABLE members (
            council_id TEXT NOT NULL REFERENCES councils(id),
            account_id TEXT NOT NULL REFERENCES accounts(id),
            joined_at TEXT NOT NULL,
            PRIMARY KEY (council_id, account_id));
        CREATE INDEX members_by_account ON members(account_id);
        CREATE TABLE invitations (
            id TEXT PRIMARY KEY,
            council_id TEXT NOT NULL REFERENCES councils(id),
            secret_hash TEXT NOT NULL UNIQUE,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            used_by TEXT,
            used_at TEXT);
        CREATE TABLE motions (
            id TEXT PRIMARY KEY,
            council_id TEXT NOT NULL REFERENCES councils(id),
            proposer TEXT NOT NULL,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            options TEXT NOT NULL,
            method TEXT NOT NULL,
            seats INTEGER NOT NULL,
            threshold TEXT NOT NULL,
            urgent INTEGER NOT NULL,
            repeals TEXT,
            new_settings TEXT,
            applicant TEXT,
            state TEXT NOT NULL,
            created_at TEXT NOT NULL,
            supporters INTEGER NOT NULL,
            deliberation_ends_at TEXT,
            voting_ends_at TEXT,
            decided_at TEXT,
            secret INTEGER NOT NULL DEFAULT 0,
            live_results INTEGER NOT NULL DEFAULT 1,
            quorum TEXT,
            seed TEXT,
            electorate BIGINT,
            result TEXT,
            CHECK (state IN ('draft','proposed','deliberation','voting','decided','in-force','rejected','repealed')),
            CHECK (voting_ends_at IS NULL OR deliberation_ends_at IS NULL OR voting_ends_at >= deliberation_ends_at));
        CREATE INDEX motions_by_council ON motions(council_id, created_at);
        CREATE INDEX motions_due ON motions(state, voting_ends_at, deliberation_ends_at);
        CREATE TABLE supports (
            motion_id TEXT NOT NULL REFERENCES motions(id),
            account_id TEXT NOT NULL,
            PRIMARY KEY (motion_id, account_id));
        CREATE TABLE amendments (
            motion_id TEXT NOT NULL REFERENCES motions(id),
            number INTEGER NOT NULL,
            text TEXT NOT NULL,
            author TEXT NOT NULL,
            adopted INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (motion_id, number));
        CREATE TABLE ballots (
            motion_id TEXT NOT NULL REFERENCES motions(id),
            voter TEXT NOT NULL,
            ballot TEXT NOT NULL,
            cast_at TEXT NOT NULL,
            receipt TEXT NOT NULL,
            PRIMARY KEY (motion_id, voter));
        CREATE TABLE log (
            chain TEXT NOT NULL,
            seq BIGINT NOT NULL,
            time TEXT NOT NULL,
            actor TEXT NOT NULL,
            type TEXT NOT NULL,
            payload TEXT NOT NULL,
            previous_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            PRIMARY KEY (chain, seq));
        CREATE TABLE chain_heads (
            chain TEXT PRIMARY KEY,
            seq BIGINT NOT NULL,
            hash TEXT NOT NULL);
        CREATE TABLE server_keys (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL);
        """,
    ];

    /// <summary>Applies every step not applied yet. Safe to run from several processes at once.</summary>
    public static void Apply(Database database, DateTimeOffset now)
    {
        database.EnsureCreated();
        using var connection = database.OpenConnection();
        connection.Execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
        for (int version = 1; version <= Steps.Length; version++)
        {
            using var transaction = connection.BeginTransaction();
            if (database.Engine == Engine.Postgres)
            {
                // One process migrates at a time; the others wait here, then find the step done.
                connection.Execute("SELECT pg_advisory_xact_lock(7438210)", transaction: transaction);
            }
            bool applied = connection.ExecuteScalar<long>(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @version", new { version }, transaction) > 0;
            if (!applied)
            {
                connection.Execute(Steps[version - 1], transaction: transaction);
                connection.Execute("INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @at)",
                    new { version, at = Core.Log.LogEntry.FormatTime(now) }, transaction);
            }
            transaction.Commit();
        }
    }

    public static int Latest => Steps.Length;
}
