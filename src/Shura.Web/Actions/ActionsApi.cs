using Shura.Core;
using Shura.Storage;
using Shura.Storage.Actions;
using Shura.Storage.Councils;
using Shura.Web.Accounts;
using Shura.Web.Councils;

namespace Shura.Web.Actions;

public sealed record CreateActionRequest(string? Description, DateTimeOffset? Due, Guid? Executors);

public sealed record ReportRequest(string? Text, string? Status);

/// <summary>Actions that carry out decisions, their executors and progress.</summary>
public static class ActionsApi
{
    public static void MapActionsApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/motions/{id:guid}/actions", CreateAsync).WithName("CreateAction").WithTags("Actions");
        api.MapGet("/actions/{id:guid}", GetAsync).WithName("GetAction").WithTags("Actions");
        api.MapPost("/actions/{id:guid}/volunteers", VolunteerAsync).WithName("Volunteer").WithTags("Actions");
        api.MapPost("/actions/{id:guid}/reports", ReportAsync).WithName("ReportProgress").WithTags("Actions");
        api.MapGet("/councils/{id:guid}/actions", OfCouncilAsync).WithName("CouncilActions").WithTags("Actions");
    }

    [Site.Creates]
    private static async Task<IResult> CreateAsync(Guid id, CreateActionRequest request, HttpContext context, Actors actors, Writer writer, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        var result = await writer.RunAsync(s => ActionCommands.Create(s, new MotionId(id), actor.Id, request.Description, request.Due,
            request.Executors is Guid m ? new MandateId(m) : null), ct);
        return result.Refusal is { } refused
            ? Problems.From(refused)
            : Results.Created($"/api/v1/actions/{result.Value}", new Accounts.Created(result.Value.ToString()));
    }

    private static async Task<IResult> GetAsync(
        Guid id, HttpContext context, Actors actors, CouncilQueries councils, ActionQueries actions, TimeProvider clock, CancellationToken ct)
    {
        if (await actions.GetAsync(new ActionId(id), clock.GetUtcNow(), ct) is not { } view)
        {
            return Problems.From(Refusal.NotFound("This action"));
        }
        var (_, _, problem) = await CouncilsApi.ReadableAsync(Guid.Parse(view.Council), context, actors, councils, ct);
        return problem is not null ? Problems.From(Refusal.NotFound("This action")) : Results.Ok(view);
    }

    private static async Task<IResult> VolunteerAsync(Guid id, HttpContext context, Actors actors, Writer writer, ActionQueries actions, TimeProvider clock, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        var result = await writer.RunAsync(s => ActionCommands.Volunteer(s, new ActionId(id), actor.Id), ct);
        return result.Refusal is { } refused ? Problems.From(refused) : Results.Ok(await actions.GetAsync(new ActionId(id), clock.GetUtcNow(), ct));
    }

    [Site.Creates]
    private static async Task<IResult> ReportAsync(
        Guid id, ReportRequest request, HttpContext context, Actors actors, Writer writer, ActionQueries actions, TimeProvider clock, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        var result = await writer.RunAsync(s => ActionCommands.Report(s, new ActionId(id), actor.Id, request.Text, request.Status), ct);
        return result.Refusal is { } refused ? Problems.From(refused) : Results.Ok(await actions.GetAsync(new ActionId(id), clock.GetUtcNow(), ct));
    }

    private static async Task<IResult> OfCouncilAsync(
        Guid id, bool? overdue, HttpContext context, Actors actors, CouncilQueries councils, ActionQueries actions, TimeProvider clock, CancellationToken ct)
    {
        var (_, _, problem) = await CouncilsApi.ReadableAsync(id, context, actors, councils, ct);
        return problem ?? Results.Ok(await actions.OfCouncilAsync(new CouncilId(id), overdue ?? false, clock.GetUtcNow(), ct));
    }
}
