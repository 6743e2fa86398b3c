using Shura.Core;
using Shura.Storage;
using Shura.Storage.Councils;
using Shura.Storage.Delegation;
using Shura.Web.Accounts;

namespace Shura.Web.Delegation;

public sealed record DelegateRequest(Guid? To, Guid? Motion);

public sealed record DelegationView(string? Motion, string To);

/// <summary>Delegation: letting another member vote for you, in councils that use it.</summary>
public static class DelegationApi
{
    public static void MapDelegationApi(this IEndpointRouteBuilder api)
    {
        var delegation = api.MapGroup("/councils/{id:guid}/delegation").WithTags("Delegation");
        delegation.MapPut("/", SetAsync).WithName("Delegate");
        delegation.MapDelete("/", RevokeAsync).WithName("RevokeDelegation");
        delegation.MapGet("/", MineAsync).WithName("MyDelegations");
    }

    private static async Task<IResult> SetAsync(Guid id, DelegateRequest request, HttpContext context, Actors actors, Writer writer, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        if (request.To is not Guid to)
        {
            return Problems.Problem(400, "invalid-field", "to is required: the member who will vote for you.", "to");
        }
        var result = await writer.RunAsync(s => DelegationCommands.Set(s, new CouncilId(id), actor.Id, new AccountId(to),
            request.Motion is Guid m ? new MotionId(m) : null), ct);
        return result.Refusal is { } refused ? Problems.From(refused) : Results.NoContent();
    }

    private static async Task<IResult> RevokeAsync(Guid id, Guid? motion, HttpContext context, Actors actors, Writer writer, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        var result = await writer.RunAsync(s => DelegationCommands.Revoke(s, new CouncilId(id), actor.Id, motion is Guid m ? new MotionId(m) : null), ct);
        return result.Refusal is { } refused ? Problems.From(refused) : Results.NoContent();
    }

    private static async Task<IResult> MineAsync(Guid id, HttpContext context, Actors actors, CouncilQueries councils, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        var mine = await councils.DelegationsAsync(new CouncilId(id), actor.Id, ct);
        return Results.Ok(mine.Select(d => new DelegationView(d.Motion, d.Trustee)));
    }
}
