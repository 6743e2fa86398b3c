namespace Shura.Core.Feed;

/// <summary>What a post is (DESIGN §2, P6): the council speaking for itself.</summary>
public enum PostKind
{
    Report,
    News,
    Statement,
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
