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
        var batch = new List<Job>(MaxBatch);
        while (await _jobs.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _jobs.Reader.TryRead(out var job))
            {
                batch.Add(job);
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
            batch.Clear();
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
