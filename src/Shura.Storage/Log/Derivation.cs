using System.Data.Common;
using System.Globalization;
using Dapper;
using Shura.Core.Accounts;
using Shura.Core.Councils;
using Shura.Core.Log;
using Shura.Storage.Schema;

namespace Shura.Storage.Log;

/// <summary>
/// The tables rebuilt from the log alone: every entry, in the order it was written, goes through
/// the same projection that keeps the store's tables, into a fresh SQLite file of the same schema.
/// Whatever the store holds that the log does not say — a member added by hand, secret ballots
/// switched off in a council's settings, a power given to a mandate, a token nobody created — is
/// then a row that differs. Private columns the log never holds (e-mail addresses, password and
/// secret hashes) are left out of the comparison; the rows they sit in are not.
/// </summary>
internal sealed class Derivation : IDisposable
{
    /// <summary>Each table the log decides, with the columns the log decides in it.</summary>
    private static readonly (string Table, string Columns)[] Decided =
    [
        ("accounts", "id, name_hash, registered_at, deleted_at"),
        ("tokens", "id, account_id, label, created_at, revoked_at"),
        ("invitations", "id, council_id, created_by, created_at"),
        ("councils", "id, name, description, settings, created_at, federation, member_count"),
        ("members", "council_id, account_id, joined_at"),
        ("public_delegates", "council_id, account_id, since"),
        ("motions", "*"),
        ("supports", "*"),
        ("amendments", "*"),
        ("ballots", "*"),
        ("mandates", "*"),
        ("holders", "*"),
        ("confidence", "*"),
        ("standing_ballots", "*"),
        ("federation_members", "*"),
        ("federation_departures", "*"),
        ("instructions", "*"),
        ("referral_demands", "*"),
        ("delegations", "*"),
        ("actions", "*"),
        ("action_volunteers", "*"),
        ("action_reports", "*"),
        ("comments", "*"),
        ("comment_versions", "*"),
        ("posts", "*"),
        ("calls", "*"),
        ("pledges", "*"),
        ("counter_proposals", "*"),
        ("flags", "*"),
        ("images", "*"),
    ];

    private readonly string _folder;
    private readonly Database _database;
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly WriteSession _session;

    public Derivation(byte[] pseudonymKey)
    {
        _folder = Directory.CreateTempSubdirectory("shura-verify-").FullName;
        _database = Database.Open(Path.Combine(_folder, "derived.db"));
        Migrations.Apply(_database, DateTimeOffset.UnixEpoch);
        _connection = _database.OpenConnection();
        // Rows of tables the log does not fill (accounts' private columns) are not there to refer to.
        _connection.Execute("PRAGMA foreign_keys=OFF; PRAGMA synchronous=OFF;");
        _transaction = _connection.BeginTransaction();
        _session = new WriteSession(_database, pseudonymKey);
        _session.Begin(_connection, _transaction);
    }

    /// <summary>Projects one entry; a problem when it cannot be (a log that contradicts itself).</summary>
    public string? Apply(LogEntry entry, Event e)
    {
        _session.Now = entry.Time;
        string time = LogEntry.FormatTime(entry.Time);
        try
        {
            switch (e)
            {
                // The rows these events make are written by their commands, private columns and all; here their public part.
                case AccountRegistered registered:
                    // The name is kept beside the log; the log holds its hash (or, in entries from before names were sealed, the name).
                    _session.Execute("INSERT INTO accounts (id, name, email, password_hash, registered_at, name_hash) VALUES (@id, '', @id, '', @time, @hash)",
                        new { id = registered.Account, time, hash = registered.NameHash ?? Core.Discussion.Texts.Hash(registered.Name ?? "") });
                    break;
                case TokenCreated token:
                    _session.Execute("INSERT INTO tokens (id, account_id, label, secret_hash, created_at) VALUES (@id, @account, @Label, @id, @time)",
                        new { id = token.Token.ToString(), account = token.Account, token.Label, time });
                    break;
                case InvitationCreated invitation:
                    _session.Execute("INSERT INTO invitations (id, council_id, secret_hash, created_by, created_at) VALUES (@id, @council, @id, @by, @time)",
                        new { id = invitation.Invitation, council = invitation.CouncilId, by = invitation.By, time });
                    break;
                default:
                    Projector.Apply(_session, entry, e);
                    break;
            }
            return null;
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or FormatException or System.Text.Json.JsonException)
        {
            return $"chain {entry.Chain}, entry {entry.Sequence}: the log cannot be replayed here ({ex.Message})";
        }
    }

    /// <summary>Every difference between the store's tables and the tables the log gives.</summary>
    public IEnumerable<string> Compare(DbConnection store)
    {
        foreach (var (table, columns) in Decided)
        {
            string select = columns == "*" ? string.Join(", ", Columns(table)) : columns;
            var derived = Rows(_connection, _transaction, table, select);
            var stored = Rows(store, null, table, select);
            var extra = stored.Except(derived).Order(StringComparer.Ordinal).ToList();
            var missing = derived.Except(stored).Order(StringComparer.Ordinal).ToList();
            if (extra.Count > 0 || missing.Count > 0)
            {
                string Sample(List<string> rows) => string.Join("; ", rows.Take(3).Select(r => "(" + r + ")")) + (rows.Count > 3 ? "; …" : "");
                yield return $"{table}: the table differs from what the log gives ({select})" +
                    (extra.Count > 0 ? $"; {extra.Count} rows not in the log: {Sample(extra)}" : "") +
                    (missing.Count > 0 ? $"; {missing.Count} rows of the log missing or changed: {Sample(missing)}" : "");
            }
        }
    }

    private List<string> Columns(string table) =>
        [.. _connection.Query<string>($"SELECT name FROM pragma_table_info('{table}') ORDER BY cid", transaction: _transaction)];

    private static HashSet<string> Rows(DbConnection c, DbTransaction? t, string table, string columns)
    {
        var rows = new HashSet<string>(StringComparer.Ordinal);
        using var command = c.CreateCommand();
        command.Transaction = t;
        command.CommandText = $"SELECT {columns} FROM {table}";
        using var reader = command.ExecuteReader();
        var values = new string[reader.FieldCount];
        while (reader.Read())
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "";
            }
            rows.Add(string.Join(", ", values));
        }
        return rows;
    }

    public void Dispose()
    {
        _transaction.Dispose();
        _connection.Dispose();
        _database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is no reason to fail a verification.
        }
    }
}
