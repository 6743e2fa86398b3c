using Dapper;

namespace Shura.Web.Councils;

/// <summary>
/// Marks a route or page that someone outside a members-only council may reach with an invitation
/// to it (joining): it checks the invitation itself, and answers without one as for a council that
/// does not exist.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class OpenToInvitationAttribute : Attribute;

/// <summary>
/// A members-only council is invisible to everyone who may not read it (DESIGN §2): on every route
/// and page about it — the council, its motions, mandates, actions, comments, posts and calls — an outsider gets exactly
/// what a council that does not exist gives. Not by a check in each handler, which the next
/// feature could forget, but here, once, before any handler runs: the id in the route is replaced
/// by one that belongs to nothing, and the handler answers as it does for any unknown id.
/// </summary>
public static class InvisibleCouncils
{
    /// <summary>What the id in a route names, by the segment before it, and how to find its council's id and settings in one query.</summary>
    private static readonly Dictionary<string, string> Owner = new(StringComparer.Ordinal)
    {
        ["councils"] = "SELECT id, settings FROM councils WHERE id = @id",
        ["motions"] = "SELECT c.id, c.settings FROM motions x JOIN councils c ON c.id = x.council_id WHERE x.id = @id",
        ["mandates"] = "SELECT c.id, c.settings FROM mandates x JOIN councils c ON c.id = x.council_id WHERE x.id = @id",
        ["actions"] = "SELECT c.id, c.settings FROM actions x JOIN councils c ON c.id = x.council_id WHERE x.id = @id",
        ["comments"] = "SELECT c.id, c.settings FROM comments x JOIN councils c ON c.id = x.council_id WHERE x.id = @id",
        ["posts"] = "SELECT c.id, c.settings FROM posts x JOIN councils c ON c.id = x.council_id WHERE x.id = @id",
        ["calls"] = "SELECT c.id, c.settings FROM posts x JOIN councils c ON c.id = x.council_id WHERE x.id = @id",
        ["images"] = "SELECT c.id, c.settings FROM images x JOIN councils c ON c.id = x.council_id WHERE x.id = @id",
    };

