using Shura.Core.Discussion;

namespace Shura.Core.Feed;

/// <summary>An image as it is kept: re-encoded pixels and nothing else (made so by the web's image cleaner).</summary>
public sealed record CleanImage(byte[] Bytes, string ContentType, int Width, int Height);

/// <summary>Who may publish in a council's feed, and take a post back (DESIGN §2, P6): any member, and the author.</summary>
public static class FeedRules
{
    public const int MaxTitle = 200;

    /// <summary>The longest post, in characters of Markdown.</summary>
    public const int MaxText = 50_000;

    public static bool TryParse(string? kind, out PostKind parsed)
    {
        (bool ok, parsed) = kind switch
        {
            "report" => (true, PostKind.Report),
            "news" => (true, PostKind.News),
            "statement" => (true, PostKind.Statement),
            _ => (false, PostKind.Report),
        };
        return ok;
    }

    public static string Name(this PostKind kind) => kind switch
    {
        PostKind.Report => "report",
        PostKind.News => "news",
        PostKind.Call => "call",
        _ => "statement",
    };

    public static Verdict Publish(PostId id, CouncilId council, AccountId actor, bool isMember, string? kind, string? title, string? text, Salts? salts = null)
    {
        if (!isMember)
        {
            return Refusal.Forbidden(Codes.NotAMember, "Only members publish in a council's feed.");
        }
        if (!TryParse(kind, out var parsed))
        {
            return Refusal.Invalid(Codes.InvalidField, "kind must be report, news or statement.", "kind");
        }
        if (Text.NameProblem(title, "title", 1, MaxTitle) is Refusal badTitle)
        {
            return badTitle;
        }
        if (Text.Problem(text, "text", 1, MaxText) is Refusal badText)
        {
            return badText;
        }
        return Verdict.Accept(new PostPublished(id, council, parsed, Texts.Seal(title!, salts), Texts.Seal(text!, salts), actor));
    }

    /// <summary>The most images one post carries.</summary>
    public const int MaxImages = 10;

    /// <summary>The longest description of an image, read by those who cannot see it.</summary>
    public const int MaxDescription = 1_000;

    /// <summary>A post as attaching an image needs it.</summary>
    public sealed record Post(PostId Id, CouncilId Council, AccountId Author, bool Deleted, bool Hidden, int Images);

    /// <summary>
    /// The author attaches an image, already cleaned (<paramref name="hash"/> of its bytes), to their
    /// post while it stands, with words describing it for those who cannot see it.
    /// </summary>
    public static Verdict AttachImage(
        ImageId id, Post post, AccountId actor, string hash, string contentType, int width, int height, string? description, Salts? salts = null)
    {
        if (post.Author != actor)
        {
            return Refusal.Forbidden(Codes.NotAuthor, "Only its author adds images to a post.");
        }
        if (post.Deleted)
        {
            return Refusal.Conflict(Codes.PostDeleted, "This post was taken back or erased.");
        }
        if (post.Hidden)
        {
            return Refusal.Conflict(Codes.TextHidden, "This post is hidden after flags while the members decide.");
        }
        if (post.Images >= MaxImages)
        {
            return Refusal.Conflict(Codes.TooManyImages, $"A post carries at most {MaxImages} images.");
        }
        if (Text.Problem(description ?? "", "description", 0, MaxDescription) is Refusal bad)
        {
            return bad;
        }
        return Verdict.Accept(new ImageAttached(id, post.Id, post.Council, hash, contentType, width, height, Texts.Seal(description ?? "", salts), actor));
    }

    /// <param name="author">The post's author; null when there is no such post.</param>
    public static Verdict Delete(PostId id, CouncilId council, AccountId actor, AccountId author, bool deleted)
    {
        if (author != actor)
        {
            return Refusal.Forbidden(Codes.NotAuthor, "Only its author can take a post back.");
        }
        if (deleted)
        {
            return Refusal.Conflict(Codes.PostDeleted, "This post was taken back already.");
        }
        return Verdict.Accept(new PostDeleted(id, council, actor));
    }
}
