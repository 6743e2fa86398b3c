using System.Security.Cryptography;
using System.Text;

namespace Shura.Core.Discussion;

/// <summary>
/// Words said in a council — comments, posts, calls, image descriptions — are kept beside the log,
/// not in it: the log holds a hash of them, so a text can be erased, by its author or by the
/// members, without breaking the chain (DESIGN §2, moderation). The hash is salted: SHA-256 of a
/// random salt, a line feed and the text, the salt kept beside the text and erased with it. Once
/// a text is erased nobody can confirm a guess of it against the log — "did the erased comment give
/// this address?" — as they could with a bare hash of the words.
/// </summary>
public static class Texts
{
    /// <summary>The hash of a text kept before texts were salted: SHA-256 of its UTF-8 bytes, lower-case hex.</summary>
    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The hash the log holds for a text said with <paramref name="salt"/>.</summary>
    public static string Hash(string text, string salt) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + "\n" + text)));

    /// <summary>The hash of <paramref name="text"/> as this command says it: salted when the command gave salts.</summary>
    public static string Seal(string text, Salts? salts) => salts?.Hash(text) ?? Hash(text);
}

/// <summary>
/// Fresh random salts for the texts one command says, each remembered so that the words kept
/// beside the log are kept with the salt their hash was made with.
/// </summary>
public sealed class Salts
{
    private readonly Dictionary<string, string> _given = new(StringComparer.Ordinal);

    /// <summary>The salted hash of a text, giving it a salt the first time this command says it.</summary>
    public string Hash(string text) => Texts.Hash(text, SaltOf(text));

    /// <summary>The salt of a text this command says: 16 random bytes, as hex.</summary>
    public string SaltOf(string text)
    {
        if (!_given.TryGetValue(text, out string? salt))
        {
            _given[text] = salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        }
        return salt;
    }
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

/// <summary>
/// Someone on another server of the federated social web answered a council's post (or a comment
/// on it): their reply joins the post's discussion as a comment marked as coming from there, which
/// the members moderate like any other. Who wrote it (their name and address there) is kept beside
/// the log like the words, the log holding a salted hash of each, so an erasure takes both away.
/// </summary>
public sealed record FediverseReplied(CommentId Comment, CouncilId CouncilId, PostId Post, CommentId? ReplyTo, string TextHash, string AuthorHash) : Event
{
    /// <summary>How the log names the author of what came from another server: never an account here.</summary>
    public const string From = "fediverse";

    public override Guid? Council => CouncilId.Value;

    public override string Actor => From;
}

/// <summary>
/// The author of a reply from another server changed it there (an <c>Update</c> of their Note),
/// within the window a member has to change a comment: its words here change with it.
/// </summary>
public sealed record FediverseReplyEdited(CommentId Comment, CouncilId CouncilId, string TextHash) : Event
{
    public override Guid? Council => CouncilId.Value;

    public override string Actor => FediverseReplied.From;
}

/// <summary>
/// The author of a reply from another server took it back there (a <c>Delete</c> of their Note):
/// its words and their name go, as a member's taken-back comment's words do; its place in the thread stays.
/// </summary>
public sealed record FediverseReplyDeleted(CommentId Comment, CouncilId CouncilId) : Event
{
    public override Guid? Council => CouncilId.Value;

    public override string Actor => FediverseReplied.From;
}
