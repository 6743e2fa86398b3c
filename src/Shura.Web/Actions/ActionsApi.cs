using Microsoft.AspNetCore.Http.HttpResults;
using Shura.Core;
using Shura.Storage;
using Shura.Storage.Actions;
using Shura.Storage.Councils;
using Shura.Web.Accounts;
using Shura.Web.Councils;
using Shura.Web.Site;

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

    private static Task<Results<Created<CreatedId>, ProblemHttpResult>> CreateAsync(MotionId id, CreateActionRequest request, Me me, Commands commands, CancellationToken ct) =>
        commands.AnswerAsync(me.Id, Limit.Creation, s => ActionCommands.Create(s, id, me.Id, request.Description, request.Due,
            request.Executors is Guid m ? new MandateId(m) : null), created => TypedResults.Created($"/api/v1/actions/{created}", new CreatedId(created.ToString())), ct);

    private static async Task<Results<Ok<ActionView>, ProblemHttpResult>> GetAsync(ActionId id, HttpContext context, ActionQueries actions, TimeProvider clock, CancellationToken ct)
    {
        if (await actions.GetAsync(id, clock.GetUtcNow(), ct) is not { } view
            || await InvisibleCouncils.ReadableAsync(context, new CouncilId(Guid.Parse(view.Council))) is null)
        {
            return Problems.From(Refusal.NotFound("This action"));
        }
        return TypedResults.Ok(view);
    }

    private static Task<Results<Ok<ActionView>, ProblemHttpResult>> VolunteerAsync(
        ActionId id, Me me, Commands commands, ActionQueries actions, TimeProvider clock, CancellationToken ct) =>
        commands.AnswerAsync(me.Id, Limit.None, s => ActionCommands.Volunteer(s, id, me.Id), _ => ActionAfterAsync(actions, id, clock, ct), ct);

    private static Task<Results<Ok<ActionView>, ProblemHttpResult>> ReportAsync(
        ActionId id, ReportRequest request, Me me, Commands commands, ActionQueries actions, TimeProvider clock, CancellationToken ct) =>
        commands.AnswerAsync(me.Id, Limit.Creation, s => ActionCommands.Report(s, id, me.Id, request.Text, request.Status),
            _ => ActionAfterAsync(actions, id, clock, ct), ct);

    private static async Task<Ok<ActionView>> ActionAfterAsync(ActionQueries actions, ActionId id, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok((await actions.GetAsync(id, clock.GetUtcNow(), ct))!);

    private static async Task<Results<Ok<IReadOnlyList<ActionView>>, ProblemHttpResult>> OfCouncilAsync(
        CouncilId id, bool? overdue, HttpContext context, ActionQueries actions, TimeProvider clock, CancellationToken ct) =>
        await InvisibleCouncils.ReadableAsync(context, id) is null
            ? CouncilsApi.NoSuchCouncil
            : TypedResults.Ok(await actions.OfCouncilAsync(id, overdue ?? false, clock.GetUtcNow(), ct));
}
