using Shura.Core;
using Shura.Core.Motions;
using Shura.Storage.Councils;

namespace Shura.Storage.Motions;

/// <summary>A ballot as acknowledged: the receipt is the hash of its log entry, which the voter can find in the log.</summary>
public sealed record BallotReceipt(string Receipt, MotionBallot Ballot);

/// <summary>The motion lifecycle and voting, each step one transaction with its log entries.</summary>
public static class MotionCommands
{
    public static Result<MotionId> Put(WriteSession s, CouncilId councilId, AccountId actor, MotionRequest request)
    {
        s.Lock(councilId.ToString());
        if (CouncilCommands.Load(s, councilId) is not { } council)
        {
            return Refusal.NotFound("This council");
        }
        var id = new MotionId(Guid.CreateVersion7(s.Now));
        var target = request.Repeals is { } repeals ? Load(s, repeals) : null;
        var verdict = Core.Motions.Motions.Put(id, request, council, actor, CouncilCommands.IsMember(s, councilId, actor),
            CouncilCommands.MemberCount(s, councilId), target, s.Now);
        return Append(s, verdict, id);
    }

    public static Result<MotionId> Propose(WriteSession s, MotionId id, AccountId actor) =>
        WithMotion(s, id, actor, (motion, isMember) =>
            isMember
                ? Core.Motions.Motions.Propose(motion, CouncilCommands.Load(s, motion.Council)!.Settings, actor, CouncilCommands.MemberCount(s, motion.Council), s.Now)
                : Refusal.Forbidden("not-a-member", "Only members can propose motions."));

    public static Result<MotionId> Support(WriteSession s, MotionId id, AccountId actor) =>
        WithMotion(s, id, actor, (motion, isMember) =>
        {
            bool supports = s.Scalar<long>("SELECT COUNT(*) FROM supports WHERE motion_id = @id AND account_id = @actor",
                new { id = id.ToString(), actor = actor.ToString() }) > 0;
            var settings = CouncilCommands.Load(s, motion.Council)!.Settings;
            return Core.Motions.Motions.Support(motion, settings, actor, isMember, supports, CouncilCommands.MemberCount(s, motion.Council), s.Now);
        });

    public static Result<int> Amend(WriteSession s, MotionId id, AccountId actor, string? text)
    {
        int number = 0;
        var result = WithMotion(s, id, actor, (motion, isMember) =>
        {
            number = (int)s.Scalar<long>("SELECT COUNT(*) FROM amendments WHERE motion_id = @id", new { id = id.ToString() }) + 1;
            return Core.Motions.Motions.Amend(motion, actor, isMember, number, text);
        });
        return result.Refusal is { } refusal ? refusal : number;
    }

    public static Result<MotionId> Adopt(WriteSession s, MotionId id, AccountId actor, int number) =>
        WithMotion(s, id, actor, (motion, _) =>
        {
            bool exists = s.Scalar<long>("SELECT COUNT(*) FROM amendments WHERE motion_id = @id AND number = @number",
                new { id = id.ToString(), number }) > 0;
            return Core.Motions.Motions.Adopt(motion, actor, number, exists);
        });

    public static Result<BallotReceipt> Cast(WriteSession s, MotionId id, AccountId actor, MotionBallot ballot)
    {
        BallotCast? cast = null;
        var result = WithMotion(s, id, actor, (motion, isMember) =>
        {
            var verdict = Core.Motions.Motions.Cast(motion, actor, isMember, Core.Motions.Motions.Voter(motion, actor, s.PseudonymKey), ballot, s.Now);
            cast = verdict.Events.OfType<BallotCast>().FirstOrDefault();
            return verdict;
        }, out var entries);
        return result.Refusal is { } refusal ? refusal : new BallotReceipt(entries[0].Hash, cast!.Ballot);
    }

    public static Result<MotionId> Withdraw(WriteSession s, MotionId id, AccountId actor) =>
        WithMotion(s, id, actor, (motion, isMember) =>
        {
            string voter = Core.Motions.Motions.Voter(motion, actor, s.PseudonymKey);
            bool hasBallot = s.Scalar<long>("SELECT COUNT(*) FROM ballots WHERE motion_id = @id AND voter = @voter",
                new { id = id.ToString(), voter }) > 0;
            return Core.Motions.Motions.Withdraw(motion, isMember, voter, hasBallot, s.Now);
        });

