using Shura.Core.Motions;
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
        var salts = new Salts();
        var verdict = DiscussionRules.Post(id, motion, actor, CouncilCommands.IsMember(s, council, actor), text, replyTo is not null, answered, salts);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        s.KeepText(text!, salts);
        s.Append(verdict);
        return id;
    }

    /// <summary>A comment on a post, or an answer to one: open while the post stands.</summary>
    public static Result<CommentId> PostOnPost(WriteSession s, PostId postId, AccountId actor, string? text, CommentId? replyTo)
    {
        var row = s.Query<(string Council, long Deleted)>("SELECT council_id, deleted FROM posts WHERE id = @postId", new { postId }).ToList();
        if (row.Count == 0)
        {
            return Refusal.NotFound("This post");
        }
        var council = new CouncilId(Guid.Parse(row[0].Council));
        s.Lock(council);
        bool stands = s.Scalar<long>("SELECT deleted FROM posts WHERE id = @postId", new { postId }) == 0;
        var answered = replyTo is { } r ? Load(s, r) : null;
        var id = new CommentId(Guid.CreateVersion7(s.Now));
        var salts = new Salts();
        var verdict = DiscussionRules.PostOnPost(id, postId, council, stands, actor, CouncilCommands.IsMember(s, council, actor), text, replyTo is not null, answered, salts);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        s.KeepText(text!, salts);
        s.Append(verdict);
        return id;
    }

    /// <summary>
    /// A reply from another server to a post (or to a comment on it), once: the same reply delivered
    /// again — servers retry — answers the comment it made. <paramref name="objectId"/> is the reply's
    /// own id there; <paramref name="author"/> its author's name and address (<see cref="DiscussionQueries.RemoteAuthor"/>).
    /// </summary>
    public static Result<CommentId> FromFediverse(WriteSession s, PostId postId, string objectId, string actor, string author, string? text, CommentId? replyTo)
    {
        var row = s.Query<(string Council, long Deleted, string? HiddenBy)>("SELECT council_id, deleted, hidden_by FROM posts WHERE id = @postId", new { postId }).ToList();
        if (row.Count == 0)
        {
            return Refusal.NotFound("This post");
        }
        var council = new CouncilId(Guid.Parse(row[0].Council));
        s.Lock(council);
        if (s.Scalar<string?>("SELECT comment_id FROM ap_replies WHERE object_id = @objectId", new { objectId }) is { } known)
        {
            return new CommentId(Guid.Parse(known));
        }
        var answered = replyTo is { } r ? Load(s, r) : null;
        if (replyTo is not null && answered is null)
        {
            return Refusal.NotFound("The comment answered");
        }
        var id = new CommentId(Guid.CreateVersion7(s.Now));
        var salts = new Salts();
        var verdict = DiscussionRules.FromFediverse(id, postId, council, row[0].Deleted == 0 && row[0].HiddenBy is null, text, author, answered, salts);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        s.KeepText(text!, salts);
        s.KeepText(author, salts);
        s.Append(verdict);
        s.Write("INSERT INTO ap_replies (object_id, comment_id, actor) VALUES (@objectId, @id, @actor)", new { objectId, id, actor });
        return id;
    }

    /// <summary>The reply from another server that <paramref name="actor"/> made there as <paramref name="objectId"/>, if that is who made it.</summary>
    private static CommentId? ReplyOf(WriteSession s, string objectId, string actor) =>
        s.Scalar<string?>("SELECT comment_id FROM ap_replies WHERE object_id = @objectId AND actor = @actor", new { objectId, actor }) is { } found
            ? new CommentId(Guid.Parse(found))
            : null;

    /// <summary>A reply from another server changed there by its author (an <c>Update</c> of its Note).</summary>
    public static Result<CommentId> FediverseEdit(WriteSession s, string objectId, string actor, string? text)
    {
        if (ReplyOf(s, objectId, actor) is not { } id)
        {
            return Refusal.NotFound("A reply by this actor with this id");
        }
        var salts = new Salts();
        return WithComment(s, id, (comment, place) => DiscussionRules.FediverseEdit(comment, place.Council, place.Open, place.Closed, text, s.Now, salts),
            () => s.KeepText(text!, salts));
    }

    /// <summary>A reply from another server taken back there by its author (a <c>Delete</c> of its Note).</summary>
    public static Result<CommentId> FediverseDelete(WriteSession s, string objectId, string actor) =>
        ReplyOf(s, objectId, actor) is { } id
            ? WithComment(s, id, (comment, place) => DiscussionRules.FediverseDelete(comment, place.Council), () => { })
            : Refusal.NotFound("A reply by this actor with this id");

    public static Result<CommentId> Edit(WriteSession s, CommentId id, AccountId actor, string? text)
    {
        var salts = new Salts();
        return WithComment(s, id, (comment, place) => DiscussionRules.Edit(comment, place.Council, place.Open, place.Closed, actor, text, s.Now, salts),
            () => s.KeepText(text!, salts));
    }

    public static Result<CommentId> Delete(WriteSession s, CommentId id, AccountId actor) =>
        WithComment(s, id, (comment, place) => DiscussionRules.Delete(comment, place.Council, actor), () => { });

    /// <summary>Where a comment is: its council, and whether its discussion is open (and if not, why).</summary>
    private sealed record Place(CouncilId Council, bool Open, string Closed);


    private static Result<CommentId> WithComment(
        WriteSession s, CommentId id, Func<DiscussionRules.Comment, Place, Verdict> decide, Action beforeAppend)
    {
        var council = s.Scalar<string>("SELECT council_id FROM comments WHERE id = @id", new { id });
        if (council is null)
        {
            return Refusal.NotFound("This comment");
        }
        var councilId = new CouncilId(Guid.Parse(council));
        s.Lock(councilId);
        var comment = Load(s, id)!;
        Place place;
        if (comment.Motion is { } motionId)
        {
            var motion = MotionCommands.Load(s, motionId)!;
            place = new Place(councilId, DiscussionRules.IsOpen(motion.State), $"The motion is {motion.State.Name()}: its discussion is closed.");
        }
        else
        {
            bool stands = s.Scalar<long>("SELECT deleted FROM posts WHERE id = @post", new { post = comment.Post }) == 0;
            place = new Place(councilId, stands, "The post was taken back: its discussion is closed.");
        }
        var verdict = decide(comment, place);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        beforeAppend();
        s.Append(verdict);
        return id;
    }

    private static DiscussionRules.Comment? Load(WriteSession s, CommentId id) =>
        s.Query<(string? Motion, string? Post, string Author, string PostedAt, long Deleted, string? HiddenBy)>(
            "SELECT motion_id, post_id, author, posted_at, deleted, hidden_by FROM comments WHERE id = @id", new { id })
            .Select(row => new DiscussionRules.Comment(id, row.Motion is null ? null : new MotionId(Guid.Parse(row.Motion)), new AccountId(Guid.TryParse(row.Author, out var author) ? author : Guid.Empty),
                WriteSession.Parse(row.PostedAt), row.Deleted != 0)
            {
                Post = row.Post is null ? null : new PostId(Guid.Parse(row.Post)), Hidden = row.HiddenBy is not null,
                FromFediverse = row.Author == Core.Discussion.FediverseReplied.From,
            })
            .FirstOrDefault();
}
