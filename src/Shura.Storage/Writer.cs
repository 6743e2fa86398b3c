using System.Data.Common;
using System.Threading.Channels;
using Shura.Core.Log;

namespace Shura.Storage;

/// <summary>
/// The one way into the database for changes. Commands queue here; the writer takes as many as
/// are waiting (up to a batch), runs them one after the other in one transaction, commits once,
/// and only then answers each. One durable commit (one fsync) thus serves many ballots, and an
/// answer always means the change is on disk (DESIGN §8). A command that fails with an exception
/// rolls its batch back; the batch is then run again one command per transaction, so one bad
/// command never takes its neighbours down with it. A command that is refused keeps nothing: the
/// commands decide before they write, and should one write and then refuse, its batch is rolled
/// back and it runs alone in a transaction that is rolled back too (DESIGN §9).
/// </summary>
public sealed class Writer : IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly Database _database;
    private readonly TimeProvider _clock;
    private readonly Channel<Job> _jobs = Channel.CreateBounded<Job>(new BoundedChannelOptions(20_000) { SingleReader = true });
    private readonly WriteSession _session;
    private readonly Task _loop;
    private DbConnection? _connection;

    public Writer(Database database, TimeProvider clock, byte[] pseudonymKey)
    {
        _database = database;
        _clock = clock;
        _session = new WriteSession(database, pseudonymKey);
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Raised after every commit with the entries it made durable.</summary>
    public event Action<IReadOnlyList<LogEntry>>? Committed;

    private sealed class Job(Func<WriteSession, object?> command, Action<WriteSession>? wants)
    {
        public Func<WriteSession, object?> Command { get; } = command;

        /// <summary>Says what the command will read, so the batch reads it for all its commands at once (<see cref="WriteSession.Prime"/>).</summary>
        public Action<WriteSession>? Wants { get; } = wants;

        public TaskCompletionSource<object?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public object? Result { get; set; }
    }

    /// <summary>Runs <paramref name="command"/> in the writer's transaction; completes once it is committed.</summary>
    public Task<T> RunAsync<T>(Func<WriteSession, T> command, CancellationToken cancellationToken = default) =>
        RunAsync(command, wants: null, cancellationToken);

    /// <summary>
    /// The same, saying beforehand what the command will read (<paramref name="wants"/>): a batch of
    /// a thousand ballots then reads their motions and voters in one statement, not in a thousand.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<WriteSession, T> command, Action<WriteSession>? wants, CancellationToken cancellationToken = default)
    {
        var job = new Job(s => command(s), wants);
        await _jobs.Writer.WriteAsync(job, cancellationToken);
        return (T)(await job.Done.Task)!;
    }

    private async Task LoopAsync()
    {
        while (await _jobs.Reader.WaitToReadAsync())
        {
            var batch = Take();
            _batchTaken = System.Diagnostics.Stopwatch.GetTimestamp();
            if (_database.Engine == Engine.Postgres)
            {
                RunPipelined(batch);
            }
            else
            {
                RunSafely(batch);
            }
        }
    }

    /// <summary>The jobs waiting now, up to a batch.</summary>
    private List<Job> Take()
    {
        var batch = new List<Job>();
        while (batch.Count < MaxBatch && _jobs.Reader.TryRead(out var job))
        {
            batch.Add(job);
        }
        return batch;
    }

    /// <summary>Runs a batch in a transaction of its own; if that fails, each job alone.</summary>
    private void RunSafely(List<Job> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }
        if (!TryCommit(batch, out var failure) && batch.Count > 1)
        {
            foreach (var job in batch)
            {
                if (!TryCommit([job], out var alone))
                {
                    job.Done.TrySetException(alone!);
                }
            }
        }
        else if (failure is not null)
        {
            batch[0].Done.TrySetException(failure);
        }
    }

    /// <summary>
    /// PostgreSQL under load, one round trip a batch: the batch's writes and COMMIT go with BEGIN
    /// and the reads of the batch that waited meanwhile (<see cref="WriteSession.CommitAndBegin"/>),
    /// so the writer waits on the database once per batch rather than three times. The rows of the
    /// reads arrive only after the COMMIT succeeded; a batch is answered only then. Anything out of
    /// the ordinary — a command that fails or is refused after writing, a broken connection — goes to
    /// <see cref="RunSafely"/>, after the log has told whether the batch in flight was committed.
    /// </summary>
    private void RunPipelined(List<Job> batch)
    {
        var current = batch;
        // Whether the open transaction holds the current batch's reads, and whether the current
        // batch was answered (then nothing may run it again).
        bool open = false, answered = false;
        try
        {
            _connection ??= _database.OpenConnection();
            _session.Begin(_connection, transaction: null);
            var plan = Plan(current);
            using (var read = _session.BeginWith(plan))
            {
                open = true;
                ReadPlan(read, plan);
            }
            while (true)
            {
                if (!TryRunCommands(current))
                {
                    Abandon();
                    open = false;
                    RunSafely(current);
                    return;
                }
                var next = Take();
                var entries = _session.Appended.ToList();
                var moved = _session.Moved;
                long writes = _session.Writes;
                var facts = _session.Remembered();
                _session.QueueCommit();
                _session.Begin(_connection, transaction: null, keepWaiting: true);
                var nextPlan = next.Count == 0 ? null : Plan(next, knownOnly: true);
                Dapper.SqlMapper.GridReader? read = null;
                try
                {
                    if (next.Count == 0)
                    {
                        _session.SendWaiting();
                    }
                    else
                    {
                        read = _session.BeginWith(nextPlan);
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // The batch in flight was committed or not, and the log says which; if the log
                    // cannot be asked, its people are told it failed (it may yet have been kept, but
                    // nobody is told it was without knowing). The next batch starts over.
                    Reset();
                    open = false;
                    bool? committed;
                    try
                    {
                        committed = WasCommitted(moved, writes);
                    }
                    catch (Exception asking) when (asking is not OutOfMemoryException)
                    {
                        committed = null;
                    }
                    if (committed == true)
                    {
                        answered = true;
                        Answer(current, entries, facts);
                    }
                    else if (committed == false)
                    {
                        RunSafely(current);
                    }
                    else
                    {
                        answered = true;
                        current.ForEach(job => job.Done.TrySetException(e));
                    }
                    answered = false;
                    current = next;
                    RunSafely(next);
                    return;
                }
                // The COMMIT went through (the rows of the next reads follow it): the batch is durable.
                answered = true;
                Answer(current, entries, facts);
                if (read is null)
                {
                    open = false;
                    return;
                }
                using (read)
                {
                    current = next;
                    answered = false;
                    ReadPlan(read, nextPlan);
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The current batch's reads failed (it ran no command yet), or telling those who follow
            // the commits failed: what was not answered runs again the careful way.
            _ = e;
            if (open)
            {
                Abandon();
            }
            else
            {
                Reset();
            }
            if (!answered)
            {
                RunSafely(current);
            }
        }
    }

    /// <summary>Says what the batch's commands will read, and plans the reading.</summary>
    private WriteSession.PrimePlan? Plan(List<Job> batch, bool knownOnly = false)
    {
        foreach (var job in batch)
        {
            job.Wants?.Invoke(_session);
        }
        return _session.PlanPrime(knownOnly);
    }

    private void ReadPlan(Dapper.SqlMapper.GridReader read, WriteSession.PrimePlan? plan)
    {
        if (plan is null)
        {
            read.Read<int>();
        }
        else
        {
            _session.ReadPrimed(read, plan);
        }
    }

    /// <summary>Runs the batch's commands in the open transaction; false when one failed or was refused after writing.</summary>
    private bool TryRunCommands(List<Job> batch)
    {
        foreach (var job in batch)
        {
            _session.Now = _clock.GetUtcNow();
            long writes = _session.Writes;
            try
            {
                job.Result = job.Command(_session);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return false;
            }
            if (_session.Writes != writes && RefusalOf(job.Result) is not null)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Whether the transaction that moved these chains to these entries was committed: the log has them.</summary>
    private bool WasCommitted(IReadOnlyList<(string Chain, long Sequence, string Hash)> moved, long writes)
    {
        if (moved.Count == 0)
        {
            // Nothing appended: a batch of refusals (nothing to lose), or writes outside the log,
            // which are not known to be durable.
            return writes == 0;
        }
        var (chain, sequence, hash) = moved[0];
        using var connection = _database.OpenConnection();
        return Dapper.SqlMapper.ExecuteScalar<long>(connection,
            "SELECT count(*) FROM log WHERE chain = @chain AND seq = @sequence AND hash = @hash", new { chain, sequence, hash }) == 1;
    }

    /// <summary>Rolls the open transaction back; a connection that cannot is dropped.</summary>
    private void Abandon()
    {
        try
        {
            Dapper.SqlMapper.Execute(_connection!, "ROLLBACK");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Reset();
        }
    }

    private void Reset()
    {
        _connection?.Dispose();
        _connection = null;
    }

    /// <summary>A committed batch: those who follow the commits hear of it, then each job its answer.</summary>
    /// <summary>When the batch being written was taken (for <see cref="Metrics.CommitDuration"/>).</summary>
    private long _batchTaken;

    private void Answer(List<Job> batch, List<LogEntry> entries,
        (Dictionary<Guid, Guid> Councils, Dictionary<Core.CouncilId, bool> Federations) facts)
    {
        _session.Committed(facts);
        Measure(batch, entries);
        try
        {
            if (entries.Count > 0)
            {
                Committed?.Invoke(entries);
            }
        }
        finally
        {
            foreach (var job in batch)
            {
                job.Done.TrySetResult(job.Result);
            }
        }
    }

    private void Measure(List<Job> batch, List<LogEntry> entries)
    {
        Metrics.BatchSize.Record(batch.Count);
        Metrics.CommitDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(_batchTaken).TotalSeconds);
        _batchTaken = System.Diagnostics.Stopwatch.GetTimestamp();
        int refused = batch.Count(job => RefusalOf(job.Result) is not null);
        Metrics.Commands.Add(batch.Count - refused, new KeyValuePair<string, object?>("outcome", "accepted"));
        if (refused > 0)
        {
            Metrics.Commands.Add(refused, new KeyValuePair<string, object?>("outcome", "refused"));
        }
        int ballots = entries.Count(e => e.Type is "ballot-cast" or "ballot-withdrawn");
        if (ballots > 0)
        {
            Metrics.Ballots.Add(ballots);
        }
    }

    /// <summary>A refused command had written: its batch must not commit.</summary>
    private sealed class RefusedAfterWriting() : Exception("A refused command wrote to the store; its batch is run again one command at a time.");

    /// <summary>The refusal a command answered with, if it was refused.</summary>
    internal static Core.Refusal? RefusalOf(object? result) => result switch
    {
        Core.Refusal refusal => refusal,
        IOutcome outcome => outcome.Refusal,
        _ => null,
    };

    private bool TryCommit(List<Job> batch, out Exception? failure)
    {
        failure = null;
        DbTransaction? transaction = null;
        bool keepNothing = false;
        try
        {
            _connection ??= _database.OpenConnection();
            transaction = _connection.BeginTransaction();
            _session.Begin(_connection, transaction);
            foreach (var job in batch)
            {
                job.Wants?.Invoke(_session);
            }
            _session.Prime();
            foreach (var job in batch)
            {
                _session.Now = _clock.GetUtcNow();
                long writes = _session.Writes;
                job.Result = job.Command(_session);
                if (_session.Writes != writes && RefusalOf(job.Result) is not null)
                {
                    if (batch.Count > 1)
                    {
                        throw new RefusedAfterWriting();
                    }
                    keepNothing = true;
                }
            }
            if (keepNothing)
            {
                transaction.Rollback();
                _session.Begin(_connection, transaction);
                Measure(batch, []);
                batch[0].Done.TrySetResult(batch[0].Result);
                return true;
            }
            _session.Flush();
            transaction.Commit();
            _session.Committed();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Anything may fail here, from a broken connection to a bug in a command: the batch is
            // rolled back whole and nobody was told it succeeded.
            failure = e;
            try
            {
                transaction?.Rollback();
            }
            catch (Exception) when (transaction is not null)
            {
                // The connection is gone with the transaction; a fresh one is opened next time.
            }
            _connection?.Dispose();
            _connection = null;
            return false;
        }
        finally
        {
            transaction?.Dispose();
        }

        // Those who follow the commits hear of this one before anyone is answered: a cache that
        // forgets what the commit changed has forgotten it when its requester asks again.
        var entries = _session.Appended.ToList();
        Measure(batch, entries);
        if (entries.Count > 0)
        {
            Committed?.Invoke(entries);
        }
        foreach (var job in batch)
        {
            job.Done.TrySetResult(job.Result);
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        await _loop;
        _connection?.Dispose();
    }
}
