namespace Shura.Core.Moderation;

/// <summary>
/// A text the members can flag, hide and erase: a comment or a post (a call to action is a post).
/// Exactly one of the two is set.
/// </summary>
public sealed record Moderated(CommentId? Comment = null, PostId? Post = null)
{
    /// <summary>The one string that names it in the store and in pseudonyms: "comment:ID" or "post:ID".</summary>
    public string Key => Comment is { } c ? $"comment:{c}" : $"post:{Post}";

    public static Moderated Of(CommentId comment) => new(Comment: comment);

    public static Moderated Of(PostId post) => new(Post: post);
}

public abstract record ModerationEvent(CouncilId CouncilId, Moderated Text) : Event
{
    public override Guid? Council => CouncilId.Value;
}

/// <summary>
/// A member flagged a text. The flagger is a pseudonym for this text alone (<see cref="ModerationRules.Flagger"/>):
/// the log cannot tell the author who flagged them.
/// </summary>
public sealed record TextFlagged(CouncilId CouncilId, Moderated Text, string Flagger) : ModerationEvent(CouncilId, Text)
{
    public override string Actor => Flagger;
}

/// <summary>A member took their flag back before the text was hidden.</summary>
public sealed record TextUnflagged(CouncilId CouncilId, Moderated Text, string Flagger) : ModerationEvent(CouncilId, Text)
{
    public override string Actor => Flagger;
}

/// <summary>
/// Flags reached the council's threshold: the text is hidden, in the same request, and the motion
/// <paramref name="By"/> asks the members whether to keep it hidden or restore it.
/// </summary>
public sealed record TextHidden(CouncilId CouncilId, Moderated Text, MotionId By, int Flags, int Needed) : ModerationEvent(CouncilId, Text)
{
    public override string Actor => "flags";
}

/// <summary>The members did not keep the text hidden: it shows again, and its flags start over.</summary>
public sealed record TextRestored(CouncilId CouncilId, Moderated Text, MotionId By) : ModerationEvent(CouncilId, Text)
{
    public override string Actor => "clock";
}

/// <summary>
/// The members decided to erase the text: its words are deleted from beside the log for good, the
/// log keeps only its hash, so the chain still verifies.
/// </summary>
public sealed record TextErased(CouncilId CouncilId, Moderated Text, MotionId By) : ModerationEvent(CouncilId, Text)
{
    public override string Actor => "clock";
}
