using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Shura.Storage.Feed;
using Shura.Storage.Fediverse;

namespace Shura.Web.Fediverse;

/// <summary>
/// Each public council as an ActivityPub <c>Group</c> that anyone on Mastodon and the rest of the
/// federated social web can find and follow: WebFinger (<c>acct:handle@host</c>) and the actor
/// document with its public key, as Mastodon requires. A members-only council is not an actor:
/// asked for, by handle or id, it is not there (404), the same answer as for none.
/// </summary>
public static class ActorDocuments
{
    public const string ActivityJson = "application/activity+json";

    public static string ActorPath(string council) => $"/ap/councils/{council}";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/webfinger", WebFingerAsync).ExcludeFromDescription();
        app.MapGet("/ap/councils/{id:guid}", ActorAsync).ExcludeFromDescription();
        app.MapGet("/ap/councils/{id:guid}/outbox", OutboxAsync).ExcludeFromDescription();
        app.MapGet("/ap/councils/{id:guid}/followers", FollowersAsync).ExcludeFromDescription();
        app.MapGet("/ap/posts/{id:guid}", (Guid id, Activities activities, CancellationToken ct) => ObjectAsync("post", id, activities, ct)).ExcludeFromDescription();
        app.MapGet("/ap/motions/{id:guid}", (Guid id, Activities activities, CancellationToken ct) => ObjectAsync("motion", id, activities, ct)).ExcludeFromDescription();
    }

    private static IResult NotThere => Results.NotFound();

    /// <summary>
    /// <c>GET /.well-known/webfinger?resource=acct:handle@host</c> (RFC 7033): the council's actor, as
    /// Mastodon looks it up before following. Only this server's own host is answered for.
    /// </summary>
    private static async Task<IResult> WebFingerAsync(string? resource, Actors actors, Notifications.SiteAddress site, CancellationToken ct)
    {
        if (resource is null || !resource.StartsWith("acct:", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Problem(400, Codes.InvalidParameter, "resource must be acct:handle@host.", "resource");
        }
        string[] parts = resource[5..].TrimStart('@').Split('@');
        if (parts.Length != 2 || !string.Equals(parts[1], site.Base.Authority, StringComparison.OrdinalIgnoreCase)
            || await actors.ByHandleAsync(parts[0].ToLowerInvariant(), ct) is not { } actor)
        {
            return NotThere;
        }
        string self = new Uri(site.Base, ActorPath(actor.Id)).ToString();
        string page = new Uri(site.Base, $"/councils/{actor.Id}").ToString();
        var document = new JsonObject
        {
            ["subject"] = $"acct:{actor.Handle}@{site.Base.Authority}",
            ["aliases"] = new JsonArray(self, page),
            ["links"] = new JsonArray(
                new JsonObject { ["rel"] = "self", ["type"] = ActivityJson, ["href"] = self },
                new JsonObject { ["rel"] = "http://webfinger.net/rel/profile-page", ["type"] = "text/html", ["href"] = page }),
        };
        return Results.Text(document.ToJsonString(), "application/jrd+json; charset=utf-8");
    }

    private static async Task<IResult> ActorAsync(CouncilId id, Actors actors, Notifications.SiteAddress site, Writer writer, CancellationToken ct) =>
        await DocumentAsync(id, actors, site, writer, ct) is { } document ? Json(document) : NotThere;

    /// <summary>The actor: a <c>Group</c> with its handle, name, summary, inbox, outbox, followers and public key; null for no public council.</summary>
    public static async Task<JsonObject?> DocumentAsync(CouncilId id, Actors actors, Notifications.SiteAddress site, Writer writer, CancellationToken ct)
    {
        if (await actors.ByIdAsync(id, ct) is not { } actor)
        {
            return null;
        }
        string self = new Uri(site.Base, ActorPath(actor.Id)).ToString();
        var key = await KeyAsync(id, actors, site, writer, ct);
        return new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"),
            ["id"] = self,
            ["type"] = "Group",
            ["preferredUsername"] = actor.Handle,
            ["name"] = actor.Name,
            ["summary"] = System.Net.WebUtility.HtmlEncode(actor.Description),
            ["url"] = new Uri(site.Base, $"/councils/{actor.Id}").ToString(),
            ["inbox"] = self + "/inbox",
            ["outbox"] = self + "/outbox",
            ["followers"] = self + "/followers",
            ["endpoints"] = new JsonObject { ["sharedInbox"] = new Uri(site.Base, "/ap/inbox").ToString() },
            ["manuallyApprovesFollowers"] = false,
            ["discoverable"] = true,
            ["published"] = actor.CreatedAt,
            ["publicKey"] = new JsonObject { ["id"] = key.KeyId, ["owner"] = self, ["publicKeyPem"] = key.PublicPem },
        };
    }

    /// <summary>
    /// A council's current key; its first one, or the next after a rotation, made here and kept by
    /// the writer (if another request kept one first, that one stands).
    /// </summary>
    public static async Task<ActorKey> KeyAsync(CouncilId council, Actors actors, Notifications.SiteAddress site, Writer writer, CancellationToken ct)
    {
        if (await actors.KeyAsync(council, ct) is { } current)
        {
            return current;
        }
        string actor = new Uri(site.Base, ActorPath(council.ToString())).ToString();
        using var rsa = RSA.Create(2048);
        string keyId = $"{actor}#key-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var kept = await writer.RunAsync(s => ActorKeys.Keep(s, council, keyId, rsa.ExportSubjectPublicKeyInfoPem(), rsa.ExportPkcs8PrivateKeyPem()), ct);
        return kept.Value!;
    }

    private static IResult Json(JsonObject document) => Results.Text(document.ToJsonString(), $"{ActivityJson}; charset=utf-8");

    /// <summary>At most this many items on the outbox's page: the latest.</summary>
    public const int PageSize = 50;

    /// <summary>
    /// The outbox: the <c>Create</c> of each post, call to action and decided motion that still
    /// stands, the latest first. The collection names its size and its first page, as Mastodon reads it.
    /// </summary>
    private static async Task<IResult> OutboxAsync(CouncilId id, bool? page, Actors actors, Activities activities, Database database, Notifications.SiteAddress site, CancellationToken ct)
    {
        if (await actors.ByIdAsync(id, ct) is not { } actor)
        {
            return NotThere;
        }
        string outbox = new Uri(site.Base, $"{ActorPath(actor.Id)}/outbox").ToString();
        if (page != true)
        {
            return Json(new JsonObject
            {
                ["@context"] = "https://www.w3.org/ns/activitystreams",
                ["id"] = outbox,
                ["type"] = "OrderedCollection",
                ["totalItems"] = await Outbox.CountMadeAsync(database, id, ct),
                ["first"] = outbox + "?page=true",
            });
        }
        var items = new JsonArray();
        foreach (var made in await Outbox.MadeAsync(database, id, PageSize, ct))
        {
            if (await activities.ActivityAsync(made, ct) is { } activity)
            {
                activity.Remove("@context");
                items.Add(activity);
            }
        }
        return Json(new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = outbox + "?page=true",
            ["type"] = "OrderedCollectionPage",
            ["partOf"] = outbox,
            ["orderedItems"] = items,
        });
    }

    /// <summary>
    /// The followers: how many, but never who. Following a workers' council can cost someone their
    /// job; the list stays on this server (as Mastodon's "hide your network"), the count is public.
    /// </summary>
    private static async Task<IResult> FollowersAsync(CouncilId id, Actors actors, Database database, Notifications.SiteAddress site, CancellationToken ct)
    {
        if (await actors.ByIdAsync(id, ct) is not { } actor)
        {
            return NotThere;
        }
        return Json(new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = new Uri(site.Base, $"{ActorPath(actor.Id)}/followers").ToString(),
            ["type"] = "OrderedCollection",
            ["totalItems"] = await Followers.CountAsync(database, id, ct),
        });
    }

    /// <summary>A post, call or decided motion of a public council, as the object its activity carried; one taken back, erased, hidden or undecided is not there.</summary>
    private static async Task<IResult> ObjectAsync(string type, Guid id, Activities activities, CancellationToken ct)
    {
        if (await activities.ObjectAsync(type, id, ct) is not { } document)
        {
            return NotThere;
        }
        document["@context"] = "https://www.w3.org/ns/activitystreams";
        return Json(document);
    }
}
