using Shura.Core;
using Shura.Core.Log;
using Shura.Storage;
using Shura.Storage.Councils;
using Shura.Storage.Mandates;
using Shura.Web.Accounts;
using Shura.Web.Councils;

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

    [Site.Creates]
    private static async Task<IResult> CreateAsync(Guid id, CreateMandateRequest request, HttpContext context, Actors actors, Writer writer, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        TimeSpan? settle = null;
        if (request.Continuous == true)
        {
            settle = Core.Mandates.ContinuousElection.DefaultSettlePeriod;
            if (request.SettlePeriod is not null)
            {
                settle = SettingsJson.Duration(request.SettlePeriod);
                if (settle is null)
                {
                    return Problems.Problem(400, Codes.InvalidField, "settlePeriod must be an ISO 8601 duration such as \"PT24H\".", "settlePeriod");
                }
            }
        }
        else if (request.SettlePeriod is not null)
        {
            return Problems.Problem(400, Codes.InvalidField, "settlePeriod belongs to a continuous election (continuous: true).", "settlePeriod");
        }
        var result = await writer.RunAsync(s => MandateCommands.Create(s, new CouncilId(id), actor.Id, request.Name, request.Kind, request.Seats,
            request.Federation is Guid f ? new CouncilId(f) : null, request.Powers, settle), ct);
        return result.Refusal is { } refused
            ? Problems.From(refused)
            : Results.Created($"/api/v1/mandates/{result.Value}", new Created(result.Value.ToString()));
    }

    private static async Task<IResult> ListAsync(Guid id, HttpContext context, Actors actors, CouncilQueries councils, MandateQueries mandates, CancellationToken ct)
    {
        var (_, _, problem) = await CouncilsApi.ReadableAsync(id, context, actors, councils, ct);
        if (problem is not null)
        {
            return problem;
        }
        var list = new List<MandateResponse>();
        foreach (var mandate in await mandates.OfCouncilAsync(new CouncilId(id), ct))
        {
            list.Add(Response((await mandates.GetAsync(mandate.Id, ct))!));
        }
        return Results.Ok(list);
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext context, Actors actors, CouncilQueries councils, MandateQueries mandates, CancellationToken ct)
    {
        var viewer = await actors.FindAsync(context);
        if (await mandates.GetAsync(new MandateId(id), ct, viewer?.Id) is not { } view)
        {
            return Problems.From(Refusal.NotFound("This mandate"));
        }
        var (_, _, problem) = await CouncilsApi.ReadableAsync(view.Mandate.Council.Value, context, actors, councils, ct);
        return problem is not null ? Problems.From(Refusal.NotFound("This mandate")) : Results.Ok(Response(view));
    }

    /// <summary>
    /// Withdraws or restores the caller's confidence in a holder, and answers with the mandate as it
    /// is after the change: the request that crosses the threshold already shows the recall.
    /// </summary>
    private static async Task<IResult> ConfidenceAsync(
        Guid id, Guid person, ConfidenceRequest request, HttpContext context, Actors actors, Writer writer, MandateQueries mandates, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        if (request.Withdrawn is not bool withdrawn)
        {
            return Problems.Problem(400, Codes.InvalidField, "withdrawn is required: true to withdraw confidence, false to restore it.", "withdrawn");
        }
        var result = await writer.RunAsync(s => MandateCommands.ChangeConfidence(s, new MandateId(id), new AccountId(person), actor.Id, withdrawn), ct);
        if (result.Refusal is { } refused)
        {
            return Problems.From(refused);
        }
        return Results.Ok(Response((await mandates.GetAsync(new MandateId(id), ct, actor.Id))!));
    }

    /// <summary>
    /// Sets the caller's standing ballot for a mandate held by continuous election and answers with
    /// the mandate after it: a newcomer ranked above the holder by an absolute majority already holds the seat.
    /// </summary>
    private static async Task<IResult> RankAsync(
        Guid id, RankingRequest request, HttpContext context, Actors actors, Writer writer, MandateQueries mandates, CancellationToken ct)
    {
        if (request.Ranking is null)
        {
            return Problems.Problem(400, Codes.InvalidField, "ranking is required: the candidates' account ids, most preferred first.", "ranking");
        }
        return await StandingAsync(id, [.. request.Ranking.Select(r => new AccountId(r))], context, actors, writer, mandates, ct);
    }

    private static Task<IResult> UnrankAsync(Guid id, HttpContext context, Actors actors, Writer writer, MandateQueries mandates, CancellationToken ct) =>
        StandingAsync(id, null, context, actors, writer, mandates, ct);

    private static async Task<IResult> StandingAsync(
        Guid id, List<AccountId>? ranking, HttpContext context, Actors actors, Writer writer, MandateQueries mandates, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        var result = await writer.RunAsync(s => MandateCommands.SetStandingBallot(s, new MandateId(id), actor.Id, ranking), ct);
        if (result.Refusal is { } refused)
        {
            return Problems.From(refused);
        }
        return Results.Ok(Response((await mandates.GetAsync(new MandateId(id), ct, actor.Id))!));
    }

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
