using System.Data.Common;
using System.Globalization;
using Dapper;
using Shura.Core.Log;
using CouncilId = Shura.Core.CouncilId;
using MotionId = Shura.Core.MotionId;

namespace Shura.Storage;

/// <summary>
/// One command's view of the database inside the writer's transaction: it reads the state the
/// command needs, then appends the core's events to the log and projects them into the tables,
/// all in the transaction that the writer commits before anyone is answered.
/// </summary>
public sealed class WriteSession
{
    private readonly Dictionary<string, (long Sequence, string Hash)> _heads = [];
    private readonly HashSet<string> _moved = [];
    private readonly List<LogEntry> _appended = [];
    private readonly Dictionary<Guid, Guid> _councilOfMotion = [];
    private long _writes;

    internal WriteSession(Database database, byte[] pseudonymKey)
    {
        Database = database;
        PseudonymKey = pseudonymKey;
    }

    internal Database Database { get; }

    internal DbConnection Connection { get; private set; } = null!;

    internal DbTransaction Transaction { get; private set; } = null!;

    /// <summary>The instant the current command happens at.</summary>
    public DateTimeOffset Now { get; internal set; }

    /// <summary>The server's key for per-motion pseudonyms of secret ballots.</summary>
    public byte[] PseudonymKey { get; }

    /// <summary>Entries appended in this transaction, in order.</summary>
    internal IReadOnlyList<LogEntry> Appended => _appended;

    /// <summary>Statements that changed rows, counted so the writer can tell whether a refused command wrote anything.</summary>
    internal long Writes => _writes;

    internal void Begin(DbConnection connection, DbTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
        _heads.Clear();
        _moved.Clear();
        _appended.Clear();
        // A rolled-back transaction may have created the motions remembered here.
        _councilOfMotion.Clear();
    }

    /// <summary>
    /// Writes the chain heads moved in this transaction; the writer calls it just before committing.
    /// A chain's head row is created with its first entry, never before: a command refused for a
    /// council that does not exist leaves no trace of the id it was given.
    /// </summary>
    internal void Flush()
    {
        foreach (string chain in _moved)
        {
            var (sequence, hash) = _heads[chain];
            Execute("""
                INSERT INTO chain_heads (chain, seq, hash) VALUES (@chain, @sequence, @hash)
                ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash
                """, new { sequence, hash, chain });
        }
        _moved.Clear();
    }

    /// <summary>
    /// The council a motion belongs to, remembered once read: it never changes, and knowing it
    /// lets a command take the council's lock before it reads the motion.
    /// </summary>
    internal CouncilId? CouncilOf(MotionId motion)
    {
        if (_councilOfMotion.TryGetValue(motion.Value, out var known))
        {
            return new CouncilId(known);
        }
        var council = Query<CouncilId>("SELECT council_id FROM motions WHERE id = @id", new { id = motion }).Cast<CouncilId?>().FirstOrDefault();
        if (council is { } found)
        {
            _councilOfMotion[motion.Value] = found.Value;
        }
        return council;
    }

    /// <summary>
    /// Takes the chain's write lock for the rest of the transaction, before the command reads the
    /// state it decides on: on PostgreSQL, two server processes writing to one council queue here
    /// (a transaction-scoped advisory lock on the chain's name), so a decision is never made on
    /// state another process is changing. SQLite's writer transaction (BEGIN IMMEDIATE) already
    /// holds the whole database. Taking a lock writes nothing.
    /// </summary>
    public void Lock(CouncilId council) => Lock(council.ToString());

    /// <inheritdoc cref="Lock(CouncilId)"/>
    public void Lock(string chain)
    {
        if (_heads.ContainsKey(chain))
        {
            return;
        }
        if (Database.Engine == Engine.Postgres)
        {
            Connection.Execute("SELECT pg_advisory_xact_lock(hashtextextended(@chain, 0))", new { chain }, Transaction);
        }
        var head = Connection.Query<(long Seq, string Hash)>(
            "SELECT seq, hash FROM chain_heads WHERE chain = @chain", new { chain }, Transaction).ToList();
        _heads[chain] = head.Count == 1 ? head[0] : (0, LogEntry.Genesis);
    }

    /// <summary>Appends the verdict's events to their chains and projects each into the tables.</summary>
    public IReadOnlyList<LogEntry> Append(Verdict verdict)
    {
        if (!verdict.IsAccepted)
        {
            throw new InvalidOperationException("A refused command appends nothing.");
        }
        var entries = new List<LogEntry>(verdict.Events.Count);
        foreach (var e in verdict.Events)
        {
            string chain = e.Council?.ToString() ?? LogEntry.AccountsChain;
            Lock(chain);
            var (sequence, previous) = _heads[chain];
            var entry = LogEntry.Create(chain, sequence + 1, Now, e.Actor, EventJson.TypeName(e), EventJson.Payload(e), previous);
            Execute("""
                INSERT INTO log (chain, seq, time, actor, type, payload, previous_hash, hash)
                VALUES (@Chain, @Sequence, @time, @Actor, @Type, @Payload, @PreviousHash, @Hash)
                """, new { entry.Chain, entry.Sequence, time = LogEntry.FormatTime(entry.Time), entry.Actor, entry.Type, entry.Payload, entry.PreviousHash, entry.Hash });
            _heads[chain] = (entry.Sequence, entry.Hash);
            _moved.Add(chain);
            Projector.Apply(this, entry, e);
            entries.Add(entry);
            _appended.Add(entry);
        }
        FollowUps.After(this, verdict.Events);
        return entries;
    }

    public int Execute(string sql, object? parameters = null)
    {
        _writes++;
        return Connection.Execute(sql, parameters, Transaction);
    }

    public T? Scalar<T>(string sql, object? parameters = null) => Connection.ExecuteScalar<T>(sql, parameters, Transaction);

    public T? Single<T>(string sql, object? parameters = null) => Connection.QuerySingleOrDefault<T>(sql, parameters, Transaction);

    public IEnumerable<T> Query<T>(string sql, object? parameters = null) => Connection.Query<T>(sql, parameters, Transaction);

    public string Time => LogEntry.FormatTime(Now);

    internal static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
