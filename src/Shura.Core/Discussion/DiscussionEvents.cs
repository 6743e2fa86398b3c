using System.Security.Cryptography;
using System.Text;

namespace Shura.Core.Discussion;

/// <summary>
/// A comment's words are kept beside the log, not in it: the log holds their SHA-256
/// (<see cref="Texts.Hash"/>), so a text can be erased — by its author, or by the members —
/// without breaking the chain (DESIGN §2, moderation).
/// </summary>
public static class Texts
{
    /// <summary>The hash the log holds for a text: SHA-256 of its UTF-8 bytes, lower-case hex.</summary>
    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

public abstract record DiscussionEvent(CommentId Comment, CouncilId CouncilId, AccountId By) : Event
{
    public override Guid? Council => CouncilId.Value;

    public override string Actor => By.ToString();
}

/// <summary>A member said something on a motion or a post, or answered a comment (<see cref="ReplyTo"/>).</summary>
public sealed record CommentPosted(CommentId Comment, CouncilId CouncilId, MotionId? Motion, CommentId? ReplyTo, string TextHash, AccountId By)
    : DiscussionEvent(Comment, CouncilId, By)
{
    /// <summary>The post discussed, for a comment on a post (then <see cref="Motion"/> is null).</summary>
    public PostId? Post { get; init; }
}

/// <summary>The author changed their words within the editing window; the earlier hash stays in the log.</summary>
public sealed record CommentEdited(CommentId Comment, CouncilId CouncilId, string TextHash, AccountId By)
    : DiscussionEvent(Comment, CouncilId, By);

/// <summary>The author took their comment back: its words are erased, its place in the thread stays.</summary>
public sealed record CommentDeleted(CommentId Comment, CouncilId CouncilId, AccountId By)
    : DiscussionEvent(Comment, CouncilId, By);
