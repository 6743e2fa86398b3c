using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shura.Core;
using Shura.Core.Log;
using Shura.Storage;
using Shura.Storage.Mandates;
using Shura.Storage.Motions;

namespace Shura.Web.Motions;

/// <summary>
/// Moves motions on when their deadlines pass — deliberation into voting, voting into its result —
/// and changes the holders of continuously elected mandates when a lead has lasted its settle period.
/// Each motion and each mandate is its own piece of work, written by the one writer in its own
/// step: one that fails is logged, retried later (<see cref="DeadlineFailures"/>) and left out
/// meanwhile, and never stops another from moving on time (DESIGN §8).
/// The service sleeps until the next deadline (at most a second, so deadlines set by another server
/// process are seen too) and wakes early when a commit sets a new one. Time comes from the
/// TimeProvider, so tests drive it with a fake clock. Several processes may run it on one database:
/// each step re-reads its motion under the council's lock, so every motion closes exactly once.
/// </summary>
public sealed partial class DeadlineService(Writer writer, TimeProvider clock, DeadlineFailures failures, ILogger<DeadlineService> logger) : BackgroundService
{
    private const int Round = 100;
    private static readonly TimeSpan LongestSleep = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _wake = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        writer.Committed += OnCommitted;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                DateTimeOffset? next;
                bool more = false;
                try
                {
                    var waiting = failures.Waiting();
                    var motions = await writer.RunAsync(s => MotionCommands.Due(s, Keys<MotionId>(waiting, "motion", g => new(g)), Round), stoppingToken);
                    await Task.WhenAll(motions.Select(m => MoveOnAsync(m, stoppingToken)));
                    var mandates = await writer.RunAsync(s => MandateCommands.DueToSettle(s, Keys<MandateId>(waiting, "mandate", g => new(g)), Round), stoppingToken);
                    await Task.WhenAll(mandates.Select(m => SettleAsync(m, stoppingToken)));
                    more = motions.Count == Round || mandates.Count == Round;
                    // Work waiting for a retry has its own time (NextRetry); its past deadline must not keep the service spinning.
                    var skip = failures.Waiting().Select(k => Guid.Parse(k[(k.IndexOf(':') + 1)..])).ToList();
                    next = await writer.RunAsync(s => MotionCommands.NextDeadline(s, skip), stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database may be briefly unreachable; try again shortly rather than stop closing motions.
                    LogFailed(e);
                    next = null;
                }
                var now = clock.GetUtcNow();
                if (failures.NextRetry is { } retry && (next is null || retry < next))
                {
                    next = retry;
                }
                var sleep = more ? TimeSpan.Zero : next is { } at ? at - now : LongestSleep;
                sleep = sleep < TimeSpan.Zero ? TimeSpan.Zero : sleep > LongestSleep ? LongestSleep : sleep;
                if (sleep == TimeSpan.Zero)
                {
                    continue;
                }
                using var wakeOrSleep = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var delay = Task.Delay(sleep, clock, wakeOrSleep.Token);
                // A clock that jumped while the delay was being set up (a test's clock does) would
                // leave it waiting for a moment that has already passed.
                if (clock.GetUtcNow() < now + sleep)
                {
                    var woken = _wake.WaitAsync(wakeOrSleep.Token);
                    await Task.WhenAny(delay, woken);
                }
                await wakeOrSleep.CancelAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            writer.Committed -= OnCommitted;
        }
    }

    private async Task MoveOnAsync(MotionId motion, CancellationToken ct)
    {
        string key = $"motion:{motion}";
        try
        {
            if (await writer.RunAsync(s => MotionCommands.MoveOn(s, motion), ct))
            {
                LogMovedOn(motion.ToString());
            }
            failures.Succeeded(key);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failed(key, e);
        }
    }

    private async Task SettleAsync(MandateId mandate, CancellationToken ct)
    {
        string key = $"mandate:{mandate}";
        try
        {
            await writer.RunAsync(s => { MandateCommands.SettleOne(s, mandate); return true; }, ct);
            LogSettled(mandate.ToString());
            failures.Succeeded(key);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failed(key, e);
        }
    }

    private void Failed(string key, Exception e)
    {
        int attempts = failures.Failed(key);
        if (attempts == 1)
        {
            LogWorkFailed(key, e);
        }
        else
        {
            LogWorkFailedAgain(key, attempts, e.Message);
        }
    }

    private static List<T> Keys<T>(IReadOnlyList<string> waiting, string kind, Func<Guid, T> id) =>
        [.. waiting.Where(k => k.StartsWith(kind + ":", StringComparison.Ordinal)).Select(k => id(Guid.Parse(k[(kind.Length + 1)..])))];

    private void OnCommitted(IReadOnlyList<LogEntry> entries)
    {
        if (entries.Any(e => e.Type is "deliberation-started" or "voting-started" or "lead-changed" or "motion-referred"))
        {
            _wake.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deadline passed: motion {Motion} moved on")]
    private partial void LogMovedOn(string motion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Settle period passed: mandate {Mandate} settled")]
    private partial void LogSettled(string mandate);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deadline work on {Work} failed; it will be retried, and other work goes on")]
    private partial void LogWorkFailed(string work, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deadline work on {Work} failed again ({Attempts} times in a row): {Error}")]
    private partial void LogWorkFailedAgain(string work, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not process deadlines; retrying")]
    private partial void LogFailed(Exception error);
}
