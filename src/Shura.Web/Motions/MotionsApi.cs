using System.Text.Json.Nodes;
using Shura.Core.Counting;
using Shura.Core.Log;
using Shura.Core.Motions;
using Shura.Storage.Motions;
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

    /// <summary>For a federate motion: the federation to join; for a secede motion, the federation to leave.</summary>
    public Guid? Federation { get; init; }

    /// <summary>For an instruction or a referral: the federation's motion.</summary>
    public Guid? FederationMotion { get; init; }

    /// <summary>For an instruction: the ballot the council's delegates must cast.</summary>
    public BallotRequest? Ballot { get; init; }

    /// <summary>For an erase motion: the comment to erase (or <see cref="Post"/>).</summary>
    public Guid? Comment { get; init; }

    /// <summary>For an erase motion: the post to erase (or <see cref="Comment"/>).</summary>
    public Guid? Post { get; init; }
}

public sealed record NominationRequest(Guid? Person);

public sealed record AmendRequest(string? Text);

public sealed record BallotRequest(string? Choice, List<string>? Ranking, List<string>? Approvals, Dictionary<string, int>? Scores);

public sealed record AmendmentCreated(int Number);

/// <summary>A counter-proposal's number, and the option that stands for it on the ballot.</summary>
public sealed record CounterProposalCreated(int Number, string Option);

public sealed record BallotResponse(string Receipt, MotionBallot Ballot, string? Via = null);

public sealed record MotionDeadlines(string? DeliberationEndsAt, string? VotingEndsAt);

public sealed record MotionResponse(
    string Id, string Council, string Kind, string Title, string Text, IReadOnlyList<string> Options, string? Method, int Seats,
    string? Threshold, bool Urgent, string? Repeals, SettingsView? Settings, string? Applicant, string State, string? Proposer,
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

    /// <summary>
    /// For a decision: the competing texts put to it. With any, the decision is voted as a Schulze
    /// ranking of "original", "counter-proposal-N" and "none-of-these" (its options once voting opens).
    /// </summary>
    public IReadOnlyList<CounterProposalView> CounterProposals { get; init; } = [];

    /// <summary>For a hide or erase motion: the comment or post it is about (its words: <c>GET /motions/{id}/moderated</c>, for members).</summary>
    public ModeratesView? Moderates { get; init; }
}

public sealed record ModeratesView(string? Comment, string? Post);

public sealed record MotionStateResponse(string Id, string State);

