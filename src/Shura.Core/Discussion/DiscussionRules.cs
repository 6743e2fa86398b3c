using Shura.Core.Motions;

namespace Shura.Core.Discussion;

/// <summary>
/// Who may say what in a motion's discussion, and when (DESIGN §2): members, from the motion's
/// proposal until its result is fixed; an author may change their words for a short while and take
/// them back at any time.
/// </summary>
public static class DiscussionRules
{
    /// <summary>The longest comment, in characters.</summary>
    public const int MaxLength = 10_000;

    /// <summary>How long after posting its author may still change a comment.</summary>
    public static readonly TimeSpan EditWindow = TimeSpan.FromMinutes(15);

    /// <summary>A comment as the rules need it.</summary>
    public sealed record Comment(CommentId Id, MotionId? Motion, AccountId Author, DateTimeOffset PostedAt, bool Deleted)
    {
        /// <summary>A reply from another server: its author is no account here.</summary>
        public bool FromFediverse { get; init; }

        /// <summary>The post discussed, for a comment on a post.</summary>
        public PostId? Post { get; init; }

        /// <summary>Hidden after flags, while (or since) the members decide: its author may not change its words meanwhile.</summary>
        public bool Hidden { get; init; }
    }

    /// <summary>Whether a motion's discussion is open: from its proposal until its result is fixed.</summary>
    public static bool IsOpen(MotionState state) => state is MotionState.Proposed or MotionState.Deliberation or MotionState.Voting;

    /// <param name="replyTo">The comment answered, if any, as it stands; null when none was named or it does not exist.</param>
    /// <param name="replyNamed">Whether the request named a comment to answer.</param>
    public static Verdict Post(
        CommentId id, Motion motion, AccountId actor, bool isMember, string? text, bool replyNamed, Comment? replyTo, Salts? salts = null)
    {
        if (!isMember)
        {
            return Refusal.Forbidden(Codes.NotAMember, "Only members take part in a council's discussions.");
        }
        if (!IsOpen(motion.State))
        {
            return Refusal.Conflict(Codes.DiscussionClosed, $"The motion is {motion.State.Name()}: its discussion is open from its proposal until its result is fixed.");
        }
        if (Text.Problem(text, "text", 1, MaxLength) is Refusal bad)
        {
            return bad;
        }
        if (replyNamed && (replyTo is null || replyTo.Motion != motion.Id))
        {
            return Refusal.NotFound("The comment answered");
        }
        return Verdict.Accept(new CommentPosted(id, motion.Council, motion.Id, replyTo?.Id, Texts.Seal(text!, salts), actor));
    }

    /// <summary>
    /// A post's discussion stays open while the post stands: a member comments on it, or answers a
    /// comment on it.
    /// </summary>
    public static Verdict PostOnPost(
        CommentId id, PostId post, CouncilId council, bool postStands, AccountId actor, bool isMember, string? text, bool replyNamed, Comment? replyTo,
        Salts? salts = null)
    {
        if (!isMember)
        {
            return Refusal.Forbidden(Codes.NotAMember, "Only members take part in a council's discussions.");
        }
        if (!postStands)
        {
            return Refusal.Conflict(Codes.DiscussionClosed, "The post was taken back: its discussion is closed.");
        }
        if (Text.Problem(text, "text", 1, MaxLength) is Refusal bad)
        {
            return bad;
        }
        if (replyNamed && (replyTo is null || replyTo.Post != post))
        {
            return Refusal.NotFound("The comment answered");
        }
        return Verdict.Accept(new CommentPosted(id, council, null, replyTo?.Id, Texts.Seal(text!, salts), actor) { Post = post });
    }

