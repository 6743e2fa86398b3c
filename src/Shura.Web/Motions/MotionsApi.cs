using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shura.Core;
using Shura.Core.Counting;
using Shura.Core.Log;
using Shura.Core.Motions;
using Shura.Storage;
using Shura.Storage.Councils;
using Shura.Storage.Motions;
using Shura.Web.Accounts;
using Shura.Web.Councils;

namespace Shura.Web.Motions;

public sealed record PutMotionRequest(
    string? Kind, string? Title, string? Text, List<string>? Options, string? Method, int? Seats, string? Threshold,
    bool? Urgent, bool? Draft, Guid? Repeals, SettingsJson? Settings)
{
    /// <summary>For an election to a mandate: the candidates' account ids (the options).</summary>
    public List<string>? Candidates { get; init; }

    public Guid? Mandate { get; init; }

    /// <summary>For a recall motion: the holder to recall.</summary>
    public Guid? Holder { get; init; }

    /// <summary>For a federate motion: the federation to join.</summary>
    public Guid? Federation { get; init; }

    /// <summary>For an instruction or a referral: the federation's motion.</summary>
    public Guid? FederationMotion { get; init; }

    /// <summary>For an instruction: the ballot the council's delegates must cast.</summary>
    public BallotRequest? Ballot { get; init; }
}

public sealed record NominationRequest(Guid? Person);

public sealed record AmendRequest(string? Text);

public sealed record BallotRequest(string? Choice, List<string>? Ranking, List<string>? Approvals, Dictionary<string, int>? Scores);

public sealed record AmendmentCreated(int Number);

public sealed record BallotResponse(string Receipt, MotionBallot Ballot, string? Via = null);

public sealed record MotionDeadlines(string? DeliberationEndsAt, string? VotingEndsAt);

public sealed record MotionResponse(
    string Id, string Council, string Kind, string Title, string Text, IReadOnlyList<string> Options, string? Method, int Seats,
    string? Threshold, bool Urgent, string? Repeals, SettingsView? Settings, string? Applicant, string State, string Proposer,
    int Supporters, int SupportNeeded, IReadOnlyList<AmendmentView> Amendments, MotionDeadlines Deadlines, string CreatedAt,
    string? DecidedAt, bool SecretBallots, bool LiveResults, string? Quorum, long Ballots, JsonObject? Result, BallotResponse? MyBallot)
{
    public string? Mandate { get; init; }

    public bool ByElection { get; init; }

    public string? Holder { get; init; }

    public string? Federation { get; init; }

    public string? FederationMotion { get; init; }

    public MotionBallot? Instruction { get; init; }

    public bool Referred { get; init; }

    /// <summary>In a federation: each delegate's ballot, open to the base councils, with its weight and whether an instruction locks it.</summary>
    public IReadOnlyList<DelegateBallot> DelegateBallots { get; init; } = [];

    /// <summary>For a settings motion: the settings it changes, by name, with their proposed values.</summary>
    public Dictionary<string, object?>? Changes { get; init; }
}

public sealed record MotionStateResponse(string Id, string State);

