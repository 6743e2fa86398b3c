using Shura.Core.Feed;
using Shura.Storage.Councils;

namespace Shura.Storage.Feed;

/// <summary>Posts in a council's feed: publishing, taking back.</summary>
public static class FeedCommands
{
    public static Result<PostId> Publish(WriteSession s, CouncilId council, AccountId actor, string? kind, string? title, string? text)
    {
        s.Lock(council);
        if (CouncilCommands.Load(s, council) is null)
        {
            return Refusal.NotFound("This council");
        }
        var id = new PostId(Guid.CreateVersion7(s.Now));
        var verdict = FeedRules.Publish(id, council, actor, CouncilCommands.IsMember(s, council, actor), kind, title, text);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        s.KeepText(title!);
        s.KeepText(text!);
        s.Append(verdict);
        return id;
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
