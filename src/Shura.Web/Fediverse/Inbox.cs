using System.Text;
using System.Text.Json.Nodes;
using Shura.Storage.Fediverse;

namespace Shura.Web.Fediverse;

/// <summary>
/// A public council's inbox (and the shared one): what other servers send it, each delivery's HTTP
/// Signature checked — the signer's key fetched through <see cref="SafeHttp"/> and kept only once a
/// signature made with it is good — before anything is stored. A <c>Follow</c> of the council is
/// accepted at once (public councils are open to follow) and its <c>Accept</c> queued for delivery;
/// an <c>Undo</c> of it ends the following. A reply (<c>Create</c> of a <c>Note</c> in reply to a
/// council's post, or to a reply to one) joins the post's discussion as a comment marked as coming
/// from the fediverse, which the members moderate like any other, and its author's <c>Update</c> or
/// <c>Delete</c> of it changes or takes it back as a member's change would; a <c>Like</c> or an
/// <c>Announce</c> (a boost) of a post is counted, and its <c>Undo</c> uncounts it. Anything else is
/// refused, saying so. Each server may deliver so much a minute (<see cref="Site.Throttle"/>), and a
/// server the members blocked (setting <c>blockedServers</c>) is refused with 403 and nothing stored.
/// </summary>
public sealed class Inbox(
    Database database, Writer writer, Actors actors, Notifications.SiteAddress site, FediverseClient client, Site.Throttle throttle, TimeProvider clock, ILogger<Inbox> log)
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/ap/councils/{id:guid}/inbox", (CouncilId id, HttpContext context, Inbox inbox) => inbox.ReceiveAsync(id, context)).ExcludeFromDescription().DisableAntiforgery();
        app.MapPost("/ap/inbox", (HttpContext context, Inbox inbox) => inbox.ReceiveAsync(null, context)).ExcludeFromDescription().DisableAntiforgery();
    }

    private IResult Refuse(int status, string code, string detail)
    {
        // Said at information level: a refused delivery is the other server's business, and says no person's data here.
        log.LogInformation("A delivery was refused: {Status} {Detail}", status, detail);
        return Problems.Problem(status, code, detail);
    }

    private IResult Blocked() => Refuse(403, Codes.ServerBlocked, "The members of this council blocked this server.");

    private async Task<IResult> ReceiveAsync(CouncilId? addressed, HttpContext context)
    {
        var ct = context.RequestAborted;
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, ct);
        byte[] body = buffer.ToArray();
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        headers["host"] = context.Request.Host.Value ?? "";
        if (HttpSignatures.Parse(headers.GetValueOrDefault("signature")) is not { } signature)
        {
            return Refuse(401, Codes.Unauthenticated, "A delivery must carry an HTTP Signature (draft-cavage, rsa-sha256).");
        }
        if (!Uri.TryCreate(signature.KeyId, UriKind.Absolute, out var keyUri) || !await throttle.MayDeliverAsync(keyUri.Authority))
        {
            context.Response.Headers.RetryAfter = "60";
            return Refuse(429, Codes.TooManyDeliveries, "This server has delivered much in a short time; try again in a minute.");
        }
        // At a council's own inbox a blocked server is refused before its key is fetched: the
        // council does not so much as call it. At the shared inbox, once it is known which council.
        if (addressed is { } own && await actors.ByIdAsync(own, ct) is { } ownCouncil && ownCouncil.Blocks(signature.KeyId))
        {
            return Blocked();
        }
        var cached = await Followers.KeyAsync(database, signature.KeyId, ct);
        var key = cached ?? await client.KeyAsync(signature.KeyId, ct);
        if (key is not { } known)
        {
            return Refuse(401, Codes.Unauthenticated, "The signer's key could not be fetched.");
        }
        string target = context.Request.Path + context.Request.QueryString;
        var check = HttpSignatures.Check(signature, known.PublicPem, context.Request.Method, target, headers, body, clock.GetUtcNow());
        if (check != SignatureCheck.Good)
        {
            log.LogInformation("A delivery to {Target} was refused: {Check}", target, check);
            return Refuse(401, Codes.Unauthenticated, $"The HTTP Signature is not good ({check}).");
        }
        if (cached is null)
        {
            await writer.RunAsync(s => Followers.KeepKey(s, signature.KeyId, known.Actor, known.PublicPem), ct);
        }
        JsonObject activity;
        try
        {
            activity = JsonNode.Parse(Encoding.UTF8.GetString(body))?.AsObject() ?? throw new FormatException();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            return Refuse(400, Codes.InvalidJson, "The activity is not a JSON object.");
        }
        if (Id(activity["actor"]) != known.Actor)
        {
            return Refuse(403, Codes.NoPower, $"The activity's actor ({Id(activity["actor"])}) is not who signed it ({known.Actor}).");
        }
        switch (activity["type"]?.GetValue<string>())
        {
            case "Follow" when await CouncilOfAsync(Id(activity["object"]), addressed, ct) is { } council:
                if (council.Blocks(known.Actor, signature.KeyId))
                {
                    return Blocked();
                }
                if (await client.ActorAsync(known.Actor, ct) is not { } follower)
                {
                    return Refuse(422, Codes.InvalidField, "The follower's actor could not be read for its inbox.");
                }
                string actorUrl = new Uri(site.Base, ActorDocuments.ActorPath(council.Id)).ToString();
                var accept = new JsonObject
                {
                    ["@context"] = "https://www.w3.org/ns/activitystreams",
                    ["id"] = $"{actorUrl}#accept-{Guid.CreateVersion7(clock.GetUtcNow()):N}",
                    ["type"] = "Accept",
                    ["actor"] = actorUrl,
                    ["object"] = activity.DeepClone(),
                };
                var followed = await writer.RunAsync(s => Followers.Follow(s, new CouncilId(Guid.Parse(council.Id)), known.Actor, follower.Inbox, follower.SharedInbox, accept.ToJsonString()), ct);
                return followed.Refusal is { } refusal ? Refuse(403, refusal.Code, refusal.Message) : Results.Accepted();
            case "Undo" when activity["object"] is JsonObject undone && undone["type"]?.GetValue<string>() == "Follow"
                && await CouncilOfAsync(Id(undone["object"]), addressed, ct) is { } council:
                await writer.RunAsync(s => Followers.Unfollow(s, new CouncilId(Guid.Parse(council.Id)), known.Actor), ct);
                return Results.Accepted();
            case "Create" when activity["object"] is JsonObject note && note["type"]?.GetValue<string>() == "Note":
                return await ReplyAsync(addressed, known.Actor, signature.KeyId, note, ct);
            case "Like" or "Announce" when PostOf(Id(activity["object"])) is { } liked && Id(activity) is { } reaction:
                if (await CouncilOfPostAsync(liked, addressed, ct) is not { } likedCouncil)
                {
                    return Refuse(404, Codes.NotFound, "No post of a public council here has that id.");
                }
                if (likedCouncil.Blocks(known.Actor, signature.KeyId))
                {
                    return Blocked();
                }
                string kind = activity["type"]!.GetValue<string>() == "Like" ? "like" : "boost";
                await writer.RunAsync(s => Outbox.React(s, liked, kind, known.Actor, reaction), ct);
                return Results.Accepted();
            case "Update" when activity["object"] is JsonObject changed && changed["type"]?.GetValue<string>() == "Note":
                return await ChangedReplyAsync(addressed, known.Actor, signature.KeyId, changed, ct);
            case "Delete" when Id(activity["object"]) is { } goneId && await Followers.ReplyAsync(database, goneId, ct) is { } gone:
                // Its author takes their reply back (even from a server since blocked: their words are theirs to take).
                if (await CouncilOfPostAsync(gone.Post, addressed, ct) is null)
                {
                    return Refuse(404, Codes.NotFound, "No reply to a public council's post here has that id.");
                }
                var deleted = await writer.RunAsync(s => Storage.Discussion.DiscussionCommands.FediverseDelete(s, goneId, known.Actor), ct);
                return deleted.Refusal is { } notTaken ? Problems.From(notTaken) : Results.Accepted();
            case "Undo" when activity["object"] is JsonObject undone && undone["type"]?.GetValue<string>() is "Like" or "Announce" && Id(undone) is { } taken:
                await writer.RunAsync(s => Outbox.Unreact(s, known.Actor, taken), ct);
                return Results.Accepted();
            default:
                return Refuse(422, Codes.InvalidField,
                    "This inbox takes Follow and Undo of a Follow of a public council, replies (Create of a Note) to its posts and their Update and Delete, and Like, Announce and their Undo.");
        }
    }

    /// <summary>
    /// A reply from another server: its author must be who signed it, and it must answer a post of
    /// a public council here (at a council's own inbox, of that council) or a reply to one. Its HTML
    /// is read as plain text, as the members' comments are written; the same reply again is taken once.
    /// </summary>
    private async Task<IResult> ReplyAsync(CouncilId? addressed, string signer, string keyId, JsonObject note, CancellationToken ct)
    {
        if (Id(note["attributedTo"]) != signer || Id(note) is not { } objectId)
        {
            return Refuse(403, Codes.NoPower, $"A reply's author ({Id(note["attributedTo"])}) must be who signed it ({signer}), and it must have an id.");
        }
        string? answered = Id(note["inReplyTo"]);
        var post = PostOf(answered);
        CommentId? replyTo = null;
        if (post is null && answered is not null && await Followers.ReplyAsync(database, answered, ct) is { } earlier)
        {
            (post, replyTo) = earlier;
        }
        if (post is not { } onPost || await CouncilOfPostAsync(onPost, addressed, ct) is not { } council)
        {
            return Refuse(404, Codes.NotFound, "The reply answers nothing of a public council here.");
        }
        if (council.Blocks(signer, keyId))
        {
            return Blocked();
        }
        string text = PlainText(note["content"]?.GetValue<string>() ?? "");
        var author = await client.ActorAsync(signer, ct);
        string name = author?.Name is { Length: > 0 } n ? n : signer;
        var made = await writer.RunAsync(s => Storage.Discussion.DiscussionCommands.FromFediverse(
            s, onPost, objectId, signer, Storage.Discussion.DiscussionQueries.RemoteAuthor(name, signer), text, replyTo), ct);
        if (made.Refusal is { } refusal)
        {
            return Problems.From(refusal);
        }
        return Results.Accepted();
    }

    /// <summary>A reply changed by its author there: the same author, a reply known here, a council that has not blocked them.</summary>
    private async Task<IResult> ChangedReplyAsync(CouncilId? addressed, string signer, string keyId, JsonObject note, CancellationToken ct)
    {
        if (Id(note["attributedTo"]) != signer || Id(note) is not { } objectId)
        {
            return Refuse(403, Codes.NoPower, $"A reply's author ({Id(note["attributedTo"])}) must be who signed it ({signer}), and it must have an id.");
        }
        if (await Followers.ReplyAsync(database, objectId, ct) is not { } known || await CouncilOfPostAsync(known.Post, addressed, ct) is not { } council)
        {
            return Refuse(404, Codes.NotFound, "No reply to a public council's post here has that id.");
        }
        if (council.Blocks(signer, keyId))
        {
            return Blocked();
        }
        string text = PlainText(note["content"]?.GetValue<string>() ?? "");
        var changed = await writer.RunAsync(s => Storage.Discussion.DiscussionCommands.FediverseEdit(s, objectId, signer, text), ct);
        return changed.Refusal is { } refusal ? Problems.From(refusal) : Results.Accepted();
    }

    /// <summary>A post of this server named by its object's address (<c>/ap/posts/ID</c>) or its page's (<c>/posts/ID</c>).</summary>
    private PostId? PostOf(string? url)
    {
        foreach (string prefix in new[] { "/ap/posts/", "/posts/" })
        {
            string start = new Uri(site.Base, prefix).ToString();
            if (url is not null && url.StartsWith(start, StringComparison.Ordinal) && Guid.TryParse(url[start.Length..], out var id))
            {
                return new PostId(id);
            }
        }
        return null;
    }

    /// <summary>The public council whose post this is (at a council's own inbox, only that council's).</summary>
    private async Task<ActorView?> CouncilOfPostAsync(PostId post, CouncilId? addressed, CancellationToken ct)
    {
        if (await Followers.CouncilOfPostAsync(database, post, ct) is not { } council || (addressed is { } only && only != council))
        {
            return null;
        }
        return await actors.ByIdAsync(council, ct);
    }

    /// <summary>What a reply's HTML says, as text: paragraphs and line breaks kept, every tag and its attributes gone.</summary>
    public static string PlainText(string html)
    {
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument($"<body>{html}</body>");
        foreach (var br in document.QuerySelectorAll("br").ToList())
        {
            br.Replace(document.CreateTextNode("\n"));
        }
        var paragraphs = document.Body!.Children.Where(e => e.LocalName == "p").ToList();
        string text = paragraphs.Count > 0 && paragraphs.Count == document.Body.Children.Length
            ? string.Join("\n\n", paragraphs.Select(p => p.TextContent))
            : document.Body.TextContent;
        return text.Trim();
    }

    /// <summary>An id given as a string or as an object with an id.</summary>
    private static string? Id(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue(out string? text) => text,
        JsonObject obj => obj["id"] is JsonValue v && v.TryGetValue(out string? id) ? id : null,
        _ => null,
    };

    /// <summary>The public council whose actor URL this is (and, at a council's own inbox, only that council).</summary>
    private async Task<ActorView?> CouncilOfAsync(string? actorUrl, CouncilId? addressed, CancellationToken ct)
    {
        string prefix = new Uri(site.Base, "/ap/councils/").ToString();
        if (actorUrl is null || !actorUrl.StartsWith(prefix, StringComparison.Ordinal) || !Guid.TryParse(actorUrl[prefix.Length..], out var id)
            || (addressed is { } only && only.Value != id))
        {
            return null;
        }
        return await actors.ByIdAsync(new CouncilId(id), ct);
    }
}

