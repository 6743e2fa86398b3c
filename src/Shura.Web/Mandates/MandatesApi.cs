using Microsoft.AspNetCore.Http.HttpResults;
using Shura.Core;
using Shura.Core.Log;
using Shura.Storage;
using Shura.Storage.Councils;
using Shura.Storage.Mandates;
using Shura.Web.Accounts;
using Shura.Web.Councils;
using Shura.Web.Site;

namespace Shura.Web.Mandates;

/// <param name="Continuous">Hold the mandate by continuous election (standing ballots) instead of election motions and recalls.</param>
/// <param name="SettlePeriod">For a continuous election: how long new winners must lead before they take the seats (ISO 8601, default PT24H).</param>
public sealed record CreateMandateRequest(string? Name, string? Kind, int? Seats, Guid? Federation, List<string>? Powers, bool? Continuous, string? SettlePeriod);

public sealed record ConfidenceRequest(bool? Withdrawn);

public sealed record RankingRequest(List<Guid>? Ranking);

/// <param name="Continuous">Present for a mandate held by continuous election: the standing count now.</param>
public sealed record MandateResponse(
    string Id, string Council, string Name, string Kind, int Seats, string? Federation, IReadOnlyList<string> Powers,
    IReadOnlyList<HolderView> Holders, int Vacant, string? ByElection, long Electorate, string CreatedAt, ContinuousResponse? Continuous);

/// <param name="Leaders">The winners of the standing ballots now.</param>
/// <param name="Pending">Leaders who will take the seats at <paramref name="SettlesAt"/> if they still lead then.</param>
public sealed record ContinuousResponse(
    string SettlePeriod, long Ballots, IReadOnlyList<string> Leaders, IReadOnlyList<string>? Pending, string? SettlesAt, IReadOnlyList<string>? MyRanking);