/// <summary>Motions: putting, proposing, supporting, amending, voting, reading results.</summary>
public static class MotionsApi
{
    public static void MapMotionsApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/councils/{id:guid}/motions", PutAsync).WithName("PutMotion").WithTags("Motions");
        var motions = api.MapGroup("/motions/{id:guid}").WithTags("Motions");
        motions.MapGet("/", GetAsync).WithName("GetMotion");
        motions.MapPost("/propose", (MotionId id, Me me, Commands c, MotionQueries q, CancellationToken ct) =>
            StepAsync(id, me, c, q, s => MotionCommands.Propose(s, id, me.Id), ct)).WithName("ProposeMotion");
        motions.MapPost("/support", (MotionId id, Me me, Commands c, MotionQueries q, CancellationToken ct) =>
            StepAsync(id, me, c, q, s => MotionCommands.Support(s, id, me.Id), ct)).WithName("SupportMotion");
        motions.MapPost("/schedule", (MotionId id, Me me, Commands c, MotionQueries q, CancellationToken ct) =>
            StepAsync(id, me, c, q, s => MotionCommands.Schedule(s, id, me.Id), ct)).WithName("ScheduleMotion");
        motions.MapPost("/amendments", (MotionId id, AmendRequest request, Me me, Commands c, CancellationToken ct) =>
            c.AnswerAsync(me.Id, Limit.Creation, s => MotionCommands.Amend(s, id, me.Id, request.Text),
                number => TypedResults.Created($"/api/v1/motions/{id}", new AmendmentCreated(number)), ct)).WithName("ProposeAmendment");
        motions.MapPost("/counter-proposals", (MotionId id, AmendRequest request, Me me, Commands c, CancellationToken ct) =>
            c.AnswerAsync(me.Id, Limit.Creation, s => MotionCommands.CounterPropose(s, id, me.Id, request.Text),
                number => TypedResults.Created($"/api/v1/motions/{id}", new CounterProposalCreated(number, CounterProposals.Option(number))), ct))
            .WithName("PutCounterProposal");
        motions.MapPost("/amendments/{number:int}/adopt", (MotionId id, int number, Me me, Commands c, MotionQueries q, CancellationToken ct) =>
            StepAsync(id, me, c, q, s => MotionCommands.Adopt(s, id, me.Id, number), ct)).WithName("AdoptAmendment");
        motions.MapPut("/ballot", (MotionId id, BallotRequest request, Me me, Commands c, CancellationToken ct) =>
            c.AnswerAsync(me.Id, Limit.Ballot, s => MotionCommands.Cast(s, id, me.Id, new MotionBallot(request.Choice, request.Ranking, request.Approvals, request.Scores)),
                cast => TypedResults.Ok(new BallotResponse(cast.Receipt, cast.Ballot)), ct, s => MotionCommands.Wants(s, id, me.Id))).WithName("CastBallot");
        motions.MapDelete("/ballot", (MotionId id, Me me, Commands c, CancellationToken ct) =>
            c.AnswerAsync(me.Id, Limit.Ballot, s => MotionCommands.Withdraw(s, id, me.Id), _ => TypedResults.NoContent(), ct, s => MotionCommands.Wants(s, id, me.Id))).WithName("WithdrawBallot");
        motions.MapPost("/candidates", NominateAsync).WithName("Nominate");
    }

    private static async Task<Results<Created<CreatedId>, ProblemHttpResult>> PutAsync(
        CouncilId id, PutMotionRequest request, Me me, HttpContext context, Commands commands, CancellationToken ct)
    {
        if (await InvisibleCouncils.ReadableAsync(context, id) is not { } view)
        {
            return CouncilsApi.NoSuchCouncil;
        }
        Core.Councils.SettingsChange? settings = null;
        if (request.Settings is not null)
        {
            var (change, refusal) = request.Settings.Change(view.Council.Settings);
            if (refusal is not null)
            {
                return Problems.From(refusal);
            }
            settings = change;
        }
        if (request.Options is not null && request.Candidates is not null)
        {
            return Problems.Invalid("candidates", "give either options or candidates, not both.");
        }
        var motion = new MotionRequest(request.Kind, request.Title, request.Text, request.Options ?? request.Candidates, request.Method, request.Seats, request.Threshold,
            request.Urgent ?? false, request.Draft ?? false, request.Repeals is Guid r ? new MotionId(r) : null, settings)
        {
            Mandate = request.Mandate is Guid m ? new MandateId(m) : null,
            Holder = request.Holder is Guid h ? new AccountId(h) : null,
            Federation = request.Federation is Guid f ? new CouncilId(f) : null,
            FederationMotion = request.FederationMotion is Guid fm ? new MotionId(fm) : null,
            Instruction = request.Ballot is { } b ? new MotionBallot(b.Choice, b.Ranking, b.Approvals, b.Scores) : null,
            Comment = request.Comment is Guid comment ? new CommentId(comment) : null,
            Post = request.Post is Guid post ? new PostId(post) : null,
        };
        return await commands.AnswerAsync(me.Id, Limit.Creation, s => MotionCommands.Put(s, id, me.Id, motion),
            put => TypedResults.Created($"/api/v1/motions/{put}", new CreatedId(put.ToString())), ct);
    }

    private static async Task<Results<Ok<MotionResponse>, ProblemHttpResult>> GetAsync(MotionId id, HttpContext context, MotionQueries motions, CancellationToken ct)
    {
        var view = await motions.GetAsync(id, ct);
        if (view is null || await InvisibleCouncils.ReadableAsync(context, view.Motion.Council) is null)
        {
            return Problems.From(Refusal.NotFound("This motion"));
        }
        BallotResponse? mine = null;
        if (context.User.Person() is { } reader)
        {
            if (await motions.BallotAsync(view.Motion.Id, MotionRules.Voter(view.Motion, reader, motions.PseudonymKey), ct) is { } own)
            {
                mine = new BallotResponse(own.Receipt, own.Ballot);
            }
            else if (await motions.DelegatedBallotAsync(view.Motion.Id, reader, ct) is { } delegated)
            {
                mine = new BallotResponse("", delegated.Ballot, delegated.Via);
            }
        }
        return TypedResults.Ok(Response(view, mine));
    }

    private static async Task<Results<Ok<MotionStateResponse>, ProblemHttpResult>> NominateAsync(
        MotionId id, NominationRequest request, Me me, Commands commands, MotionQueries motions, CancellationToken ct) =>
        request.Person is not Guid person
            ? Problems.Invalid("person", "person is required: the account id of the candidate.")
            : await StepAsync(id, me, commands, motions, s => MotionCommands.Nominate(s, id, me.Id, new AccountId(person)), ct);

    internal static MotionResponse Response(MotionView view, BallotResponse? mine)
    {
        var m = view.Motion;
        var settings = m.Subject as MotionSubject.Settings;
        return new MotionResponse(
            m.Id.ToString(), m.Council.ToString(), m.Kind.Name(), m.Title, m.Text, m.Options, m.IsDecision ? null : m.Method.Name(), m.Seats,
            m.ComesIntoForce ? m.EffectiveThreshold.Name() : null, m.Urgent, (m.Subject as MotionSubject.Repeal)?.Target.ToString(),
            settings?.Whole is { } whole ? SettingsJson.View(whole) : null, (m.Subject as MotionSubject.Admission)?.Applicant.ToString(), m.State.Name(), m.Proposer == AccountId.TheCouncil ? null : m.Proposer.ToString(),
            m.Supporters, view.SupportNeeded, view.Amendments,
            new MotionDeadlines(Time(m.DeliberationEndsAt), Time(m.VotingEndsAt)), LogEntry.FormatTime(m.CreatedAt), Time(m.DecidedAt),
            m.SecretBallots, m.LiveResults, m.EffectiveQuorum?.ToString(), view.Ballots, view.Result?.ToJson(), mine)
        {
            Mandate = m.Mandate?.ToString(),
            ByElection = m.ByElection,
            Holder = (m.Subject as MotionSubject.Recall)?.Holder.ToString(),
            Federation = (m.Subject switch { MotionSubject.Federate f => f.Federation, MotionSubject.Secede l => l.Federation, _ => (CouncilId?)null })?.ToString(),
            FederationMotion = m.FederationMotion?.ToString(),
            Instruction = (m.Subject as MotionSubject.Instruction)?.Ballot,
            Referred = m.Referred,
            DelegateBallots = view.DelegateBallots,
            Changes = settings?.Changes is { } change ? SettingsJson.View(change) : null,
            CounterProposals = view.CounterProposals,
            Moderates = m.Moderates is { } text ? new ModeratesView(text.Comment?.ToString(), text.Post?.ToString()) : null,
        };
    }

    private static string? Time(DateTimeOffset? time) => time is { } t ? LogEntry.FormatTime(t) : null;

    /// <summary>A step in a motion's life (propose, support, schedule, adopt, nominate): answered with the motion's state after it.</summary>
    private static Task<Results<Ok<MotionStateResponse>, ProblemHttpResult>> StepAsync(
        MotionId id, Me me, Commands commands, MotionQueries motions, Func<WriteSession, Result<MotionId>> step, CancellationToken ct) =>
        commands.AnswerAsync(me.Id, Limit.None, step, async _ =>
            TypedResults.Ok(new MotionStateResponse(id.ToString(), (await motions.GetAsync(id, ct))!.Motion.State.Name())), ct);
}
