using System.Data.Common;
using System.Globalization;
using Dapper;
using Shura.Core.Log;
using CouncilId = Shura.Core.CouncilId;
using MotionId = Shura.Core.MotionId;
using AccountId = Shura.Core.AccountId;
using Motion = Shura.Core.Motions.Motion;

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

    private DbConnection _connection = null!;

    /// <summary>The writer's connection; whoever reads through it first sends the writes still waiting (<see cref="Write"/>).</summary>
    internal DbConnection Connection
    {
        get
        {
            SendWrites();
            return _connection;
        }
    }

    /// <summary>The writer's transaction; null on PostgreSQL, whose transactions the session's own statements begin and commit.</summary>
    internal DbTransaction? Transaction { get; private set; }

    /// <summary>The instant the current command happens at.</summary>
    public DateTimeOffset Now { get; internal set; }

    /// <summary>The server's key for per-motion pseudonyms of secret ballots.</summary>
    public byte[] PseudonymKey { get; }

    /// <summary>Entries appended in this transaction, in order.</summary>
    internal IReadOnlyList<LogEntry> Appended => _appended;

    /// <summary>Statements that changed rows, counted so the writer can tell whether a refused command wrote anything.</summary>
    internal long Writes => _writes;

    internal void Begin(DbConnection connection, DbTransaction? transaction, bool keepWaiting = false)
    {
        _connection = connection;
        if (!keepWaiting)
        {
            ClearWaiting();
        }
        _federations.Clear();
        _wanted.Clear();
        _primed.Clear();
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
        QueueHeads();
        SendWrites();
    }

    /// <summary>The moved chains' heads, as writes waiting to be sent.</summary>
    private void QueueHeads()
    {
        foreach (string chain in _moved)
        {
            var (sequence, hash) = _heads[chain];
            Write("""
                INSERT INTO chain_heads (chain, seq, hash) VALUES (@chain, @sequence, @hash)
                ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash
                """, new { sequence, hash, chain });
        }
    }

    private CouncilId? KnownCouncilOf(MotionId motion) =>
        _councilOfMotion.TryGetValue(motion.Value, out var known) || _committedCouncilOfMotion.TryGetValue(motion.Value, out known)
            ? new CouncilId(known)
            : null;

    private bool? KnownFederation(CouncilId council) =>
        _federations.TryGetValue(council, out bool federation) || _committedFederations.TryGetValue(council, out federation) ? federation : null;

    /// <summary>
    /// The council a motion belongs to, remembered once read: it never changes, and knowing it
    /// lets a command take the council's lock before it reads the motion.
    /// </summary>
    internal CouncilId? CouncilOf(MotionId motion)
    {
        if (_councilOfMotion.TryGetValue(motion.Value, out var known) || _committedCouncilOfMotion.TryGetValue(motion.Value, out known))
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
        LockAndReadHeads([chain], then: null, parameters: new { chains = new[] { chain } });
    }

    /// <summary>
    /// Takes the locks of <paramref name="chains"/> in their order and reads their heads, then runs
    /// <paramref name="then"/> (more reads, or nothing), all in one round trip with any writes still
    /// waiting. The heads are read by a statement of their own after the locks: on PostgreSQL each
    /// statement sees what was committed when it began, so they are the heads as the lock holder
    /// before us left them. <paramref name="parameters"/> holds <c>chains</c> and what
    /// <paramref name="then"/> needs.
    /// </summary>
    private SqlMapper.GridReader LockAndReadHeads(string[] chains, string? then, object parameters)
    {
        var plan = HeadsPlan(chains, then, parameters);
        var read = Reading(plan.Sql, plan.Parameters, (c, text, p) => c.QueryMultiple(text, p, Transaction));
        ReadHeads(read, plan);
        if (then is null)
        {
            read.Dispose();
        }
        return read;
    }

    /// <summary>The statements that lock chains and read their heads, then more; see <see cref="LockAndReadHeads"/>.</summary>
    internal sealed record Heads(string[] Chains, string Sql, object Parameters, bool Locks);

    private Heads HeadsPlan(string[] chains, string? then, object parameters)
    {
        // unnest gives the chains in the array's order, so the locks are taken in that order.
        bool locks = Database.Engine == Engine.Postgres;
        string sql = (locks ? "SELECT count(pg_advisory_xact_lock(hashtextextended(c, 0))) FROM unnest(@chains::text[]) AS c;\n" : "")
            + $"SELECT chain, seq, hash FROM chain_heads WHERE {Database.OneOf("chain", "@chains")};\n{then}";
        return new Heads(chains, sql, parameters, locks);
    }

    private void ReadHeads(SqlMapper.GridReader read, Heads plan)
    {
        if (plan.Locks)
        {
            read.Read<long>();
        }
        var heads = read.Read<(string Chain, long Seq, string Hash)>().ToDictionary(h => h.Chain, h => (h.Seq, h.Hash));
        foreach (string chain in plan.Chains)
        {
            _heads[chain] = heads.TryGetValue(chain, out var head) ? head : (0, LogEntry.Genesis);
        }
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
            Write("""
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

    /// <summary>
    /// Keeps a text (a comment's or a post's words, a call's place) beside the log, under the hash the
    /// log's entry holds (<see cref="Core.Discussion.Texts.Hash"/>): once, however often it is said.
    /// </summary>
    internal void KeepText(string text, Core.Discussion.Salts salts) =>
        Write("INSERT INTO texts (hash, body, salt) VALUES (@hash, @text, @salt) ON CONFLICT (hash) DO NOTHING",
            new { hash = salts.Hash(text), text, salt = salts.SaltOf(text) });

    /// <summary>Keeps an image's bytes beside the log, once per content (the log holds their hash).</summary>
    internal string KeepImage(byte[] bytes)
    {
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        Write("INSERT INTO image_bytes (hash, bytes) VALUES (@hash, @bytes) ON CONFLICT (hash) DO NOTHING", new { hash, bytes });
        return hash;
    }

    /// <summary>Runs a statement at once and answers how many rows it changed.</summary>
    public int Execute(string sql, object? parameters = null)
    {
        _writes++;
        Unprime(sql);
        return Connection.Execute(sql, parameters, Transaction);
    }

    /// <summary>
    /// A statement whose count of rows nobody needs. On PostgreSQL it waits, and goes with the next
    /// statement that must answer — the next read, or the chain heads before the commit — in one
    /// round trip: a ballot's log entry and its row cost no trip of their own. Whatever reads
    /// through this session (or its connection) sends the waiting writes first, so every read still
    /// sees every write before it; a write that fails fails the batch, as it would at once.
    /// </summary>
    public void Write(string sql, object? parameters = null)
    {
        _writes++;
        Unprime(sql);
        if (Database.Engine != Engine.Postgres)
        {
            _connection.Execute(sql, parameters, Transaction);
            return;
        }
        _waitingParameters ??= new DynamicParameters();
        _waiting.Append(Renamed(sql, parameters, "w" + _waitingCount++ + "_", _waitingParameters)).Append(";\n");
    }

    public T? Scalar<T>(string sql, object? parameters = null) => Reading(sql, parameters, (c, text, p) => c.ExecuteScalar<T>(text, p, Transaction));

    public T? Single<T>(string sql, object? parameters = null) => Reading(sql, parameters, (c, text, p) => c.QuerySingleOrDefault<T>(text, p, Transaction));

    public IEnumerable<T> Query<T>(string sql, object? parameters = null) => Reading(sql, parameters, (c, text, p) => c.Query<T>(text, p, Transaction));

    // PostgreSQL's waiting writes: their text, one after the other, and their parameters, renamed apart.
    private readonly System.Text.StringBuilder _waiting = new();
    private DynamicParameters? _waitingParameters;
    private int _waitingCount;

    /// <summary>A read, with the waiting writes before it in the same round trip (PostgreSQL answers only the read's rows).</summary>
    private TResult Reading<TResult>(string sql, object? parameters, Func<DbConnection, string, object?, TResult> read)
    {
        if (_waitingParameters is null)
        {
            return read(_connection, sql, parameters);
        }
        var all = _waitingParameters;
        string text = _waiting + Renamed(sql, parameters, "r_", all);
        ClearWaiting();
        return read(_connection, text, all);
    }

    /// <summary>Sends the waiting writes, alone.</summary>
    private void SendWrites()
    {
        if (_waitingParameters is null)
        {
            return;
        }
        var all = _waitingParameters;
        string text = _waiting.ToString();
        ClearWaiting();
        _connection.Execute(text, all, Transaction);
    }

    private void ClearWaiting()
    {
        _waiting.Clear();
        _waitingParameters = null;
        _waitingCount = 0;
    }

    private static readonly System.Text.RegularExpressions.Regex Placeholder = new(@"@(\w+)", System.Text.RegularExpressions.RegexOptions.Compiled);

    /// <summary>A statement cut at its parameters: the text between them, and each one's name.</summary>
    private sealed record Template(string[] Texts, string[] Names);

    // The writer runs the same few statements over and over: each is cut once, and each parameter
    // object's properties are looked up once per type.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Template> Templates = new(StringComparer.Ordinal);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Type, string), System.Reflection.PropertyInfo?> Properties = new();

    private static Template Cut(string sql)
    {
        var matches = Placeholder.Matches(sql);
        var texts = new string[matches.Count + 1];
        var names = new string[matches.Count];
        int at = 0;
        for (int i = 0; i < matches.Count; i++)
        {
            texts[i] = sql[at..matches[i].Index];
            names[i] = matches[i].Groups[1].Value;
            at = matches[i].Index + matches[i].Length;
        }
        texts[^1] = sql[at..];
        return new Template(texts, names);
    }

    /// <summary>The statement with its parameters renamed apart by <paramref name="prefix"/>, added to <paramref name="into"/>.</summary>
    private static string Renamed(string sql, object? parameters, string prefix, DynamicParameters into)
    {
        var template = Templates.GetOrAdd(sql, Cut);
        var type = parameters?.GetType();
        var text = new System.Text.StringBuilder(sql.Length + template.Names.Length * (prefix.Length + 1));
        var added = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < template.Names.Length; i++)
        {
            string name = template.Names[i];
            text.Append(template.Texts[i]).Append('@').Append(prefix).Append(name);
            if (added.Add(name))
            {
                var property = (type is null ? null : Properties.GetOrAdd((type, name), key =>
                        key.Item1.GetProperties().FirstOrDefault(p => string.Equals(p.Name, key.Item2, StringComparison.OrdinalIgnoreCase))))
                    ?? throw new InvalidOperationException($"No value for @{name} in: {sql}");
                into.Add(prefix + name, property.GetValue(parameters));
            }
        }
        return text.Append(template.Texts[^1]).ToString();
    }

    // What the batch's ballots said they will read, and what was read for them.
    private readonly HashSet<(MotionId Motion, AccountId Actor)> _wanted = [];
    private readonly Dictionary<(MotionId Motion, AccountId Actor), (Motion Motion, bool Member)> _primed = [];

    /// <summary>A command of the coming batch will read this motion and whether this person is a member of its council.</summary>
    public void Want(MotionId motion, AccountId actor) => _wanted.Add((motion, actor));

    /// <summary>
    /// Reads what the batch's commands said they want, for all of them at once, once their councils
    /// are locked (so nothing another server writes can slip between this read and their decisions):
    /// the motions, and which of the voters are members. Only plain councils' motions are read here
    /// (a federation's members are its delegates, read as ever).
    /// </summary>
    internal void Prime()
    {
        if (PlanPrime() is not { } plan)
        {
            return;
        }
        using var read = Reading(plan.Heads.Sql, plan.Heads.Parameters, (c, text, p) => c.QueryMultiple(text, p, Transaction));
        ReadPrimed(read, plan);
    }

    /// <summary>What <see cref="Prime"/> reads for the commands that said what they want.</summary>
    internal sealed record PrimePlan(Heads Heads, List<(MotionId Motion, AccountId Actor)> Wanted, Dictionary<MotionId, CouncilId> Councils);

    /// <summary>The statements of <see cref="Prime"/>, not yet run; null when there is nothing to read.</summary>
    /// <remarks>
    /// With <paramref name="knownOnly"/> it reads nothing to plan: only motions whose council is
    /// remembered are read for (the others read for themselves), since a read now would go before
    /// the writes and COMMIT still waiting.
    /// </remarks>
    internal PrimePlan? PlanPrime(bool knownOnly = false)
    {
        var wanted = _wanted.ToList();
        _wanted.Clear();
        var councils = new Dictionary<MotionId, CouncilId>();
        foreach (var motion in wanted.Select(w => w.Motion).Distinct())
        {
            var council = knownOnly ? KnownCouncilOf(motion) : CouncilOf(motion);
            bool? federation = council is not { } c ? null : knownOnly ? KnownFederation(c) : IsFederation(c);
            if (council is { } plain && federation == false)
            {
                councils[motion] = plain;
            }
        }
        if (councils.Count == 0)
        {
            return null;
        }
        // In one order, so that two servers locking the same councils never wait on each other in a circle.
        string[] chains = [.. councils.Values.Distinct().Select(c => c.ToString()).Where(c => !_heads.ContainsKey(c)).Order(StringComparer.Ordinal)];
        string[] motions = [.. councils.Keys.Select(m => m.ToString())];
        string[] councilIds = [.. councils.Values.Distinct().Select(c => c.ToString())];
        string[] actors = [.. wanted.Select(w => w.Actor.ToString()).Distinct()];
        // The locks, the heads, the motions and the members in one round trip, with any writes still waiting.
        var heads = HeadsPlan(chains,
            $"""
            SELECT {Rows.MotionColumns} FROM motions WHERE {Database.OneOf("id", "@motions")};
            SELECT council_id, account_id FROM members WHERE {Database.OneOf("council_id", "@councilIds")} AND {Database.OneOf("account_id", "@actors")}
            """, new { chains, motions, councilIds, actors });
        return new PrimePlan(heads, wanted, councils);
    }

    /// <summary>Takes in what the statements of <paramref name="plan"/> read.</summary>
    internal void ReadPrimed(SqlMapper.GridReader read, PrimePlan plan)
    {
        ReadHeads(read, plan.Heads);
        var rows = read.Read<Rows.MotionRow>().ToDictionary(r => r.Id);
        var members = read.Read<(string Council, string Account)>().ToHashSet();
        foreach (var (motion, actor) in plan.Wanted)
        {
            if (plan.Councils.TryGetValue(motion, out var council) && rows.TryGetValue(motion, out var row))
            {
                _primed[(motion, actor)] = (row.ToMotion(), members.Contains((council.ToString(), actor.ToString())));
            }
        }
    }

    /// <summary>
    /// PostgreSQL, one round trip a batch: queues this transaction's chain heads and its COMMIT after
    /// its waiting writes; they go with the next batch's BEGIN and reads (<see cref="BeginWith"/>),
    /// or alone (<see cref="SendWaiting"/>).
    /// </summary>
    internal void QueueCommit()
    {
        QueueHeads();
        _waitingParameters ??= new DynamicParameters();
        _waiting.Append("COMMIT;\n");
    }

    /// <summary>
    /// Sends what waits (a batch's writes and COMMIT, or nothing), then BEGIN and the reads of
    /// <paramref name="next"/>, in one round trip. Rows come back only once all before them succeeded.
    /// </summary>
    internal SqlMapper.GridReader BeginWith(PrimePlan? next)
    {
        var all = _waitingParameters ?? new DynamicParameters();
        string text = _waiting + "BEGIN;\n" + (next is null ? "SELECT 1;" : Renamed(next.Heads.Sql, next.Heads.Parameters, "r_", all));
        ClearWaiting();
        return _connection.QueryMultiple(text, all);
    }

    /// <summary>Sends the waiting writes (and COMMIT, if queued), alone.</summary>
    internal void SendWaiting() => SendWrites();

    /// <summary>The last entry this transaction appended to each chain it moved: what a commit makes durable.</summary>
    internal IReadOnlyList<(string Chain, long Sequence, string Hash)> Moved =>
        [.. _moved.Select(chain => (chain, _heads[chain].Sequence, _heads[chain].Hash))];

    /// <summary>
    /// Starts the session on a transaction its own statements began (PostgreSQL's one round trip a
    /// batch), keeping what it learned: <see cref="Remembered"/> holds the facts of the batch before.
    /// </summary>
    internal (Dictionary<Guid, Guid> Councils, Dictionary<CouncilId, bool> Federations) Remembered() =>
        (new Dictionary<Guid, Guid>(_councilOfMotion), new Dictionary<CouncilId, bool>(_federations));

    /// <summary>The batch whose facts <paramref name="facts"/> are committed: they are kept for the next ones.</summary>
    internal void Committed((Dictionary<Guid, Guid> Councils, Dictionary<CouncilId, bool> Federations) facts)
    {
        foreach (var (motion, council) in facts.Councils)
        {
            _committedCouncilOfMotion[motion] = council;
        }
        foreach (var (council, federation) in facts.Federations)
        {
            _committedFederations[council] = federation;
        }
    }

    /// <summary>
    /// A plain council's motion and whether <paramref name="actor"/> is a member of the council: as
    /// <see cref="Prime"/> read them for the batch, or read now the same way (the council is locked).
    /// </summary>
    internal (Motion Motion, bool Member) MotionAndMember(MotionId motion, AccountId actor)
    {
        if (Primed(motion, actor) is not { } primed)
        {
            Want(motion, actor);
            Prime();
            primed = Primed(motion, actor)!.Value;
        }
        return primed;
    }

    /// <summary>What <see cref="Prime"/> read for this motion and person, if it still holds.</summary>
    internal (Motion Motion, bool Member)? Primed(MotionId motion, AccountId actor) =>
        _primed.TryGetValue((motion, actor), out var primed) ? primed : null;

    private static readonly System.Text.RegularExpressions.Regex ChangesPrimed = new(
        @"\b(UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+(motions|members|councils)\b",
        System.Text.RegularExpressions.RegexOptions.Compiled | System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    /// <summary>A write to what was primed (a motion closing, a member leaving) makes every later command read for itself.</summary>
    private void Unprime(string sql)
    {
        if (_primed.Count > 0 && ChangesPrimed.IsMatch(sql))
        {
            _primed.Clear();
        }
    }

    // Whether a council is a federation never changes; remembered for the batch.
    private readonly Dictionary<CouncilId, bool> _federations = [];

    // What never changes once committed — a motion's council, whether a council is a federation —
    // is remembered from batch to batch, but only what a committed batch read: a batch rolled back
    // may have read rows it had made itself.
    private readonly Dictionary<Guid, Guid> _committedCouncilOfMotion = [];
    private readonly Dictionary<CouncilId, bool> _committedFederations = [];
    private const int MostRemembered = 100_000;

    /// <summary>The batch committed: what it read that never changes is remembered for the next ones.</summary>
    internal void Committed()
    {
        if (_committedCouncilOfMotion.Count > MostRemembered || _committedFederations.Count > MostRemembered)
        {
            _committedCouncilOfMotion.Clear();
            _committedFederations.Clear();
        }
        foreach (var (motion, council) in _councilOfMotion)
        {
            _committedCouncilOfMotion[motion] = council;
        }
        foreach (var (council, federation) in _federations)
        {
            _committedFederations[council] = federation;
        }
    }

    /// <summary>Whether a council is a federation, read once per batch.</summary>
    internal bool IsFederation(CouncilId council)
    {
        if (!_federations.TryGetValue(council, out bool federation) && !_committedFederations.TryGetValue(council, out federation))
        {
            _federations[council] = federation = Councils.Membership.IsFederation(Connection, Transaction, council);
        }
        return federation;
    }

    public string Time => LogEntry.FormatTime(Now);

    internal static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
