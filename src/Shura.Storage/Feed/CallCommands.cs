using Shura.Core.Feed;
using Shura.Storage.Councils;

namespace Shura.Storage.Feed;

/// <summary>Calls to action: publishing one, pledging to it, taking a pledge back.</summary>
public static class CallCommands
{
    public static Result<PostId> Publish(
        WriteSession s, CouncilId council, AccountId actor, string? title, string? text, string? place,
        DateTimeOffset? startsAt, int? threshold, DateTimeOffset? deadline, DateTimeOffset? endsAt = null)
    {
        s.Lock(council);
        if (CouncilCommands.Load(s, council) is null)
        {
            return Refusal.NotFound("This council");
        }
        var id = new PostId(Guid.CreateVersion7(s.Now));
        var salts = new Core.Discussion.Salts();
        var verdict = CallRules.Publish(id, council, actor, CouncilCommands.IsMember(s, council, actor), title, text, place, startsAt, threshold, deadline, s.Now, salts, endsAt);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        foreach (string words in new[] { title!, text!, place! })
        {
            s.KeepText(words, salts);
        }
        s.Append(verdict);
        return id;
    }

    /// <summary>A decided motion turned into a call to action in one step, with its title and text.</summary>
    public static Result<PostId> FromDecision(
        WriteSession s, MotionId motionId, AccountId actor, string? place, DateTimeOffset? startsAt, int? threshold, DateTimeOffset? deadline,
        DateTimeOffset? endsAt = null)
    {
        if (s.CouncilOf(motionId) is not { } council)
        {
            return Refusal.NotFound("This motion");
        }
        s.Lock(council);
        var motion = Motions.MotionCommands.Load(s, motionId)!;
        var id = new PostId(Guid.CreateVersion7(s.Now));
        var salts = new Core.Discussion.Salts();
        string? inForce = InForce(s, motion);
        var verdict = CallRules.FromDecision(id, motion, actor, CouncilCommands.IsMember(s, council, actor), place, startsAt, threshold, deadline, s.Now,
            inForce, salts, endsAt);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        foreach (string words in new[] { motion.Title, CallRules.TextOf(motion, inForce), place! })
        {
            s.KeepText(words, salts);
        }
        s.Append(verdict);
        return id;
    }

    /// <summary>The counter-proposal in force, when one won a contested decision: its text, not the original's, is what the call carries out.</summary>
    private static string? InForce(WriteSession s, Core.Motions.Motion motion)
    {
        if (!motion.IsContested || motion.State != Core.Motions.MotionState.InForce
            || s.Scalar<string>("SELECT result FROM motions WHERE id = @id", new { id = motion.Id }) is not { } result
            || Core.Motions.MotionResult.Read(result).Winners is not [var winner]
            || Core.Motions.CounterProposals.Number(winner) is not int number)
        {
            return null;
        }
        return s.Scalar<string>("SELECT text FROM counter_proposals WHERE motion_id = @id AND number = @number", new { id = motion.Id, number });
    }

    public static Result<PostId> Pledge(WriteSession s, PostId id, AccountId actor) =>
        WithCall(s, id, (call, pledged) => CallRules.Pledge(call, actor, CouncilCommands.IsMember(s, call.Council, actor), pledged, s.Now), actor);

    public static Result<PostId> Withdraw(WriteSession s, PostId id, AccountId actor) =>
        WithCall(s, id, (call, pledged) => CallRules.Withdraw(call, actor, pledged, s.Now), actor);

    private static Result<PostId> WithCall(WriteSession s, PostId id, Func<CallRules.Call, bool, Verdict> decide, AccountId actor)
    {
        var council = s.Scalar<string>("SELECT p.council_id FROM posts p JOIN calls c ON c.post_id = p.id WHERE p.id = @id", new { id });
        if (council is null)
        {
            return Refusal.NotFound("This call to action");
        }
        var councilId = new CouncilId(Guid.Parse(council));
        s.Lock(councilId);
        var row = s.Query<(string StartsAt, long? Threshold, string? Deadline, long Pledges, long On, long Deleted)>("""
            SELECT c.starts_at, c.threshold, c.deadline, c.pledges, c.going_ahead, p.deleted FROM calls c JOIN posts p ON p.id = c.post_id WHERE c.post_id = @id
            """, new { id }).Single();
        var call = new CallRules.Call(id, councilId, WriteSession.Parse(row.StartsAt), (int?)row.Threshold,
            row.Deadline is null ? null : WriteSession.Parse(row.Deadline), (int)row.Pledges, row.On != 0, row.Deleted != 0);
        bool pledged = s.Scalar<long>("SELECT COUNT(*) FROM pledges WHERE post_id = @id AND person = @actor", new { id, actor }) > 0;
        var verdict = decide(call, pledged);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        s.Append(verdict);
        return id;
    }
}
