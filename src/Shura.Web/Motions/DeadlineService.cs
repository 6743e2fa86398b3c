using Shura.Core.Log;

namespace Shura.Web.Motions;

/// <summary>
/// Runs <see cref="Deadlines"/> passes as deadlines come: it sleeps until the next deadline (at most
/// a second, so deadlines set by another server process are seen too) and wakes early when a commit
/// sets a new one. Several processes may run it on one database: each step re-reads its motion under
/// the council's lock, so every motion closes exactly once. A test with a fake clock runs without
/// it and calls the pass itself.
/// </summary>
public sealed partial class DeadlineService(Deadlines deadlines, Writer writer, TimeProvider clock, ILogger<DeadlineService> logger) : BackgroundService
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
                    await deadlines.PassAsync(stoppingToken);
                    next = await deadlines.NextAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database may be briefly unreachable; try again shortly rather than stop closing motions.
                    LogFailed(e);
                    next = null;
                }
                var now = clock.GetUtcNow();
                var sleep = next is { } at ? at - now : LongestSleep;
                sleep = sleep < TimeSpan.Zero ? TimeSpan.Zero : sleep > LongestSleep ? LongestSleep : sleep;
                if (sleep == TimeSpan.Zero)
                {
                    continue;
                }
                using var wakeOrSleep = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var delay = Task.Delay(sleep, clock, wakeOrSleep.Token);
                var woken = _wake.WaitAsync(wakeOrSleep.Token);
                await Task.WhenAny(delay, woken);
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
        if (entries.Any(e => e.Type is "deliberation-started" or "voting-started" or "lead-changed" or "motion-referred"))
        {
            _wake.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not process deadlines; retrying")]
    private partial void LogFailed(Exception error);
}
