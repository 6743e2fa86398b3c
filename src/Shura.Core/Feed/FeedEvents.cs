namespace Shura.Core.Feed;

/// <summary>What a post is (DESIGN §2, P6): the council speaking for itself.</summary>
public enum PostKind
{
    Report,
    News,
    Statement,

    /// <summary>A call to action: a time, a place, sign-ups, perhaps a pledge threshold.</summary>
    Call,
}

public abstract record FeedEvent(PostId Post, CouncilId CouncilId, AccountId By) : Event
{
    public override Guid? Council => CouncilId.Value;

    public override string Actor => By.ToString();
}

/// <summary>
/// A member published a post in the council's feed. Its title and text are kept beside the log
/// (<see cref="Discussion.Texts"/>), the log holds their hashes, so either can be erased.
/// </summary>
public sealed record PostPublished(PostId Post, CouncilId CouncilId, PostKind Kind, string TitleHash, string TextHash, AccountId By)
    : FeedEvent(Post, CouncilId, By);

/// <summary>The author took their post back: its words are erased, the log keeps its hashes.</summary>
public sealed record PostDeleted(PostId Post, CouncilId CouncilId, AccountId By) : FeedEvent(Post, CouncilId, By);

/// <summary>
/// A call to action (DESIGN §2): a post with a time, a place and sign-ups, and perhaps a pledge
/// threshold and deadline ("this goes ahead if at least N pledge by then"). Its place is kept
/// beside the log like its words. It may say when it ends; a call that does not is written as
/// calls were before there was an end (the field left out), so older logs still verify.
/// </summary>
public sealed record CallPublished(
    PostId Post, CouncilId CouncilId, string TitleHash, string TextHash, string PlaceHash, DateTimeOffset StartsAt,
    int? Threshold, DateTimeOffset? Deadline, AccountId By,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    DateTimeOffset? EndsAt = null) : FeedEvent(Post, CouncilId, By);

/// <summary>A member pledged to a call to action (signed up for it).</summary>
public sealed record Pledged(PostId Post, CouncilId CouncilId, AccountId By) : FeedEvent(Post, CouncilId, By);

/// <summary>A member took their pledge back before the deadline.</summary>
public sealed record PledgeWithdrawn(PostId Post, CouncilId CouncilId, AccountId By) : FeedEvent(Post, CouncilId, By);

/// <summary>The pledge of <see cref="FeedEvent.By"/> was the threshold's: the call is on, in that same request.</summary>
public sealed record CallOn(PostId Post, CouncilId CouncilId, int Pledges, AccountId By) : FeedEvent(Post, CouncilId, By);

/// <summary>A pledge taken back before the deadline left the call below its threshold: it is off again.</summary>
public sealed record CallOff(PostId Post, CouncilId CouncilId, int Pledges, AccountId By) : FeedEvent(Post, CouncilId, By);

/// <summary>
/// The author attached an image to their post. Its bytes — pixels re-encoded, every metadata block
/// gone — are kept beside the log like the post's words; the log holds their SHA-256, and the hash
/// of the words describing it for those who cannot see it.
/// </summary>
public sealed record ImageAttached(
    ImageId Image, PostId Post, CouncilId CouncilId, string Hash, string ContentType, int Width, int Height, string DescriptionHash, AccountId By)
    : FeedEvent(Post, CouncilId, By);