    /// <summary>
    /// A reply from another server to a post of a public council: taken while the post stands and is
    /// shown, answering the post or a comment on it; its words within the same bounds as a member's.
    /// </summary>
    public static Verdict FromFediverse(
        CommentId id, PostId post, CouncilId council, bool postShown, string? text, string author, Comment? replyTo, Salts salts)
    {
        if (!postShown)
        {
            return Refusal.Conflict(Codes.DiscussionClosed, "The post is not shown: its discussion takes no replies.");
        }
        if (Text.Problem(text, "content", 1, MaxLength) is Refusal bad)
        {
            return bad;
        }
        if (replyTo is not null && replyTo.Post != post)
        {
            return Refusal.NotFound("The comment answered");
        }
        return Verdict.Accept(new FediverseReplied(id, council, post, replyTo?.Id, salts.Hash(text!), salts.Hash(author)));
    }

    public static Verdict Edit(Comment comment, Motion motion, AccountId actor, string? text, DateTimeOffset now) =>
        Edit(comment, motion.Council, IsOpen(motion.State), $"The motion is {motion.State.Name()}: its discussion is closed.", actor, text, now);

    /// <param name="open">Whether the discussion is open (its motion before its result, its post standing).</param>
    public static Verdict Edit(Comment comment, CouncilId council, bool open, string closed, AccountId actor, string? text, DateTimeOffset now, Salts? salts = null)
    {
        if (comment.Author != actor)
        {
            return Refusal.Forbidden(Codes.NotAuthor, "Only its author can change a comment.");
        }
        if (comment.Deleted)
        {
            return Refusal.Conflict(Codes.CommentDeleted, "This comment was taken back.");
        }
        if (comment.Hidden)
        {
            return Refusal.Conflict(Codes.TextHidden, "This comment is hidden after flags: its words stay as the members judge them.");
        }
        if (!open)
        {
            return Refusal.Conflict(Codes.DiscussionClosed, closed);
        }
        if (now - comment.PostedAt > EditWindow)
        {
            return Refusal.Conflict(Codes.EditWindowPassed, $"A comment can be changed for {EditWindow.TotalMinutes:0} minutes after it is posted.");
        }
        if (Text.Problem(text, "text", 1, MaxLength) is Refusal bad)
        {
            return bad;
        }
        return Verdict.Accept(new CommentEdited(comment.Id, council, Texts.Seal(text!, salts), actor));
    }

    /// <summary>
    /// A reply from another server changed there by its author, under the rules of a member's change:
    /// not once taken back or hidden, not in a closed discussion, not after the edit window.
    /// (That it is its author who changes it, the inbox checked: the signer is the reply's.)
    /// </summary>
    public static Verdict FediverseEdit(Comment comment, CouncilId council, bool open, string closed, string? text, DateTimeOffset now, Salts salts)
    {
        if (!comment.FromFediverse)
        {
            return Refusal.Forbidden(Codes.NotAuthor, "Only its author can change a comment.");
        }
        var asMember = Edit(comment, council, open, closed, comment.Author, text, now, salts);
        return asMember.Refusal is { } refusal
            ? refusal with { Field = refusal.Field is "text" ? "content" : refusal.Field }
            : Verdict.Accept(new FediverseReplyEdited(comment.Id, council, ((CommentEdited)asMember.Events[0]).TextHash));
    }

    /// <summary>A reply from another server taken back there by its author.</summary>
    public static Verdict FediverseDelete(Comment comment, CouncilId council)
    {
        if (!comment.FromFediverse)
        {
            return Refusal.Forbidden(Codes.NotAuthor, "Only its author can take a comment back.");
        }
        return comment.Deleted
            ? Refusal.Conflict(Codes.CommentDeleted, "This comment was taken back already.")
            : Verdict.Accept(new FediverseReplyDeleted(comment.Id, council));
    }

    public static Verdict Delete(Comment comment, CouncilId council, AccountId actor)
    {
        if (comment.Author != actor)
        {
            return Refusal.Forbidden(Codes.NotAuthor, "Only its author can take a comment back.");
        }
        if (comment.Deleted)
        {
            return Refusal.Conflict(Codes.CommentDeleted, "This comment was taken back already.");
        }
        return Verdict.Accept(new CommentDeleted(comment.Id, council, actor));
    }
}
