using Shura.Core;
using Shura.Storage;
using Shura.Storage.Councils;
using Shura.Storage.Delegation;
using Shura.Web.Accounts;

namespace Shura.Web.Delegation;

public sealed record DelegateRequest(Guid? To, Guid? Motion);

public sealed record DelegationView(string? Motion, string To);

/// <param name="Public">True to become a public delegate: members may then delegate to you, and they see your ballots in this council.</param>
public sealed record PublicDelegateRequest(bool? Public);

public sealed record PublicDelegateView(string Id, string Name, string Since);

/// <summary>Delegation: letting another member vote for you, in councils that use it.</summary>
public static class DelegationApi
{
    public static void MapDelegationApi(this IEndpointRouteBuilder api)
    {
        var delegation = api.MapGroup("/councils/{id:guid}/delegation").WithTags("Delegation");
        delegation.MapPut("/", SetAsync).WithName("Delegate");
        delegation.MapDelete("/", RevokeAsync).WithName("RevokeDelegation");
        delegation.MapGet("/", MineAsync).WithName("MyDelegations");
        delegation.MapPut("/public", DeclareAsync).WithName("BePublicDelegate");
        delegation.MapGet("/public", PublicDelegatesAsync).WithName("PublicDelegates");
    }

    /// <summary>
    /// Becoming (or no longer being) a public delegate. In a council with secret ballots only public
    /// delegates receive delegations, and whoever delegates to them sees their ballots there.
    /// </summary>
    private static async Task<IResult> DeclareAsync(Guid id, PublicDelegateRequest request, HttpContext context, Actors actors, Writer writer, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        if (request.Public is not bool makePublic)
        {
            return Problems.Problem(400, Codes.InvalidField, "public is required: true to be a public delegate, false to stop.", "public");
        }
        var result = await writer.RunAsync(s => DelegationCommands.DeclarePublic(s, new CouncilId(id), actor.Id, makePublic), ct);
        return result.Refusal is { } refused ? Problems.From(refused) : Results.NoContent();
    }

    private static async Task<IResult> PublicDelegatesAsync(Guid id, HttpContext context, Actors actors, CouncilQueries councils, CancellationToken ct)
    {
        var (_, _, problem) = await Councils.CouncilsApi.ReadableAsync(id, context, actors, councils, ct);
        if (problem is not null)
        {
            return problem;
        }
        var delegates = await councils.PublicDelegatesAsync(new CouncilId(id), ct);
        return Results.Ok(delegates.Select(d => new PublicDelegateView(d.Id, d.Name, d.JoinedAt)));
    }

    private static async Task<IResult> SetAsync(Guid id, DelegateRequest request, HttpContext context, Actors actors, Writer writer, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        if (request.To is not Guid to)
        {
            return Problems.Problem(400, Codes.InvalidField, "to is required: the member who will vote for you.", "to");
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
