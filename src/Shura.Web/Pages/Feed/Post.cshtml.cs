using Shura.Storage.Feed;

namespace Shura.Web.Pages.Feed;

/// <summary>One post of a council's feed, its Markdown shown as the safe HTML it renders to.</summary>
[RequestSizeLimit(Web.Feed.Images.MaxBytes + 256 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = Web.Feed.Images.MaxBytes + 256 * 1024)]
public sealed class PostModel(
    FeedQueries feed, CouncilQueries councils, Storage.Discussion.DiscussionQueries discussion, Storage.Moderation.ModerationQueries moderation, TimeProvider clock)
    : ShuraPage
{
    /// <summary>Whether this reader has flagged the post.</summary>
    public bool FlaggedPost { get; private set; }

    /// <summary>The post's discussion: open while the post stands.</summary>
    public Pages.Motions.DiscussionPart Discussion { get; private set; } = null!;

    public PostView? Post { get; private set; }

    /// <summary>For a call to action: its place, time, pledges and where it stands.</summary>
    public CallView? Call { get; private set; }

    public bool IsMember { get; private set; }

    /// <summary>Whether pledges may still be made or taken back: before the deadline, or without one before the start.</summary>
    public bool PledgesOpen { get; private set; }

    public string CouncilName { get; private set; } = "";

    /// <summary>How many on other servers of the federated social web liked and boosted it.</summary>
    public (int Likes, int Boosts) Reactions { get; private set; }

    /// <summary>The post's HTML, from <see cref="Web.Feed.Markdown.ToSafeHtml"/>: the one text this page writes as markup.</summary>
    public string Html => Post?.Text is { } text ? Web.Feed.Markdown.ToSafeHtml(text) : "";

    public bool IsAuthor => Me is { } me && Post?.Author == me.ToString();

    public async Task<IActionResult> OnGetAsync(PostId id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    [SignedIn]
    public Task<IActionResult> OnPostCommentAsync(PostId id, string? text, Guid? replyTo, CancellationToken ct) =>
        ChangeAsync(Limit.Creation, (s, me) => Storage.Discussion.DiscussionCommands.PostOnPost(s, id, me, text, replyTo is Guid r ? new CommentId(r) : null),
            () => LoadAsync(id, ct), $"/posts/{id}#discussion", ct);

    [SignedIn]
    public Task<IActionResult> OnPostEditCommentAsync(PostId id, Guid comment, string? text, CancellationToken ct) =>
        ChangeAsync(Limit.Creation, (s, me) => Storage.Discussion.DiscussionCommands.Edit(s, new CommentId(comment), me, text),
            () => LoadAsync(id, ct), $"/posts/{id}#comment-{comment}", ct);

    [SignedIn]
    public Task<IActionResult> OnPostDeleteCommentAsync(PostId id, Guid comment, CancellationToken ct) =>
        ChangeAsync(Limit.None, (s, me) => Storage.Discussion.DiscussionCommands.Delete(s, new CommentId(comment), me),
            () => LoadAsync(id, ct), $"/posts/{id}#comment-{comment}", ct);

    /// <summary>The author adds an image to their post; it is cleaned before anything is written.</summary>
    [SignedIn]
    public async Task<IActionResult> OnPostImageAsync(PostId id, IFormFile? image, string? description, CancellationToken ct)
    {
        var me = Person;
        var result = await HttpContext.RequestServices.GetRequiredService<Commands>().RunPreparedAsync<Core.Feed.CleanImage, ImageId>(me, Limit.Creation,
            () => image is null ? Task.FromResult<Result<Core.Feed.CleanImage>>(Refusal.Unprocessable(Codes.NotAnImage, "Choose an image file.", "image"))
                : Web.Feed.Images.CleanAsync(image, ct),
            cleaned => s => FeedCommands.AttachImage(s, id, me, cleaned, description), ct);
        if (result.Refusal is { } refused)
        {
            return await LoadAsync(id, ct) ? Refused(refused) : NotFound();
        }
        return GoTo($"/posts/{id}#images");
    }

    /// <summary>Flag a comment, take the flag back, or propose to erase it: <paramref name="act"/> is "flag", "unflag" or "erase".</summary>
    [SignedIn]
    public Task<IActionResult> OnPostModerateCommentAsync(PostId id, Guid comment, string? act, string? reasons, CancellationToken ct) =>
        ModerateAsync(Core.Moderation.Moderated.Of(new CommentId(comment)), act ?? "", reasons, () => LoadAsync(id, ct), $"/posts/{id}#comment-{comment}", ct);

    /// <summary>The same for the post itself.</summary>
    [SignedIn]
    public Task<IActionResult> OnPostModeratePostAsync(PostId id, string? act, string? reasons, CancellationToken ct) =>
        ModerateAsync(Core.Moderation.Moderated.Of(id), act ?? "", reasons, () => LoadAsync(id, ct), $"/posts/{id}", ct);

    [SignedIn]
    public Task<IActionResult> OnPostPledgeAsync(PostId id, CancellationToken ct) =>
        ChangeAsync(Limit.Ballot, (s, me) => CallCommands.Pledge(s, id, me), () => LoadAsync(id, ct), $"/posts/{id}#call", ct);

    [SignedIn]
    public Task<IActionResult> OnPostWithdrawPledgeAsync(PostId id, CancellationToken ct) =>
        ChangeAsync(Limit.Ballot, (s, me) => CallCommands.Withdraw(s, id, me), () => LoadAsync(id, ct), $"/posts/{id}#call", ct);

    [SignedIn]
    public Task<IActionResult> OnPostDeleteAsync(PostId id, CancellationToken ct) =>
        ChangeAsync(Limit.None, (s, me) => FeedCommands.Delete(s, id, me), () => LoadAsync(id, ct), $"/posts/{id}", ct);

    private async Task<bool> LoadAsync(PostId id, CancellationToken ct)
    {
        Post = await feed.GetAsync(id, ct);
        if (Post is null)
        {
            return false;
        }
        var view = await councils.GetAsync(new CouncilId(Guid.Parse(Post.Council)), ct);
        if (!await MayReadAsync(view, ct))
        {
            return false;
        }
        CouncilName = view!.Council.Name;
        IsMember = Me is { } me && await councils.IsMemberAsync(view.Council.Id, me, ct);
        Call = Post.Kind == "call" ? await feed.CallAsync(id, Me, clock.GetUtcNow(), ct) : null;
        Reactions = await Storage.Fediverse.Outbox.ReactionsAsync(HttpContext.RequestServices.GetRequiredService<Database>(), id, ct);
        bool stands = !Post.Deleted;
        var comments = await discussion.OfPostAsync(id, ct);
        var flagged = Me is { } reader && IsMember
            ? await moderation.FlaggedByAsync([.. Pages.Motions.DiscussionPart.Texts(comments), Core.Moderation.Moderated.Of(id)], reader, ct)
            : new HashSet<string>();
        Discussion = new Pages.Motions.DiscussionPart(comments, stands, stands && IsMember, Me, clock.GetUtcNow(), 0,
            Closed: "The post was taken back: its discussion is closed.")
        {
            MayModerate = IsMember, Flagged = flagged,
        };
        FlaggedPost = flagged.Contains(Core.Moderation.Moderated.Of(id).Key);
        PledgesOpen = Call is { Post.Shown: true } open
            && clock.GetUtcNow() < DateTimeOffset.Parse(open.Deadline ?? open.StartsAt, System.Globalization.CultureInfo.InvariantCulture);
        return true;
    }
}