    public static void UseInvisibleCouncils(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint() is RouteEndpoint endpoint
            && endpoint.Metadata.GetMetadata<OpenToInvitationAttribute>() is null
            && context.Request.RouteValues.TryGetValue("id", out var value) && Guid.TryParse(value?.ToString(), out var id)
            && SubjectOf(endpoint.RoutePattern.RawText) is { } kind
            && await MembersOnlyCouncilOfAsync(context, kind, id) is { } council
            && !await MayReadAsync(context, council))
        {
            context.Request.RouteValues["id"] = Guid.NewGuid().ToString();
        }
        await next(context);
    });

    /// <summary>"motions" for "/api/v1/motions/{id:guid}/ballot" and "/motions/{id:guid}": the segment the id follows.</summary>
    private static string? SubjectOf(string? pattern)
    {
        if (pattern is null)
        {
            return null;
        }
        var segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        int at = Array.FindIndex(segments, s => s.StartsWith("{id", StringComparison.Ordinal));
        return at > 0 && Owner.ContainsKey(segments[at - 1]) ? segments[at - 1] : null;
    }

    /// <summary>
    /// The members-only council the route's id belongs to, or null for a public one (or none).
    /// Every request about a council, motion, mandate or action passes here, so what it learns is
    /// kept (<see cref="Visibilities"/>).
    /// </summary>
    private static async Task<CouncilView?> MembersOnlyCouncilOfAsync(HttpContext context, string kind, Guid id)
    {
        var known = context.RequestServices.GetRequiredService<Visibilities>();
        if (known.Find(id) is not { } council)
        {
            var database = context.RequestServices.GetRequiredService<Database>();
            await using var c = await database.OpenConnectionAsync(context.RequestAborted);
            var found = (await c.QueryAsync<(string Council, string Settings)>(Owner[kind], new { id = id.ToString() })).ToList();
            if (found.Count == 0)
            {
                return null;
            }
            var settings = System.Text.Json.JsonSerializer.Deserialize<Core.Councils.CouncilSettings>(found[0].Settings, Core.Log.EventJson.Options)!;
            council = known.Learn(id, Guid.Parse(found[0].Council), settings.Visibility == Core.Councils.Visibility.Members);
        }
        return council.MembersOnly
            ? await context.RequestServices.GetRequiredService<CouncilQueries>().GetAsync(new CouncilId(council.Id), context.RequestAborted)
            : null;
    }

    /// <summary>
    /// A federation's view as this caller may see it: a members-only member council they may not
    /// read keeps its weight, seats and delegates (what the federation's counting rests on) and
    /// loses its name; its id opens nothing. The same for the federations a council belongs to.
    /// </summary>
    public static async Task<CouncilView> MaskAsync(HttpContext context, CouncilView view)
    {
        var councils = context.RequestServices.GetRequiredService<CouncilQueries>();
        var reader = context.User.Person();
        var masked = new List<MemberCouncil>(view.MemberCouncils.Count);
        foreach (var member in view.MemberCouncils)
        {
            bool readable = await councils.MayReadAsync(new CouncilId(Guid.Parse(member.Id)),
                member.MembersOnly ? Core.Councils.Visibility.Members : Core.Councils.Visibility.Public, reader, context.RequestAborted);
            masked.Add(readable ? member : member with { Name = "" });
        }
        var federations = new List<string>(view.Federations.Count);
        foreach (string federation in view.Federations)
        {
            if (await ReadableAsync(context, new CouncilId(Guid.Parse(federation))) is not null)
            {
                federations.Add(federation);
            }
        }
        return view with { MemberCouncils = masked, Federations = federations };
    }

    /// <summary>Whether the caller (by token or by cookie, as <see cref="HttpContext.User"/> says) may read the council.</summary>
    public static Task<bool> MayReadAsync(HttpContext context, CouncilView council) =>
        context.RequestServices.GetRequiredService<CouncilQueries>().MayReadAsync(council, context.User.Person(), context.RequestAborted);

    /// <summary>
    /// The council, if it exists and the caller may read it; otherwise null, which the API and the
    /// pages answer alike whether the council does not exist or may not be read by this caller.
    /// </summary>
    public static async Task<CouncilView?> ReadableAsync(HttpContext context, CouncilId id) =>
        await context.RequestServices.GetRequiredService<CouncilQueries>().GetAsync(id, context.RequestAborted) is { } view
            && await MayReadAsync(context, view)
            ? view
            : null;
}

/// <summary>
/// What the gate has learnt: which council a motion, mandate or action belongs to (that never
/// changes), and whether a council is members-only — kept for a second, and forgotten at once
/// when this process commits a change of that council's settings. A change committed by another
/// server process is seen here within that second; what an outsider could read meanwhile was
/// public until that moment.
/// </summary>
public sealed class Visibilities
{
    public static readonly TimeSpan Remember = TimeSpan.FromSeconds(1);

    private const int Most = 100_000;

    private readonly TimeProvider _clock;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, Guid> _councilOf = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, (bool MembersOnly, DateTimeOffset Until)> _membersOnly = new();

    public Visibilities(Writer writer, TimeProvider clock)
    {
        _clock = clock;
        writer.Committed += entries =>
        {
            foreach (var entry in entries.Where(e => e.Type is "settings-changed" or "council-created"))
            {
                if (Guid.TryParse(entry.Chain, out var council))
                {
                    _membersOnly.TryRemove(council, out _);
                }
            }
        };
    }

    public (Guid Id, bool MembersOnly)? Find(Guid id)
    {
        var council = _councilOf.TryGetValue(id, out var owner) ? owner : id;
        return _membersOnly.TryGetValue(council, out var known) && known.Until > _clock.GetUtcNow() ? (council, known.MembersOnly) : null;
    }

    public (Guid Id, bool MembersOnly) Learn(Guid id, Guid council, bool membersOnly)
    {
        if (_councilOf.Count > Most)
        {
            _councilOf.Clear();
        }
        if (id != council)
        {
            _councilOf[id] = council;
        }
        _membersOnly[council] = (membersOnly, _clock.GetUtcNow() + Remember);
        return (council, membersOnly);
    }
}
