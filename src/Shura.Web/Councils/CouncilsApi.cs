using Shura.Core.Councils;
using Shura.Core.Log;
using Shura.Core.Motions;
using Shura.Storage.Log;
using Shura.Storage.Motions;

namespace Shura.Web.Councils;

public sealed record CreateCouncilRequest(string? Name, string? Description, SettingsJson? Settings, bool? Federation);

public sealed record ChangeSettingsRequest(SettingsJson? Settings, string? Title, string? Text);

public sealed record JoinRequest(string? Invitation);

/// <summary>How many people a list invited.</summary>
public sealed record ImportResponse(int Invited);

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
        councils.MapDelete("/{id:guid}/members/me", (CouncilId id, Me me, Commands commands, CancellationToken ct) =>
            commands.AnswerAsync(me.Id, Limit.None, s => CouncilCommands.Leave(s, id, me.Id), _ => TypedResults.NoContent(), ct)).WithName("Leave");
        councils.MapPost("/{id:guid}/invitations", InviteAsync).WithName("Invite");
        councils.MapPost("/{id:guid}/invitations/import", ImportAsync).WithName("ImportMembers").WithMetadata(new RawBody("text/csv"));
        councils.MapGet("/{id:guid}/log", LogAsync).WithName("CouncilLog");
    }

    /// <summary>The answer for a council that does not exist, or that this caller may not read: the same.</summary>
    internal static ProblemHttpResult NoSuchCouncil => Problems.From(Refusal.NotFound("This council"));

    private static async Task<Results<Created<CreatedId>, ProblemHttpResult>> CreateAsync(CreateCouncilRequest request, Me me, Commands commands, CancellationToken ct)
    {
        var (settings, refusal) = (request.Settings ?? new SettingsJson()).Over(CouncilSettings.Default);
        if (refusal is not null)
        {
            return Problems.From(refusal);
        }
        return await commands.AnswerAsync(me.Id, Limit.Creation,
            s => CouncilCommands.Create(s, me.Id, request.Name, request.Description, settings!, request.Federation ?? false),
            created => TypedResults.Created($"/api/v1/councils/{created}", new CreatedId(created.ToString())), ct);
    }

    private static async Task<Results<Ok<CouncilResponse>, ProblemHttpResult>> GetAsync(CouncilId id, HttpContext context, CouncilQueries councils, CancellationToken ct)
    {
        if (await InvisibleCouncils.ReadableAsync(context, id) is not { } readable)
        {
            return NoSuchCouncil;
        }
        var view = await InvisibleCouncils.MaskAsync(context, readable);
        var c = view.Council;
        bool? member = context.User.Person() is { } reader ? await councils.IsMemberAsync(c.Id, reader, ct) : null;
        return TypedResults.Ok(new CouncilResponse(c.Id.ToString(), c.Name, c.Description, SettingsJson.View(c.Settings), view.Members,
            c.Settings.SupportNeeded(view.Members), LogEntry.FormatTime(c.CreatedAt), member, c.IsFederation, view.MemberCouncils, view.Federations));
    }

    /// <summary>
    /// No account changes settings: this puts a motion of kind "settings" to the members, which
    /// changes them if it passes (P4) — only the settings the request names, over those in force then.
    /// </summary>
    private static async Task<Results<Accepted<MotionAccepted>, ProblemHttpResult>> ChangeSettingsAsync(
        CouncilId id, ChangeSettingsRequest request, Me me, HttpContext context, Commands commands, CancellationToken ct)
    {
        if (await InvisibleCouncils.ReadableAsync(context, id) is not { } view)
        {
            return NoSuchCouncil;
        }
        if (request.Settings is null)
        {
            return Problems.Invalid("settings", "settings is required: the settings to propose.");
        }
        var (change, refusal) = request.Settings.Change(view.Council.Settings);
        if (refusal is not null)
        {
            return Problems.From(refusal);
        }
        var motion = new MotionRequest("settings", request.Title ?? "Change the council's settings", request.Text ?? "", Settings: change);
        return await commands.AnswerAsync(me.Id, Limit.Creation, s => MotionCommands.Put(s, id, me.Id, motion),
            put => TypedResults.Accepted($"/api/v1/motions/{put}", new MotionAccepted(put.ToString(), "proposed")), ct);
    }

    /// <summary>A council's motions in the order they were put, a page at a time: pass the last id seen as <c>after</c> for the next.</summary>
    private static async Task<Results<Ok<IReadOnlyList<MotionSummary>>, ProblemHttpResult>> MotionsAsync(
        CouncilId id, Guid? after, int? limit, HttpContext context, CouncilQueries councils, CancellationToken ct)
    {
        if (await InvisibleCouncils.ReadableAsync(context, id) is null)
        {
            return NoSuchCouncil;
        }
        if (limit is < 1 or > 500)
        {
            return Problems.Invalid("limit", "limit must be from 1 to 500.");
        }
        return TypedResults.Ok(await councils.MotionsAsync(id, context.User.Person(), ct, after?.ToString(), limit ?? 100));
    }

    private static async Task<Results<Created<JoinResponse>, Accepted<JoinResponse>, ProblemHttpResult>> JoinAsync(
        CouncilId id, JoinRequest? request, Me me, Commands commands, CancellationToken ct)
    {
        var result = await commands.RunAsync(me.Id, Limit.None, s => CouncilCommands.Join(s, id, me.Id, request?.Invitation), ct);
        if (result.Refusal is { } refused)
        {
            return Problems.From(refused);
        }
        return result.Value!.Joined
            ? TypedResults.Created($"/api/v1/councils/{id}", new JoinResponse(true, null))
            : TypedResults.Accepted($"/api/v1/motions/{result.Value.Application}", new JoinResponse(false, result.Value.Application.ToString()));
    }

    private static Task<Results<Created<InvitationResponse>, ProblemHttpResult>> InviteAsync(CouncilId id, Me me, HttpContext context, Commands commands, CancellationToken ct) =>
        commands.AnswerAsync(me.Id, Limit.Creation, s => CouncilCommands.Invite(s, id, me.Id), invitation =>
        {
            string url = $"{context.Request.Scheme}://{context.Request.Host}/councils/{id}/join?invitation={Uri.EscapeDataString(invitation!)}";
            return TypedResults.Created(url, new InvitationResponse(url, invitation!));
        }, ct);

    /// <summary>
    /// A member invites a list of people (CSV: name,email) by e-mail in one step. The whole list is
    /// checked first: a bad row invites nobody and the answer names its line and column.
    /// </summary>
    private static async Task<Results<Created<ImportResponse>, ProblemHttpResult>> ImportAsync(
        CouncilId id, HttpRequest request, Me me, Commands commands, MemberInvitations invitations, CancellationToken ct)
    {
        if (await InvisibleCouncils.ReadableAsync(request.HttpContext, id) is null)
        {
            return NoSuchCouncil;
        }
        using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8);
        var (people, problem) = MemberImport.Read(await reader.ReadToEndAsync(ct));
        if (problem is not null)
        {
            return ListProblem(problem);
        }
        var answer = await invitations.SendAsync(id, me.Id, me.Name, people!, (me2, command) => commands.RunAsync(me2, Limit.Creation, command, ct), ct);
        return answer.Refusal is { } refused ? Problems.From(refused) : TypedResults.Created($"/api/v1/councils/{id}", new ImportResponse(answer.Value));
    }

    /// <summary>A bad list, as problem+json with the line and column of what is wrong.</summary>
    internal static ProblemHttpResult ListProblem(ListProblem problem)
    {
        var result = Problems.Problem(422, Codes.InvalidList, $"line {problem.Line}, column {problem.Column}: {problem.Message}", "file");
        result.ProblemDetails.Extensions["line"] = problem.Line;
        result.ProblemDetails.Extensions["column"] = problem.Column;
        return result;
    }

    private static async Task<Results<Ok<LogResponse>, ProblemHttpResult>> LogAsync(
        CouncilId id, long? after, int? limit, HttpContext context, LogQueries log, CancellationToken ct)
    {
        if (await InvisibleCouncils.ReadableAsync(context, id) is null)
        {
            return NoSuchCouncil;
        }
        if (after is < 0 || limit is < 1 or > 1000)
        {
            return Problems.Invalid(after is < 0 ? "after" : "limit", "after must be 0 or more; limit from 1 to 1000.");
        }
        var entries = await log.EntriesAsync(id.ToString(), after ?? 0, limit ?? 1000, ct);
        long last = await log.LastAsync(id.ToString(), ct);
        return TypedResults.Ok(new LogResponse(id.ToString(), [.. entries.Select(View)], entries.Count > 0 && entries[^1].Sequence < last ? entries[^1].Sequence : null));
    }

    public static LogEntryView View(LogEntry e) =>
        new(e.Chain, e.Sequence, LogEntry.FormatTime(e.Time), e.Actor, e.Type, e.Payload, e.PreviousHash, e.Hash);
}
