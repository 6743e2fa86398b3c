using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shura.Core.Log;
using Shura.Storage;
using Shura.Storage.Mandates;
using Shura.Storage.Motions;

namespace Shura.Web.Motions;

/// <summary>
/// Moves motions on when their deadlines pass — deliberation into voting, voting into its result —
/// and changes the holders of continuously elected mandates when a lead has lasted its settle period.
/// It sleeps until the next deadline (at most a second, so deadlines set by another server process
/// are seen too) and wakes early when a commit sets a new one. Time comes from the TimeProvider,
/// so tests drive it with a fake clock. Several processes may run it on one database: each step
/// re-reads its motion under the council's lock, so every motion closes exactly once.
/// </summary>
public sealed partial class DeadlineService(Writer writer, TimeProvider clock, ILogger<DeadlineService> logger) : BackgroundService
{
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
                try
                {
                    var moved = await writer.RunAsync(s => MotionCommands.AdvanceDue(s), stoppingToken);
                    foreach (var motion in moved)
                    {
                        LogMovedOn(motion.ToString());
                    }
                    var settled = await writer.RunAsync(s => MandateCommands.SettleDue(s), stoppingToken);
                    foreach (var mandate in settled)
                    {
                        LogSettled(mandate.ToString());
                    }
                    next = await writer.RunAsync(MotionCommands.NextDeadline, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database may be briefly unreachable; try again shortly rather than stop closing motions.
                    LogFailed(e);
                    next = null;
                }
                var now = clock.GetUtcNow();
                var sleep = next is { } due ? due - now : LongestSleep;
                sleep = sleep < TimeSpan.Zero ? TimeSpan.Zero : sleep > LongestSleep ? LongestSleep : sleep;
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

    private void OnCommitted(IReadOnlyList<LogEntry> entries)
    {
        if (entries.Any(e => e.Type is "deliberation-started" or "voting-started" or "lead-changed"))
        {
            _wake.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deadline passed: motion {Motion} moved on")]
    private partial void LogMovedOn(string motion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Settle period passed: mandate {Mandate} settled")]
    private partial void LogSettled(string mandate);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not process deadlines; retrying")]
    private partial void LogFailed(Exception error);
}
