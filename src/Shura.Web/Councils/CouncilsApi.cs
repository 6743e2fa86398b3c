using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shura.Core;
using Shura.Core.Councils;
using Shura.Core.Log;
using Shura.Core.Motions;
using Shura.Storage;
using Shura.Storage.Councils;
using Shura.Storage.Log;
using Shura.Storage.Motions;
using Shura.Web.Accounts;

namespace Shura.Web.Councils;

public sealed record CreateCouncilRequest(string? Name, string? Description, SettingsJson? Settings, bool? Federation);

public sealed record ChangeSettingsRequest(SettingsJson? Settings, string? Title, string? Text);

public sealed record JoinRequest(string? Invitation);

public sealed record CouncilResponse(
    string Id, string Name, string Description, SettingsView Settings, int Members, int SupportNeeded, string CreatedAt, bool? Member,
    bool Federation, IReadOnlyList<MemberCouncil> MemberCouncils, IReadOnlyList<string> Federations);

public sealed record JoinResponse(bool Joined, string? Motion);

public sealed record MotionAccepted(string Motion, string State);

public sealed record InvitationResponse(string Url, string Invitation);

/// <summary>A log entry as exported: the payload is the exact JSON text that was hashed, so anyone can recompute the hash.</summary>
public sealed record LogEntryView(string Chain, long Seq, string Time, string Actor, string Type, string Payload, string PreviousHash, string Hash);

/// <param name="Next">When more entries follow: the value of <c>after</c> for the next page (a page holds at most <c>limit</c> entries and about a megabyte).</param>
public sealed record LogResponse(string Chain, IReadOnlyList<LogEntryView> Entries, long? Next);

/// <summary>Councils: forming, reading, joining, leaving, inviting, settings by motion, the public log.</summary>
public static class CouncilsApi
{
    public static void MapCouncilsApi(this IEndpointRouteBuilder api)
    {
        var councils = api.MapGroup("/councils").WithTags("Councils");
        councils.MapPost("/", CreateAsync).WithName("CreateCouncil");
        councils.MapGet("/{id:guid}", GetAsync).WithName("GetCouncil");
        councils.MapPatch("/{id:guid}", ChangeSettingsAsync).WithName("ProposeSettings");
        councils.MapGet("/{id:guid}/motions", MotionsAsync).WithName("ListMotions");
        councils.MapPost("/{id:guid}/members", JoinAsync).WithName("Join").WithMetadata(new OpenToInvitationAttribute());
        councils.MapDelete("/{id:guid}/members/me", LeaveAsync).WithName("Leave");
        councils.MapPost("/{id:guid}/invitations", InviteAsync).WithName("Invite");
        councils.MapGet("/{id:guid}/log", LogAsync).WithName("CouncilLog");
    }

    [Site.Creates]
    private static async Task<IResult> CreateAsync(CreateCouncilRequest request, HttpContext context, Actors actors, Writer writer, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        var (settings, refusal) = (request.Settings ?? new SettingsJson()).Over(CouncilSettings.Default);
        if (refusal is not null)
        {
            return Problems.From(refusal);
        }
        var result = await writer.RunAsync(s => CouncilCommands.Create(s, actor.Id, request.Name, request.Description, settings!, request.Federation ?? false), ct);
        return result.Refusal is { } refused
            ? Problems.From(refused)
            : Results.Created($"/api/v1/councils/{result.Value}", new Created(result.Value.ToString()));
    }

    /// <summary>
    /// Reading a council: a public one is open to anyone, a members-only one to its members. The
    /// answer for a council one may not read is the same 404 as for one that does not exist.
    /// </summary>
    internal static async Task<(CouncilView? Council, (AccountId Id, string Name)? Actor, IResult? Problem)> ReadableAsync(
        Guid id, HttpContext context, Actors actors, CouncilQueries councils, CancellationToken ct)
    {
        var actor = await actors.FindAsync(context);
        var view = await councils.GetAsync(new CouncilId(id), ct);
        if (view is null)
        {
            return (null, actor, Problems.From(Refusal.NotFound("This council")));
        }
        if (view.Council.Settings.Visibility == Visibility.Members
            && (actor is null || !await councils.CanReadAsync(view.Council.Id, actor.Value.Id, ct)))
        {
            return (null, actor, Problems.From(Refusal.NotFound("This council")));
        }
        return (view, actor, null);
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext context, Actors actors, CouncilQueries councils, CancellationToken ct)
    {
        var (view, actor, problem) = await ReadableAsync(id, context, actors, councils, ct);
        if (problem is not null)
        {
            return problem;
        }
        view = await InvisibleCouncils.MaskAsync(context, view!);
        var c = view.Council;
        bool? member = actor is { } a ? await councils.IsMemberAsync(c.Id, a.Id, ct) : null;
        return Results.Ok(new CouncilResponse(c.Id.ToString(), c.Name, c.Description, SettingsJson.View(c.Settings), view.Members,
            c.Settings.SupportNeeded(view.Members), LogEntry.FormatTime(c.CreatedAt), member, c.IsFederation, view.MemberCouncils, view.Federations));
    }

