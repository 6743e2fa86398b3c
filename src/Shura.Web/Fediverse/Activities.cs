using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Localization;
using Shura.Core.Motions;
using Shura.Storage.Feed;
using Shura.Storage.Fediverse;
using Shura.Storage.Motions;

namespace Shura.Web.Fediverse;

/// <summary>
/// What a council tells the federated social web, as ActivityStreams: a post as a <c>Note</c> or an
/// <c>Article</c> (<see cref="PostObjects"/>), a call to action as an <c>Event</c> — its time, its
/// place, and in its text how the pledges stand — as Mobilizon and Mastodon show events, and a
/// decided motion as a <c>Note</c> saying how it ended, with a link to it. Each is made, changed
/// (<c>Update</c>) or gone (<c>Delete</c> of a <c>Tombstone</c>), the council as actor, to the public
/// and its followers; the council's own actor is sent again (<c>Update</c>) when its key is rotated. Built when sent, from what stands then: a post gone before it was told is not told.
/// </summary>
public sealed class Activities(
    Actors actors, FeedQueries feed, MotionQueries motions, Notifications.SiteAddress site, Writer writer, IStringLocalizer<Site.Words> words, TimeProvider clock)
{
    public static string ActivityPath(string activity) => $"/ap/activities/{activity}";

    public static string MotionPath(string motion) => $"/ap/motions/{motion}";

    /// <summary>The activity to deliver, or null when there is nothing to tell (a members-only council, a post gone before it was told).</summary>
    public async Task<JsonObject?> ActivityAsync(ApActivity activity, CancellationToken ct)
    {
        var council = new CouncilId(Guid.Parse(activity.Council));
        if (await actors.ByIdAsync(council, ct) is null)
        {
            return null;
        }
        string actor = new Uri(site.Base, ActorDocuments.ActorPath(activity.Council)).ToString();
        JsonNode told;
        if (activity.Kind == "delete")
        {
            told = new JsonObject { ["id"] = ObjectUrl(activity), ["type"] = "Tombstone" };
        }
        else if (activity.SubjectType == "council")
        {
            // The council itself changed (its key rotated): its actor as it stands, new key and all.
            var document = await ActorDocuments.DocumentAsync(council, actors, site, writer, ct);
            document!.Remove("@context");
            told = document;
        }
        else if (await ObjectAsync(activity.SubjectType, activity.SubjectId, ct) is { } made && made["attributedTo"]?.GetValue<string>() == actor)
        {
            told = made;
        }
        else
        {
            return null;
        }
        return new JsonObject
        {
            ["@context"] = activity.SubjectType == "council"
                ? new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1")
                : "https://www.w3.org/ns/activitystreams",
            ["id"] = new Uri(site.Base, ActivityPath(activity.Id)).ToString(),
            ["type"] = activity.Kind switch { "create" => "Create", "update" => "Update", _ => "Delete" },
            ["actor"] = actor,
            ["published"] = activity.At,
            ["to"] = new JsonArray(PostObjects.Public),
            ["cc"] = new JsonArray(actor + "/followers"),
            ["object"] = told,
        };
    }

    private string ObjectUrl(ApActivity activity) =>
        new Uri(site.Base, activity.SubjectType == "motion" ? MotionPath(activity.SubjectId.ToString()) : PostObjects.ObjectPath(activity.SubjectId.ToString())).ToString();

    /// <summary>A post, call or decided motion of a public council as it stands now; null when it is not shown (gone, hidden, undecided, or not public).</summary>
    public async Task<JsonObject?> ObjectAsync(string type, Guid id, CancellationToken ct)
    {
        if (type == "post")
        {
            if (await feed.GetAsync(new PostId(id), ct) is not { Shown: true } post || await actors.ByIdAsync(new CouncilId(Guid.Parse(post.Council)), ct) is null)
            {
                return null;
            }
            return post.Kind == "call" && await feed.CallAsync(new PostId(id), null, clock.GetUtcNow(), ct) is { } call
                ? CallObject(call)
                : PostObjects.Object(post, site.Base);
        }
        // A motion to hide or erase a text stays at home: it would only point the world at what the members took down.
        if (await motions.GetAsync(new MotionId(id), ct) is not { } view || view.Motion.IsOpen || view.Motion.State == MotionState.Lapsed
            || view.Motion.Moderates is not null || await actors.ByIdAsync(view.Motion.Council, ct) is null)
        {
            return null;
        }
        return MotionObject(view);
    }

    /// <summary>A call to action as an <c>Event</c>: its title as name, its time, its place, and its text followed by how the pledges stand.</summary>
    private JsonObject CallObject(CallView call)
    {
        var post = call.Post;
        string actor = new Uri(site.Base, ActorDocuments.ActorPath(post.Council)).ToString();
        string language = LanguageOf($"{post.Title} {post.Text}");
        string standing = Site.InLanguage.Run(Site.InLanguage.Of(language), () =>
        {
            string status = words["call:" + call.Status];
            var formats = new Site.Formats(Site.InLanguage.Of(language));
            return call.Threshold is { } threshold
                ? $"{status} — {words["{0} of {1} pledged", formats.Number(call.Pledges), formats.Number(threshold)]}"
                  + (call.Deadline is { } deadline ? $" — {words["until {0}", formats.DateTime(deadline)]}" : "")
                : $"{status} — {words["{0} pledged", formats.Number(call.Pledges)]}";
        });
        var made = new JsonObject
        {
            ["id"] = new Uri(site.Base, PostObjects.ObjectPath(post.Id)).ToString(),
            ["type"] = "Event",
            ["name"] = post.Title ?? "",
            ["attributedTo"] = actor,
            ["to"] = new JsonArray(PostObjects.Public),
            ["cc"] = new JsonArray(actor + "/followers"),
            ["published"] = post.PublishedAt,
            ["url"] = new Uri(site.Base, $"/posts/{post.Id}").ToString(),
            ["startTime"] = call.StartsAt,
            ["content"] = Feed.Markdown.ToSafeHtml(post.Text ?? "") + $"<p>{WebUtility.HtmlEncode(standing)}</p>",
            ["joinMode"] = "external",
            ["participantCount"] = call.Pledges,
        };
        made["contentMap"] = new JsonObject { [language] = made["content"]!.GetValue<string>() };
        if (call.EndsAt is { } ends)
        {
            made["endTime"] = ends;
        }
        if (call.Place is { Length: > 0 } place)
        {
            made["location"] = new JsonObject { ["type"] = "Place", ["name"] = place };
        }
        return made;
    }

    /// <summary>A decided motion as a <c>Note</c>: its title, how it ended (and what won a choice), how many voted, and the link to read it all.</summary>
    private JsonObject MotionObject(MotionView view)
    {
        var motion = view.Motion;
        string actor = new Uri(site.Base, ActorDocuments.ActorPath(motion.Council.ToString())).ToString();
        string page = new Uri(site.Base, $"/motions/{motion.Id}").ToString();
        string language = LanguageOf(motion.Title);
        string outcome = Site.InLanguage.Run(Site.InLanguage.Of(language), () =>
        {
            var formats = new Site.Formats(Site.InLanguage.Of(language));
            string said = words["state:" + motion.State.Name()];
            if (motion.Kind == MotionKind.Choice && view.Result is { Winners.Count: > 0 } chosen)
            {
                said += ": " + string.Join(", ", chosen.Winners);
            }
            return view.Result is { } result ? $"{said} — {words["{0} ballots", formats.Number(result.Ballots)]}" : said;
        });
        string content = $"<p><strong>{WebUtility.HtmlEncode(motion.Title)}</strong></p><p>{WebUtility.HtmlEncode(outcome)}</p><p><a href=\"{page}\">{page}</a></p>";
        return new JsonObject
        {
            ["id"] = new Uri(site.Base, MotionPath(motion.Id.ToString())).ToString(),
            ["type"] = "Note",
            ["attributedTo"] = actor,
            ["to"] = new JsonArray(PostObjects.Public),
            ["cc"] = new JsonArray(actor + "/followers"),
            ["published"] = Core.Log.LogEntry.FormatTime(motion.DecidedAt ?? motion.CreatedAt),
            ["url"] = page,
            ["content"] = content,
            ["contentMap"] = new JsonObject { [language] = content },
        };
    }

    /// <summary>The language a text is written in, as far as a timeline needs it: Persian when it has Arabic-script letters, else English.</summary>
    public static string LanguageOf(string text) => text.Any(c => c is >= '\u0600' and <= '\u06FF' or >= '\uFB50' and <= '\uFEFF') ? "fa" : "en";
}
