using Shura.Storage.Delegation;

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
    private static async Task<Results<NoContent, ProblemHttpResult>> DeclareAsync(CouncilId id, PublicDelegateRequest request, Me me, Commands commands, CancellationToken ct) =>
        request.Public is not bool makePublic
            ? Problems.Invalid("public", "public is required: true to be a public delegate, false to stop.")
            : await commands.AnswerAsync(me.Id, Limit.None, s => DelegationCommands.DeclarePublic(s, id, me.Id, makePublic), _ => TypedResults.NoContent(), ct);

    private static async Task<Results<Ok<PublicDelegateView[]>, ProblemHttpResult>> PublicDelegatesAsync(CouncilId id, HttpContext context, CouncilQueries councils, CancellationToken ct)
    {
        if (await Councils.InvisibleCouncils.ReadableAsync(context, id) is null)
        {
            return Councils.CouncilsApi.NoSuchCouncil;
        }
        var delegates = await councils.PublicDelegatesAsync(id, ct);
        return TypedResults.Ok(delegates.Select(d => new PublicDelegateView(d.Id, d.Name, d.JoinedAt)).ToArray());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetAsync(CouncilId id, DelegateRequest request, Me me, Commands commands, CancellationToken ct) =>
        request.To is not Guid to
            ? Problems.Invalid("to", "to is required: the member who will vote for you.")
            : await commands.AnswerAsync(me.Id, Limit.None, s => DelegationCommands.Set(s, id, me.Id, new AccountId(to),
                request.Motion is Guid m ? new MotionId(m) : null), _ => TypedResults.NoContent(), ct);

    private static Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(CouncilId id, Guid? motion, Me me, Commands commands, CancellationToken ct) =>
        commands.AnswerAsync(me.Id, Limit.None, s => DelegationCommands.Revoke(s, id, me.Id, motion is Guid m ? new MotionId(m) : null),
            _ => TypedResults.NoContent(), ct);

    private static async Task<Ok<DelegationView[]>> MineAsync(CouncilId id, Me me, CouncilQueries councils, CancellationToken ct) =>
        TypedResults.Ok((await councils.DelegationsAsync(id, me.Id, ct)).Select(d => new DelegationView(d.Motion, d.Trustee)).ToArray());
}