    /// <summary>
    /// No account changes settings: this puts a motion of kind "settings" to the members, which
    /// changes them if it passes (P4) — only the settings the request names, over those in force then.
    /// </summary>
    [Site.Creates]
    private static async Task<IResult> ChangeSettingsAsync(
        Guid id, ChangeSettingsRequest request, HttpContext context, Actors actors, CouncilQueries councils, Writer writer, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        var (view, _, problem) = await ReadableAsync(id, context, actors, councils, ct);
        if (problem is not null)
        {
            return problem;
        }
        if (request.Settings is null)
        {
            return Problems.Problem(400, Codes.InvalidField, "settings is required: the settings to propose.", "settings");
        }
        var (change, refusal) = request.Settings.Change(view!.Council.Settings);
        if (refusal is not null)
        {
            return Problems.From(refusal);
        }
        var motion = new MotionRequest("settings", request.Title ?? "Change the council's settings", request.Text ?? "", Settings: change);
        var result = await writer.RunAsync(s => MotionCommands.Put(s, new CouncilId(id), actor.Id, motion), ct);
        return result.Refusal is { } refused
            ? Problems.From(refused)
            : Results.Accepted($"/api/v1/motions/{result.Value}", new MotionAccepted(result.Value.ToString(), "proposed"));
    }

    /// <summary>A council's motions in the order they were put, a page at a time: pass the last id seen as <c>after</c> for the next.</summary>
    private static async Task<IResult> MotionsAsync(Guid id, Guid? after, int? limit, HttpContext context, Actors actors, CouncilQueries councils, CancellationToken ct)
    {
        var (_, _, problem) = await ReadableAsync(id, context, actors, councils, ct);
        if (problem is not null)
        {
            return problem;
        }
        if (limit is < 1 or > 500)
        {
            return Problems.Problem(400, Codes.InvalidField, "limit must be from 1 to 500.", "limit");
        }
        return Results.Ok(await councils.MotionsAsync(new CouncilId(id), ct, after?.ToString(), limit ?? 100));
    }

    private static async Task<IResult> JoinAsync(
        Guid id, JoinRequest? request, HttpContext context, Actors actors, Writer writer, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        var result = await writer.RunAsync(s => CouncilCommands.Join(s, new CouncilId(id), actor.Id, request?.Invitation), ct);
        if (result.Refusal is { } refused)
        {
            return Problems.From(refused);
        }
        return result.Value!.Joined
            ? Results.Created($"/api/v1/councils/{id}", new JoinResponse(true, null))
            : Results.Accepted($"/api/v1/motions/{result.Value.Application}", new JoinResponse(false, result.Value.Application.ToString()));
    }

    private static async Task<IResult> LeaveAsync(Guid id, HttpContext context, Actors actors, Writer writer, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        var result = await writer.RunAsync(s => CouncilCommands.Leave(s, new CouncilId(id), actor.Id), ct);
        return result.Refusal is { } refused ? Problems.From(refused) : Results.NoContent();
    }

    [Site.Creates]
    private static async Task<IResult> InviteAsync(Guid id, HttpContext context, Actors actors, Writer writer, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        var result = await writer.RunAsync(s => CouncilCommands.Invite(s, new CouncilId(id), actor.Id), ct);
        if (result.Refusal is { } refused)
        {
            return Problems.From(refused);
        }
        string url = $"{context.Request.Scheme}://{context.Request.Host}/councils/{id}/join?invitation={Uri.EscapeDataString(result.Value!)}";
        return Results.Created(url, new InvitationResponse(url, result.Value!));
    }

    private static async Task<IResult> LogAsync(
        Guid id, long? after, int? limit, HttpContext context, Actors actors, CouncilQueries councils, LogQueries log, CancellationToken ct)
    {
        var (_, _, problem) = await ReadableAsync(id, context, actors, councils, ct);
        if (problem is not null)
        {
            return problem;
        }
        if (after is < 0 || limit is < 1 or > 1000)
        {
            return Problems.Problem(400, Codes.InvalidField, "after must be 0 or more; limit from 1 to 1000.", after is < 0 ? "after" : "limit");
        }
        var entries = await log.EntriesAsync(id.ToString(), after ?? 0, limit ?? 1000, ct);
        long last = await log.LastAsync(id.ToString(), ct);
        return Results.Ok(new LogResponse(id.ToString(), [.. entries.Select(View)], entries.Count > 0 && entries[^1].Sequence < last ? entries[^1].Sequence : null));
    }

    public static LogEntryView View(LogEntry e) =>
        new(e.Chain, e.Sequence, LogEntry.FormatTime(e.Time), e.Actor, e.Type, e.Payload, e.PreviousHash, e.Hash);
}