/// <summary>A remote actor as far as following needs it: where to deliver.</summary>
public sealed record RemoteActor(string Id, string Inbox, string? SharedInbox, string? Name = null);

/// <summary>Reading other servers' actors and keys, through <see cref="SafeHttp"/> only.</summary>
public sealed class FediverseClient(FediverseOptions options)
{
    private readonly HttpClient _http = SafeHttp.Create(options);

    public HttpClient Http => _http;

    private async Task<JsonObject?> GetAsync(string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return null;
        }
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new UriBuilder(uri) { Fragment = "" }.Uri);
            request.Headers.Accept.ParseAdd("application/activity+json");
            request.Headers.Accept.ParseAdd("application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"");
            using var response = await _http.SendAsync(request, ct);
            return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))?.AsObject() : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>A key by its id: the actor document it is in (Mastodon's <c>actor#main-key</c>), or a key document naming its owner.</summary>
    public async Task<(string Actor, string PublicPem)?> KeyAsync(string keyId, CancellationToken ct)
    {
        if (await GetAsync(keyId, ct) is not { } document)
        {
            return null;
        }
        if (document["publicKeyPem"]?.GetValue<string>() is { } pem && document["owner"]?.GetValue<string>() is { } owner)
        {
            return (owner, pem);
        }
        var keys = document["publicKey"] switch
        {
            JsonArray many => many.OfType<JsonObject>().ToList(),
            JsonObject one => [one],
            _ => [],
        };
        var key = keys.FirstOrDefault(k => k["id"]?.GetValue<string>() == keyId) ?? keys.FirstOrDefault();
        return key?["publicKeyPem"]?.GetValue<string>() is { } found && document["id"]?.GetValue<string>() is { } actor
            && (key["owner"]?.GetValue<string>() ?? actor) == actor
            ? (actor, found)
            : null;
    }

    public async Task<RemoteActor?> ActorAsync(string actor, CancellationToken ct) =>
        await GetAsync(actor, ct) is { } document && document["inbox"]?.GetValue<string>() is { } inbox
            ? new RemoteActor(actor, inbox, document["endpoints"]?["sharedInbox"]?.GetValue<string>(),
                (document["name"] as JsonValue)?.TryGetValue(out string? name) == true ? name : (document["preferredUsername"] as JsonValue)?.GetValue<string>())
            : null;
}
