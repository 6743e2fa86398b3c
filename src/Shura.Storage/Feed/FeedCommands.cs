using Shura.Core.Feed;
using Shura.Storage.Councils;

namespace Shura.Storage.Feed;

/// <summary>Posts in a council's feed: publishing, taking back.</summary>
public static class FeedCommands
{
    /// <param name="images">Images published with the post, cleaned already, each with words describing it: all or nothing with the post.</param>
    public static Result<PostId> Publish(
        WriteSession s, CouncilId council, AccountId actor, string? kind, string? title, string? text, IReadOnlyList<(CleanImage Image, string? Description)>? images = null)
    {
        s.Lock(council);
        if (CouncilCommands.Load(s, council) is null)
        {
            return Refusal.NotFound("This council");
        }
        var id = new PostId(Guid.CreateVersion7(s.Now));
        var salts = new Core.Discussion.Salts();
        var verdict = FeedRules.Publish(id, council, actor, CouncilCommands.IsMember(s, council, actor), kind, title, text, salts);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        var post = new FeedRules.Post(id, council, actor, Deleted: false, Hidden: false, Images: 0);
        var attached = new List<Verdict>();
        foreach (var (image, description) in images ?? [])
        {
            var attach = Attach(s, post with { Images = attached.Count }, actor, image, description, salts, keep: false);
            if (attach.Refusal is { } bad)
            {
                return bad;
            }
            attached.Add(attach);
        }
        s.KeepText(title!, salts);
        s.KeepText(text!, salts);
        s.Append(verdict);
        foreach (var ((image, description), attach) in (images ?? []).Zip(attached))
        {
            s.KeepImage(image.Bytes);
            s.KeepText(description ?? "", salts);
            s.Append(attach);
        }
        return id;
    }

    /// <summary>The author adds an image, cleaned already, to their post while it stands.</summary>
    public static Result<ImageId> AttachImage(WriteSession s, PostId id, AccountId actor, CleanImage image, string? description)
    {
        var council = s.Scalar<string>("SELECT council_id FROM posts WHERE id = @id", new { id });
        if (council is null)
        {
            return Refusal.NotFound("This post");
        }
        var councilId = new CouncilId(Guid.Parse(council));
        s.Lock(councilId);
        var (author, deleted, hidden) = s.Query<(string Author, long Deleted, string? HiddenBy)>("SELECT author, deleted, hidden_by FROM posts WHERE id = @id", new { id }).Single();
        int count = (int)s.Scalar<long>("SELECT COUNT(*) FROM images WHERE post_id = @id", new { id });
        var post = new FeedRules.Post(id, councilId, new AccountId(Guid.Parse(author)), deleted != 0, hidden is not null, count);
        var verdict = Attach(s, post, actor, image, description, new Core.Discussion.Salts(), keep: true);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        s.Append(verdict);
        return verdict.Events.OfType<ImageAttached>().Single().Image;
    }

    private static Verdict Attach(
        WriteSession s, FeedRules.Post post, AccountId actor, CleanImage image, string? description, Core.Discussion.Salts salts, bool keep)
    {
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(image.Bytes));
        var verdict = FeedRules.AttachImage(new ImageId(Guid.CreateVersion7(s.Now)), post, actor, hash, image.ContentType, image.Width, image.Height, description, salts);
        if (keep && verdict.Refusal is null)
        {
            s.KeepImage(image.Bytes);
            s.KeepText(description ?? "", salts);
        }
        return verdict;
    }

    public static Result<PostId> Delete(WriteSession s, PostId id, AccountId actor)
    {
        var council = s.Scalar<string>("SELECT council_id FROM posts WHERE id = @id", new { id });
        if (council is null)
        {
            return Refusal.NotFound("This post");
        }
        var councilId = new CouncilId(Guid.Parse(council));
        s.Lock(councilId);
        var (author, deleted) = s.Query<(string Author, long Deleted)>("SELECT author, deleted FROM posts WHERE id = @id", new { id }).Single();
        var verdict = FeedRules.Delete(id, councilId, actor, new AccountId(Guid.Parse(author)), deleted != 0);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        s.Append(verdict);
        return id;
    }
}