/// <summary>Mandates: defining them, reading their holders, withdrawing and restoring confidence.</summary>
public static class MandatesApi
{
    public static void MapMandatesApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/councils/{id:guid}/mandates", CreateAsync).WithName("CreateMandate").WithTags("Mandates");
        api.MapGet("/councils/{id:guid}/mandates", ListAsync).WithName("ListMandates").WithTags("Mandates");
        api.MapGet("/mandates/{id:guid}", GetAsync).WithName("GetMandate").WithTags("Mandates");
        api.MapPut("/mandates/{id:guid}/holders/{person:guid}/confidence", ConfidenceAsync).WithName("ChangeConfidence").WithTags("Mandates");
        api.MapPut("/mandates/{id:guid}/ranking", RankAsync).WithName("SetStandingBallot").WithTags("Mandates");
        api.MapDelete("/mandates/{id:guid}/ranking", UnrankAsync).WithName("WithdrawStandingBallot").WithTags("Mandates");
    }

    private static async Task<Results<Created<CreatedId>, ProblemHttpResult>> CreateAsync(
        CouncilId id, CreateMandateRequest request, Me me, Commands commands, CancellationToken ct)
    {
        TimeSpan? settle = null;
        if (request.Continuous == true)
        {
            settle = Core.Mandates.ContinuousElection.DefaultSettlePeriod;
            if (request.SettlePeriod is not null)
            {
                settle = SettingsJson.Duration(request.SettlePeriod);
                if (settle is null)
                {
                    return Problems.Invalid("settlePeriod", "settlePeriod must be an ISO 8601 duration such as \"PT24H\".");
                }
            }
        }
        else if (request.SettlePeriod is not null)
        {
            return Problems.Invalid("settlePeriod", "settlePeriod belongs to a continuous election (continuous: true).");
        }
        return await commands.AnswerAsync(me.Id, Limit.Creation, s => MandateCommands.Create(s, id, me.Id, request.Name, request.Kind, request.Seats,
            request.Federation is Guid f ? new CouncilId(f) : null, request.Powers, settle),
            created => TypedResults.Created($"/api/v1/mandates/{created}", new CreatedId(created.ToString())), ct);
    }

    private static async Task<Results<Ok<List<MandateResponse>>, ProblemHttpResult>> ListAsync(CouncilId id, HttpContext context, MandateQueries mandates, CancellationToken ct)
    {
        if (await InvisibleCouncils.ReadableAsync(context, id) is null)
        {
            return CouncilsApi.NoSuchCouncil;
        }
        var list = new List<MandateResponse>();
        foreach (var mandate in await mandates.OfCouncilAsync(id, ct))
        {
            list.Add(Response((await mandates.GetAsync(mandate.Id, ct))!));
        }
        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<MandateResponse>, ProblemHttpResult>> GetAsync(MandateId id, HttpContext context, MandateQueries mandates, CancellationToken ct)
    {
        if (await mandates.GetAsync(id, ct, context.User.Person()) is not { } view
            || await InvisibleCouncils.ReadableAsync(context, view.Mandate.Council) is null)
        {
            return Problems.From(Refusal.NotFound("This mandate"));
        }
        return TypedResults.Ok(Response(view));
    }

    /// <summary>
    /// Withdraws or restores the caller's confidence in a holder, and answers with the mandate as it
    /// is after the change: the request that crosses the threshold already shows the recall.
    /// </summary>
    private static async Task<Results<Ok<MandateResponse>, ProblemHttpResult>> ConfidenceAsync(
        MandateId id, AccountId person, ConfidenceRequest request, Me me, Commands commands, MandateQueries mandates, CancellationToken ct) =>
        request.Withdrawn is not bool withdrawn
            ? Problems.Invalid("withdrawn", "withdrawn is required: true to withdraw confidence, false to restore it.")
            : await commands.AnswerAsync(me.Id, Limit.None, s => MandateCommands.ChangeConfidence(s, id, person, me.Id, withdrawn),
                _ => MandateAfterAsync(mandates, id, me, ct), ct);

    /// <summary>
    /// Sets the caller's standing ballot for a mandate held by continuous election and answers with
    /// the mandate after it: a newcomer ranked above the holder by an absolute majority already holds the seat.
    /// </summary>
    private static async Task<Results<Ok<MandateResponse>, ProblemHttpResult>> RankAsync(
        MandateId id, RankingRequest request, Me me, Commands commands, MandateQueries mandates, CancellationToken ct) =>
        request.Ranking is null
            ? Problems.Invalid("ranking", "ranking is required: the candidates' account ids, most preferred first.")
            : await StandingAsync(id, [.. request.Ranking.Select(r => new AccountId(r))], me, commands, mandates, ct);

    private static Task<Results<Ok<MandateResponse>, ProblemHttpResult>> UnrankAsync(MandateId id, Me me, Commands commands, MandateQueries mandates, CancellationToken ct) =>
        StandingAsync(id, null, me, commands, mandates, ct);

    private static Task<Results<Ok<MandateResponse>, ProblemHttpResult>> StandingAsync(
        MandateId id, List<AccountId>? ranking, Me me, Commands commands, MandateQueries mandates, CancellationToken ct) =>
        commands.AnswerAsync(me.Id, Limit.Ballot, s => MandateCommands.SetStandingBallot(s, id, me.Id, ranking),
            _ => MandateAfterAsync(mandates, id, me, ct), ct);

    private static async Task<Ok<MandateResponse>> MandateAfterAsync(MandateQueries mandates, MandateId id, Me me, CancellationToken ct) =>
        TypedResults.Ok(Response((await mandates.GetAsync(id, ct, me.Id))!));

    internal static MandateResponse Response(MandateView view)
    {
        var m = view.Mandate;
        return new MandateResponse(m.Id.ToString(), m.Council.ToString(), m.Name, m.Kind.ToString().ToLowerInvariant(), view.Seats,
            m.Federation?.ToString(), m.Powers, view.Holders, view.Vacant, view.ByElection, view.Electorate, LogEntry.FormatTime(m.CreatedAt),
            view.Standing is { } st
                ? new ContinuousResponse(System.Xml.XmlConvert.ToString(st.SettlePeriod), st.Ballots, st.Leaders, st.Pending, st.SettlesAt, st.MyRanking)
                : null);
    }
}