    /// <summary>
    /// Moves on every motion whose deadline has passed: deliberation to voting, voting to its
    /// result. Each motion is re-read under its council's lock, so a motion is closed exactly once
    /// even when several server processes share one database.
    /// </summary>
    public static IReadOnlyList<MotionId> AdvanceDue(WriteSession s, int max = 100)
    {
        var due = s.Query<string>("""
            SELECT id FROM motions
            WHERE (state = 'deliberation' AND deliberation_ends_at <= @now) OR (state = 'voting' AND voting_ends_at <= @now)
            ORDER BY COALESCE(voting_ends_at, deliberation_ends_at) LIMIT @max
            """, new { now = s.Time, max }).Select(id => new MotionId(Guid.Parse(id))).ToList();
        var moved = new List<MotionId>();
        foreach (var id in due)
        {
            if (s.CouncilOf(id) is not { } councilId)
            {
                continue;
            }
            s.Lock(councilId.ToString());
            var motion = Load(s, id)!;
            var council = CouncilCommands.Load(s, motion.Council)!;
            Verdict verdict = motion.State switch
            {
                MotionState.Deliberation => Core.Motions.Motions.Advance(motion, council.Settings, s.Now),
                MotionState.Voting => Close(s, motion),
                _ => Refusal.Conflict("nothing-due", "Already moved on."),
            };
            if (verdict.IsAccepted)
            {
                s.Append(verdict);
                moved.Add(id);
            }
        }
        return moved;
    }

    private static Verdict Close(WriteSession s, Motion motion)
    {
        var ballots = Ballots(s, motion.Id);
        long electorate = CouncilCommands.MemberCount(s, motion.Council);
        string seed = s.Scalar<string>("SELECT seed FROM motions WHERE id = @id", new { id = motion.Id.ToString() }) ?? "";
        var target = motion.Repeals is { } repeals ? Load(s, repeals) : null;
        string applicant = motion.Applicant is { } a ? CouncilCommands.AccountName(s, a) : "";
        return Core.Motions.Motions.Close(motion, ballots, electorate, seed, target, applicant, s.Now);
    }

    /// <summary>The earliest deadline still ahead, so the deadline service knows when to wake.</summary>
    public static DateTimeOffset? NextDeadline(WriteSession s)
    {
        string? next = s.Scalar<string>("""
            SELECT MIN(t) FROM (
                SELECT deliberation_ends_at AS t FROM motions WHERE state = 'deliberation'
                UNION ALL SELECT voting_ends_at AS t FROM motions WHERE state = 'voting') AS deadlines
            """);
        return next is null ? null : WriteSession.Parse(next);
    }

    internal static IReadOnlyList<Motion> OpenMotions(WriteSession s, CouncilId council) =>
        [.. s.Query<Rows.MotionRow>($"SELECT {Rows.MotionColumns} FROM motions WHERE council_id = @council AND state = 'voting'",
            new { council = council.ToString() }).Select(r => r.ToMotion())];

    internal static Motion? Load(WriteSession s, MotionId id) =>
        s.Single<Rows.MotionRow>($"SELECT {Rows.MotionColumns} FROM motions WHERE id = @id", new { id = id.ToString() })?.ToMotion();

    internal static List<MotionBallot> Ballots(WriteSession s, MotionId id) =>
        [.. s.Query<string>("SELECT ballot FROM ballots WHERE motion_id = @id", new { id = id.ToString() }).Select(Projector.FromJson<MotionBallot>)];

    private static Result<MotionId> WithMotion(WriteSession s, MotionId id, AccountId actor, Func<Motion, bool, Verdict> decide) =>
        WithMotion(s, id, actor, decide, out _);

    private static Result<MotionId> WithMotion(
        WriteSession s, MotionId id, AccountId actor, Func<Motion, bool, Verdict> decide, out IReadOnlyList<Core.Log.LogEntry> entries)
    {
        entries = [];
        if (s.CouncilOf(id) is not { } council)
        {
            return Refusal.NotFound("This motion");
        }
        // Lock first, then read what the decision rests on (see WriteSession.Lock).
        s.Lock(council.ToString());
        var motion = Load(s, id)!;
        var verdict = decide(motion, CouncilCommands.IsMember(s, council, actor));
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        entries = s.Append(verdict);
        return id;
    }

    private static Result<MotionId> Append(WriteSession s, Verdict verdict, MotionId id)
    {
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        s.Append(verdict);
        return id;
    }
}
