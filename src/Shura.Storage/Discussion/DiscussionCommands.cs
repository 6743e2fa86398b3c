using Shura.Core.Discussion;
using Shura.Storage.Councils;
using Shura.Storage.Motions;

namespace Shura.Storage.Discussion;

/// <summary>Comments on motions: posting, answering, changing within the window, taking back.</summary>
public static class DiscussionCommands
{
    public static Result<CommentId> Post(WriteSession s, MotionId motionId, AccountId actor, string? text, CommentId? replyTo)
    {
        if (s.CouncilOf(motionId) is not { } council)
        {
            return Refusal.NotFound("This motion");
        }
        s.Lock(council);
        var motion = MotionCommands.Load(s, motionId)!;
        var answered = replyTo is { } r ? Load(s, r) : null;
        var id = new CommentId(Guid.CreateVersion7(s.Now));
        var verdict = DiscussionRules.Post(id, motion, actor, CouncilCommands.IsMember(s, council, actor), text, replyTo is not null, answered);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        Keep(s, text!);
        s.Append(verdict);
        return id;
    }

    public static Result<CommentId> Edit(WriteSession s, CommentId id, AccountId actor, string? text) =>
        WithComment(s, id, (comment, motion) => DiscussionRules.Edit(comment, motion, actor, text, s.Now), () => Keep(s, text!));

    public static Result<CommentId> Delete(WriteSession s, CommentId id, AccountId actor) =>
        WithComment(s, id, (comment, motion) => DiscussionRules.Delete(comment, motion.Council, actor), () => { });

    /// <summary>Stores a text beside the log, under the hash the log will hold (once, however often it is said).</summary>
    private static void Keep(WriteSession s, string text) =>
        s.Write("INSERT INTO texts (hash, body) VALUES (@hash, @text) ON CONFLICT (hash) DO NOTHING", new { hash = Texts.Hash(text), text });

    private static Result<CommentId> WithComment(
        WriteSession s, CommentId id, Func<DiscussionRules.Comment, Core.Motions.Motion, Verdict> decide, Action beforeAppend)
    {
        var council = s.Scalar<string>("SELECT council_id FROM comments WHERE id = @id", new { id });
        if (council is null)
        {
            return Refusal.NotFound("This comment");
        }
        s.Lock(new CouncilId(Guid.Parse(council)));
        var comment = Load(s, id)!;
        var verdict = decide(comment, MotionCommands.Load(s, comment.Motion)!);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        beforeAppend();
        s.Append(verdict);
        return id;
    }

    private static DiscussionRules.Comment? Load(WriteSession s, CommentId id) =>
        s.Query<(string Motion, string Author, string PostedAt, long Deleted)>(
            "SELECT motion_id, author, posted_at, deleted FROM comments WHERE id = @id", new { id })
            .Select(row => new DiscussionRules.Comment(id, new MotionId(Guid.Parse(row.Motion)), new AccountId(Guid.Parse(row.Author)),
                WriteSession.Parse(row.PostedAt), row.Deleted != 0))
            .FirstOrDefault();
}