/// <summary>Motions: putting, proposing, supporting, amending, voting, reading results.</summary>
public static class MotionsApi
{
    public static void MapMotionsApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/councils/{id:guid}/motions", PutAsync).WithName("PutMotion").WithTags("Motions");
        var motions = api.MapGroup("/motions/{id:guid}").WithTags("Motions");
        motions.MapGet("/", GetAsync).WithName("GetMotion");
        motions.MapPost("/propose", (Guid id, HttpContext c, Actors a, Writer w, MotionQueries q, CancellationToken ct) =>
            StepAsync(id, c, a, w, q, (s, actor) => MotionCommands.Propose(s, new MotionId(id), actor), ct)).WithName("ProposeMotion");
        motions.MapPost("/support", (Guid id, HttpContext c, Actors a, Writer w, MotionQueries q, CancellationToken ct) =>
            StepAsync(id, c, a, w, q, (s, actor) => MotionCommands.Support(s, new MotionId(id), actor), ct)).WithName("SupportMotion");
        motions.MapPost("/schedule", (Guid id, HttpContext c, Actors a, Writer w, MotionQueries q, CancellationToken ct) =>
            StepAsync(id, c, a, w, q, (s, actor) => MotionCommands.Schedule(s, new MotionId(id), actor), ct)).WithName("ScheduleMotion");
        motions.MapPost("/amendments", AmendAsync).WithName("ProposeAmendment");
        motions.MapPost("/amendments/{number:int}/adopt", (Guid id, int number, HttpContext c, Actors a, Writer w, MotionQueries q, CancellationToken ct) =>
            StepAsync(id, c, a, w, q, (s, actor) => MotionCommands.Adopt(s, new MotionId(id), actor, number), ct)).WithName("AdoptAmendment");
        motions.MapPut("/ballot", CastAsync).WithName("CastBallot");
        motions.MapPost("/candidates", (Guid id, NominationRequest request, HttpContext c, Actors a, Writer w, MotionQueries q, CancellationToken ct) =>
            request.Person is not Guid person
                ? Task.FromResult(Problems.Problem(400, Codes.InvalidField, "person is required: the account id of the candidate.", "person"))
                : StepAsync(id, c, a, w, q, (s, actor) => MotionCommands.Nominate(s, new MotionId(id), actor, new AccountId(person)), ct)).WithName("Nominate");
        motions.MapDelete("/ballot", WithdrawAsync).WithName("WithdrawBallot");
    }

    [Site.Creates]
    private static async Task<IResult> PutAsync(Guid id, PutMotionRequest request, HttpContext context, Actors actors, CouncilQueries councils, Writer writer, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        var (view, _, problem) = await CouncilsApi.ReadableAsync(id, context, actors, councils, ct);
        if (problem is not null)
        {
            return problem;
        }
        Core.Councils.SettingsChange? settings = null;
        if (request.Settings is not null)
        {
            var (change, refusal) = request.Settings.Change(view!.Council.Settings);
            if (refusal is not null)
            {
                return Problems.From(refusal);
            }
            settings = change;
        }
        if (request.Options is not null && request.Candidates is not null)
        {
            return Problems.Problem(400, Codes.InvalidField, "give either options or candidates, not both.", "candidates");
        }
        var motion = new MotionRequest(request.Kind, request.Title, request.Text, request.Options ?? request.Candidates, request.Method, request.Seats, request.Threshold,
            request.Urgent ?? false, request.Draft ?? false, request.Repeals is Guid r ? new MotionId(r) : null, settings)
        {
            Mandate = request.Mandate is Guid m ? new MandateId(m) : null,
            Holder = request.Holder is Guid h ? new AccountId(h) : null,
            Federation = request.Federation is Guid f ? new Core.CouncilId(f) : null,
            FederationMotion = request.FederationMotion is Guid fm ? new MotionId(fm) : null,
            Instruction = request.Ballot is { } b ? new MotionBallot(b.Choice, b.Ranking, b.Approvals, b.Scores) : null,
        };
        var result = await writer.RunAsync(s => MotionCommands.Put(s, new Core.CouncilId(id), actor.Id, motion), ct);
        return result.Refusal is { } refused
            ? Problems.From(refused)
            : Results.Created($"/api/v1/motions/{result.Value}", new Created(result.Value.ToString()));
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext context, Actors actors, CouncilQueries councils, MotionQueries motions, CancellationToken ct)
    {
        var view = await motions.GetAsync(new MotionId(id), ct);
        if (view is null)
        {
            return Problems.From(Refusal.NotFound("This motion"));
        }
        var (_, actor, problem) = await CouncilsApi.ReadableAsync(view.Motion.Council.Value, context, actors, councils, ct);
        if (problem is not null)
        {
            return Problems.From(Refusal.NotFound("This motion"));
        }
        BallotResponse? mine = null;
        if (actor is { } a && await motions.BallotAsync(view.Motion.Id, Core.Motions.MotionRules.Voter(view.Motion, a.Id, motions.PseudonymKey), ct) is { } own)
        {
            mine = new BallotResponse(own.Receipt, own.Ballot);
        }
        else if (actor is { } member && await motions.DelegatedBallotAsync(view.Motion.Id, member.Id, ct) is { } delegated)
        {
            mine = new BallotResponse("", delegated.Ballot, delegated.Via);
        }
        return Results.Ok(Response(view, mine));
    }

    internal static MotionResponse Response(MotionView view, BallotResponse? mine)
    {
        var m = view.Motion;
        return new MotionResponse(
            m.Id.ToString(), m.Council.ToString(), m.Kind.Name(), m.Title, m.Text, m.Options, m.IsDecision ? null : m.Method.Name(), m.Seats,
            m.IsDecision ? m.EffectiveThreshold.Name() : null, m.Urgent, m.Repeals?.ToString(),
            m.NewSettings is null ? null : SettingsJson.View(m.NewSettings), m.Applicant?.ToString(), m.State.Name(), m.Proposer.ToString(),
            m.Supporters, view.SupportNeeded, view.Amendments,
            new MotionDeadlines(Time(m.DeliberationEndsAt), Time(m.VotingEndsAt)), LogEntry.FormatTime(m.CreatedAt), Time(m.DecidedAt),
            m.SecretBallots, m.LiveResults, m.EffectiveQuorum?.ToString(), view.Ballots, view.Result?.ToJson(), mine)
        {
            Mandate = m.Mandate?.ToString(),
            ByElection = m.ByElection,
            Holder = m.Holder?.ToString(),
            Federation = m.Federation?.ToString(),
            FederationMotion = m.FederationMotion?.ToString(),
            Instruction = m.Instruction,
            Referred = m.Referred,
            DelegateBallots = view.DelegateBallots,
            Changes = m.Changes is { } change ? SettingsJson.View(change) : null,
        };
    }

    private static string? Time(DateTimeOffset? time) => time is { } t ? LogEntry.FormatTime(t) : null;

    private static async Task<IResult> StepAsync(
        Guid id, HttpContext context, Actors actors, Writer writer, MotionQueries motions, Func<WriteSession, AccountId, Result<MotionId>> step, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        var result = await writer.RunAsync(s => step(s, actor.Id), ct);
        if (result.Refusal is { } refused)
        {
            return Problems.From(refused);
        }
        var view = await motions.GetAsync(new MotionId(id), ct);
        return Results.Ok(new MotionStateResponse(id.ToString(), view!.Motion.State.Name()));
    }

    [Site.Creates]
    private static async Task<IResult> AmendAsync(Guid id, AmendRequest request, HttpContext context, Actors actors, Writer writer, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        var result = await writer.RunAsync(s => MotionCommands.Amend(s, new MotionId(id), actor.Id, request.Text), ct);
        return result.Refusal is { } refused
            ? Problems.From(refused)
            : Results.Created($"/api/v1/motions/{id}", new AmendmentCreated(result.Value));
    }

    private static async Task<IResult> CastAsync(Guid id, BallotRequest request, HttpContext context, Actors actors, Writer writer, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        var ballot = new MotionBallot(request.Choice, request.Ranking, request.Approvals, request.Scores);
        var result = await writer.RunAsync(s => MotionCommands.Cast(s, new MotionId(id), actor.Id, ballot), ct);
        return result.Refusal is { } refused
            ? Problems.From(refused)
            : Results.Ok(new BallotResponse(result.Value!.Receipt, result.Value.Ballot));
    }

    private static async Task<IResult> WithdrawAsync(Guid id, HttpContext context, Actors actors, Writer writer, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        var result = await writer.RunAsync(s => MotionCommands.Withdraw(s, new MotionId(id), actor.Id), ct);
        return result.Refusal is { } refused ? Problems.From(refused) : Results.NoContent();
    }
}
