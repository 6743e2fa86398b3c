using System.ServiceModel.Syndication;
using System.Xml;
using Shura.Core.Councils;
using Shura.Storage.Councils;
using Shura.Storage.Feed;

namespace Shura.Web.Feed;

/// <summary>
/// A public council's Atom feed (RFC 4287), for the federated web and any feed reader: its posts,
/// the latest first, each with a stable id (the post's, as a URN), its title, author, times, a link
/// to its page and its safe HTML. A members-only council has none: a feed reader signs in as nobody.
/// </summary>
public static class AtomFeed
{
    /// <summary>At most this many entries: the latest posts.</summary>
    public const int MaxEntries = 50;

    public static void MapAtomFeed(this IEndpointRouteBuilder app) =>
        app.MapGet("/councils/{id:guid}/feed.atom", WriteAsync).ExcludeFromDescription();

    /// <summary>The path of a council's feed, for the pages' autodiscovery link.</summary>
    public static string PathOf(CouncilId council) => $"/councils/{council}/feed.atom";

    private static async Task<IResult> WriteAsync(CouncilId id, HttpContext context, CouncilQueries councils, FeedQueries feed, CancellationToken ct)
    {
        if (await councils.GetAsync(id, ct) is not { } view || view.Council.Settings.Visibility != Visibility.Public)
        {
            return Results.NotFound();
        }
        var site = new Uri($"{context.Request.Scheme}://{context.Request.Host}/");
        var posts = (await feed.OfCouncilAsync(id, ct)).Take(MaxEntries).ToList();
        var updated = posts.Count > 0 ? DateTimeOffset.Parse(posts[0].PublishedAt, System.Globalization.CultureInfo.InvariantCulture) : view.Council.CreatedAt;
        var atom = new SyndicationFeed
        {
            Id = $"urn:uuid:{id}",
            Title = new TextSyndicationContent(view.Council.Name),
            LastUpdatedTime = updated,
            Generator = "Shura",
        };
        if (view.Council.Description.Length > 0)
        {
            atom.Description = new TextSyndicationContent(view.Council.Description);
        }
        atom.Links.Add(new SyndicationLink(new Uri(site, PathOf(id)), "self", null, "application/atom+xml", 0));
        atom.Links.Add(new SyndicationLink(new Uri(site, $"/councils/{id}"), "alternate", null, "text/html", 0));
        // RFC 4287 asks for an author of the feed when an entry may lack one: the council speaks.
        atom.Authors.Add(new SyndicationPerson { Name = view.Council.Name });
        atom.Items = posts.Select(post =>
        {
            var at = DateTimeOffset.Parse(post.PublishedAt, System.Globalization.CultureInfo.InvariantCulture);
            var item = new SyndicationItem
            {
                Id = $"urn:uuid:{post.Id}",
                Title = new TextSyndicationContent(post.Title ?? ""),
                PublishDate = at,
                LastUpdatedTime = at,
                Content = new TextSyndicationContent(Markdown.ToSafeHtml(post.Text ?? ""), TextSyndicationContentKind.Html),
            };
            item.Authors.Add(new SyndicationPerson { Name = post.AuthorName });
            item.Categories.Add(new SyndicationCategory(post.Kind));
            item.Links.Add(new SyndicationLink(new Uri(site, $"/posts/{post.Id}"), "alternate", null, "text/html", 0));
            return item;
        }).ToList();

        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), Indent = false }))
        {
            new Atom10FeedFormatter(atom).WriteTo(xml);
        }
        return Results.Bytes(buffer.ToArray(), "application/atom+xml; charset=utf-8");
    }
}
