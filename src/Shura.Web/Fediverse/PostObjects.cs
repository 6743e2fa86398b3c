using System.Text.Json.Nodes;
using Shura.Storage.Feed;

namespace Shura.Web.Fediverse;

/// <summary>
/// A council's posts as the federated social web reads them: a short one as a <c>Note</c> (its title
/// in bold, then its text), a long one as an <c>Article</c> with its title as name — what Mastodon
/// shows in full and as a link with a title. The council is the actor: it speaks for its members,
/// and the author is named in the text only as the pages name them.
/// </summary>
public static class PostObjects
{
    /// <summary>Texts up to this many characters go out as a Note; longer ones as an Article.</summary>
    public const int NoteLength = 500;

    public const string Public = "https://www.w3.org/ns/activitystreams#Public";

    public static string ObjectPath(string post) => $"/ap/posts/{post}";

    public static JsonObject Object(PostView post, Uri site)
    {
        string actor = new Uri(site, ActorDocuments.ActorPath(post.Council)).ToString();
        string html = Feed.Markdown.ToSafeHtml(post.Text ?? "");
        bool note = (post.Text ?? "").Length <= NoteLength;
        var body = new JsonObject
        {
            ["id"] = new Uri(site, ObjectPath(post.Id)).ToString(),
            ["type"] = note ? "Note" : "Article",
            ["attributedTo"] = actor,
            ["to"] = new JsonArray(Public),
            ["cc"] = new JsonArray(actor + "/followers"),
            ["published"] = post.PublishedAt,
            ["url"] = new Uri(site, $"/posts/{post.Id}").ToString(),
            ["content"] = note ? $"<p><strong>{System.Net.WebUtility.HtmlEncode(post.Title ?? "")}</strong></p>{html}" : html,
        };
        body["contentMap"] = new JsonObject { [Activities.LanguageOf($"{post.Title} {post.Text}")] = body["content"]!.GetValue<string>() };
        if (!note)
        {
            body["name"] = post.Title ?? "";
        }
        foreach (var image in post.Images)
        {
            (body["attachment"] ??= new JsonArray()).AsArray().Add(new JsonObject
            {
                ["type"] = "Document",
                ["url"] = new Uri(site, $"/images/{image.Id}").ToString(),
                ["name"] = image.Description,
                ["width"] = image.Width,
                ["height"] = image.Height,
            });
        }
        return body;
    }
}
