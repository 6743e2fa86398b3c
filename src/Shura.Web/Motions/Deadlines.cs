using Shura.Storage.Mandates;
using Shura.Storage.Motions;

namespace Shura.Web.Motions;

/// <summary>
/// One pass of deadline work: every motion whose deadline has passed moves on (deliberation into
/// voting, voting into its result) and every continuously elected mandate whose lead has lasted its
/// settle period changes holders. Each motion and each mandate is its own piece of work, written by
/// the one writer in its own step: one that fails is logged, retried later
/// (<see cref="DeadlineFailures"/>) and left out meanwhile, and never stops another from moving on
/// time (DESIGN §8). The <see cref="DeadlineService"/> runs passes as deadlines come; tests with a
/// fake clock call <see cref="PassAsync"/> themselves, after moving the clock.
/// </summary>
public sealed partial class Deadlines(Writer writer, DeadlineFailures failures, ILogger<Deadlines> logger)
{
    private const int Round = 100;

    /// <summary>Moves on what is due now, a round at a time until nothing is; returns how much moved.</summary>
    public async Task<int> PassAsync(CancellationToken ct)
    {
        int moved = 0;
        while (true)
        {
            var waiting = failures.Waiting();
            var motions = await writer.RunAsync(s => MotionCommands.Due(s, Keys<MotionId>(waiting, "motion", g => new(g)), Round), ct);
            var movedOn = await Task.WhenAll(motions.Select(m => MoveOnAsync(m, ct)));
            var mandates = await writer.RunAsync(s => MandateCommands.DueToSettle(s, Keys<MandateId>(waiting, "mandate", g => new(g)), Round), ct);
            var settled = await Task.WhenAll(mandates.Select(m => SettleAsync(m, ct)));
            int now = movedOn.Count(m => m) + settled.Count(m => m);
            moved += now;
            if (now == 0)
            {
                return moved;
            }
        }
    }

    /// <summary>When the next deadline falls (past ones of work waiting for a retry aside), or when that retry is due.</summary>
    public async Task<DateTimeOffset?> NextAsync(CancellationToken ct)
    {
        var skip = failures.Waiting().Select(k => Guid.Parse(k[(k.IndexOf(':') + 1)..])).ToList();
        var next = await writer.RunAsync(s => MotionCommands.NextDeadline(s, skip), ct);
        return failures.NextRetry is { } retry && (next is null || retry < next) ? retry : next;
    }

    private Task<bool> MoveOnAsync(MotionId motion, CancellationToken ct) =>
        OneAsync($"motion:{motion}", async () =>
        {
            bool moved = await writer.RunAsync(s => MotionCommands.MoveOn(s, motion), ct);
            if (moved)
            {
                LogMovedOn(motion.ToString());
            }
            return moved;
        });

    private Task<bool> SettleAsync(MandateId mandate, CancellationToken ct) =>
        OneAsync($"mandate:{mandate}", async () =>
        {
            await writer.RunAsync(s => { MandateCommands.SettleOne(s, mandate); return true; }, ct);
            LogSettled(mandate.ToString());
            return true;
        });

    /// <summary>One piece of deadline work: its failure is counted and logged under its key, and stops nothing else.</summary>
    private async Task<bool> OneAsync(string key, Func<Task<bool>> work)
    {
        try
        {
            bool done = await work();
            failures.Succeeded(key);
            return done;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failed(key, e);
            return false;
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Deadline passed: motion {Motion} moved on")]
    private partial void LogMovedOn(string motion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Settle period passed: mandate {Mandate} settled")]
    private partial void LogSettled(string mandate);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deadline work on {Work} failed; it will be retried, and other work goes on")]
    private partial void LogWorkFailed(string work, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deadline work on {Work} failed again ({Attempts} times in a row): {Error}")]
    private partial void LogWorkFailedAgain(string work, int attempts, string error);
}
