using Shura.Core.Councils;
using Shura.Core.Counting;

namespace Shura.Core.Motions;

/// <summary>What a member asks for when putting a motion, as the API receives it.</summary>
public sealed record MotionRequest(
    string? Kind,
    string? Title,
    string? Text,
    IReadOnlyList<string>? Options = null,
    string? Method = null,
    int? Seats = null,
    string? Threshold = null,
    bool Urgent = false,
    bool Draft = false,
    MotionId? Repeals = null,
    SettingsChange? Settings = null)
{
    public MandateId? Mandate { get; init; }

    public AccountId? Holder { get; init; }

    public CouncilId? Federation { get; init; }

    public MotionId? FederationMotion { get; init; }

    public MotionBallot? Instruction { get; init; }
}

/// <summary>
/// What the store knows that a motion's rules need, looked up before the decision: the motion a
/// repeal would lift, the mandate an election or recall concerns, and so on.
/// </summary>
public sealed record MotionContext
{
    public static readonly MotionContext None = new();

    /// <summary>For a repeal: the motion it would lift.</summary>
    public Motion? Target { get; init; }

    /// <summary>For an election or a recall: the mandate, if it exists in this council.</summary>
    public Mandates.Mandate? Mandate { get; init; }

    /// <summary>For an election: whether a candidate (an account id) may stand: a member of the council.</summary>
    public Func<string, bool> IsEligible { get; init; } = _ => false;

    /// <summary>For a recall: whether the named holder holds a seat of the mandate.</summary>
    public bool HolderHoldsSeat { get; init; }

    /// <summary>For an instruction or referral: the federation's motion, if it exists.</summary>
    public Motion? FederationMotion { get; init; }

    /// <summary>For an instruction or referral: whether this council is a member of that motion's federation.</summary>
    public bool IsMemberOfThatFederation { get; init; }

    /// <summary>For a federate motion: whether the federation exists (and is a federation).</summary>
    public bool FederationExists { get; init; }

    /// <summary>For a federate motion: whether joining would close a cycle in the graph of councils.</summary>
    public bool WouldCycle { get; init; }

    /// <summary>For a federate motion: whether the council is a member already.</summary>
    public bool AlreadyFederated { get; init; }
}

public static partial class MotionRules
{
    public const int MaxOptions = 200;

    /// <summary>How long a recall motion's voting lasts (DESIGN §3: a short decision, default 24 hours).</summary>
    public static readonly TimeSpan RecallVoting = TimeSpan.FromHours(24);

    /// <summary>
    /// A member puts a motion. It starts as proposed (the proposer is its first supporter), or as a
    /// draft. An urgent motion skips the proposed stage and goes straight to voting.
    /// </summary>
    /// <param name="target">For a repeal: the motion it would lift, as it is now.</param>
    public static Verdict Put(
        MotionId id, MotionRequest request, Council council, AccountId actor, bool isMember, int members,
        MotionContext context, DateTimeOffset now)
    {
        var target = context.Target;
        if (!isMember)
        {
            return Refusal.Forbidden(Codes.NotAMember, "Only members can put motions to this council.");
        }
        if (!MotionNames.TryParseKind(request.Kind, out var kind) || kind == MotionKind.Admission)
        {
            return Refusal.Invalid(Codes.InvalidField, "kind must be decision, choice, election, repeal, settings, recall, federate, instruction or referral.", "kind");
        }
        if (Text.NameProblem(request.Title, "title", 1, 200) is Refusal badTitle)
        {
            return badTitle;
        }
        if (Text.Optional(request.Text, "text", 50_000) is Refusal badText)
        {
            return badText;
        }

        var threshold = Threshold.Simple;
        if (request.Threshold is not null && !MotionNames.TryParseThreshold(request.Threshold, out threshold))
        {
            return Refusal.Invalid(Codes.InvalidField, "threshold must be simple, absolute or two-thirds.", "threshold");
        }
        var method = TallyMethod.Decision;
        int seats = request.Seats ?? 1;
        string[] options = [];
        bool isDecision = kind is not (MotionKind.Choice or MotionKind.Election);
        if (isDecision)
        {
            if (request.Options is { Count: > 0 } || request.Method is not null || request.Seats is not null)
            {
                return Refusal.Invalid(Codes.InvalidField, $"a {kind.Name()} is answered yes / no / abstain: it takes no options, method or seats.", "options");
            }
        }
        else
        {
            if (CheckOptions(request.Options, allowEmpty: false) is Refusal badOptions)
            {
                return badOptions;
            }
            options = [.. request.Options!.Select(o => o.Trim())];
            if (kind == MotionKind.Election && request.Mandate is not null)
            {
                if (context.Mandate is not { } mandate)
                {
                    return Refusal.Unprocessable(Codes.UnknownMandate, "The mandate to fill does not exist in this council.", "mandate");
                }
                if (mandate.Continuous)
                {
                    return Refusal.Conflict(Codes.ContinuousElection, "This mandate is held by continuous election: its holders follow the electors' standing ballots.");
                }
                if (options.FirstOrDefault(o => !context.IsEligible(o)) is string ineligible)
                {
                    return Refusal.Unprocessable(Codes.NotEligible, $"Candidate \"{ineligible}\" is not a member of the council (candidates are account ids).", "candidates");
                }
                seats = request.Seats ?? mandate.Seats;
                if (seats != mandate.Seats)
                {
                    return Refusal.Invalid(Codes.InvalidField, $"an election fills the mandate's {mandate.Seats} seats.", "seats");
                }
                seats = Math.Min(seats, options.Length);
            }
            string? methodName = request.Method ?? (kind == MotionKind.Election ? (seats == 1 ? "irv" : "stv") : null);
            if (methodName is null || !TallyMethods.TryParse(methodName, out method) || method == TallyMethod.Decision)
            {
                return Refusal.Invalid(Codes.InvalidField, "method must be one of plurality, approval, score, irv, stv, meek, schulze, ranked-pairs.", "method");
            }
            if (kind == MotionKind.Election && method is not (TallyMethod.Irv or TallyMethod.Stv or TallyMethod.Meek))
            {
                return Refusal.Invalid(Codes.InvalidField, "an election fills seats by irv, stv or meek.", "method");
            }
            if (seats < 1 || seats > options.Length)
            {
                return Refusal.Invalid(Codes.InvalidField, $"seats must be from 1 to the number of options ({options.Length}).", "seats");
            }
            if (method.IsSingleSeat() && seats != 1)
            {
                return Refusal.Invalid(Codes.InvalidField, $"{method.Name()} fills one seat; for {seats} seats use stv or meek.", "seats");
            }
            if (request.Threshold is not null)
            {
                return Refusal.Invalid(Codes.InvalidField, "a threshold applies to decisions only.", "threshold");
            }
        }

        if (kind == MotionKind.Repeal)
        {
            if (request.Repeals is null)
            {
                return Refusal.Invalid(Codes.InvalidField, "a repeal names the motion it would lift in \"repeals\".", "repeals");
            }
            if (target is null || target.Council != council.Id)
            {
                return Refusal.Unprocessable(Codes.UnknownMotion, "The motion to repeal does not exist in this council.", "repeals");
            }
            if (target.State != MotionState.InForce)
            {
                return Refusal.Unprocessable(Codes.NotInForce, "Only a decision in force can be repealed.", "repeals");
            }
        }
        else if (request.Repeals is not null)
        {
            return Refusal.Invalid(Codes.InvalidField, "\"repeals\" belongs to repeal motions only.", "repeals");
        }

        if (kind == MotionKind.Settings)
        {
            if (request.Settings is null)
            {
                return Refusal.Invalid(Codes.InvalidField, "a settings motion carries the proposed \"settings\".", "settings");
            }
            if (request.Settings.IsEmpty)
            {
                return Refusal.Invalid(Codes.InvalidField, "the proposed settings are those in force already: name at least one setting to change.", "settings");
            }
            if (request.Settings.Apply(council.Settings).Problem() is Refusal badSettings)
            {
                return badSettings;
            }
        }
        else if (request.Settings is not null)
        {
            return Refusal.Invalid(Codes.InvalidField, "\"settings\" belongs to settings motions only.", "settings");
        }
        if (CheckKindFields(kind, request, context) is Refusal badKind)
        {
            return badKind;
        }

        var put = new MotionPut(id, council.Id, actor, kind, request.Title!.Trim(), request.Text ?? "", [.. options], method, seats,
            threshold, request.Urgent && kind != MotionKind.Recall, request.Repeals, null, null, request.Draft && !request.Urgent && kind != MotionKind.Recall)
        {
            Changes = request.Settings,
            Mandate = request.Mandate,
            Holder = request.Holder,
            Federation = request.Federation,
            FederationMotion = request.FederationMotion,
            Instruction = request.Instruction,
        };
        if (put.Draft)
        {
            return Verdict.Accept(put);
        }
        return Verdict.Accept([put, .. Proposed(put.ToMotion(now), council.Settings, supporters: 1, members, now, actor.ToString())]);
    }

    /// <summary>
    /// Someone applies to a council that admits by motion: an admission motion is put for the
    /// members to support and decide. The applicant is not a member and not a supporter.
    /// </summary>
    public static Verdict Apply(MotionId id, Council council, AccountId applicant, string name, bool isMember, bool hasOpenApplication, DateTimeOffset now)
    {
        if (isMember)
        {
            return Refusal.Conflict(Codes.AlreadyMember, "You are already a member of this council.");
        }
        if (council.Settings.JoinPolicy != JoinPolicy.Admission)
        {
            return Refusal.Conflict(Codes.NoAdmission, "This council does not admit by motion.");
        }
        if (hasOpenApplication)
        {
            return Refusal.Conflict(Codes.AlreadyApplied, "Your application to this council is already before its members.");
        }
        return Verdict.Accept(new MotionPut(id, council.Id, applicant, MotionKind.Admission, $"Admit {name}",
            $"{name} applies to join the council.", [], TallyMethod.Decision, 1, Threshold.Simple, false, null, null, applicant, false));
    }

    /// <summary>
    /// A person became a member (by joining, an invitation or another motion): their applications
    /// still before the members lapse, since there is nothing left to decide. The motion that
    /// admitted them is closed already and is not among <paramref name="openApplications"/>.
    /// </summary>
    public static IEnumerable<Event> EndApplications(IEnumerable<Motion> openApplications, AccountId member) =>
        openApplications
            .Where(m => m.Kind == MotionKind.Admission && m.Applicant == member && m.IsOpen)
            .Select(m => new MotionLapsed(m.Id, m.Council, MotionLapsed.ApplicantJoined));

    private static Refusal? CheckKindFields(MotionKind kind, MotionRequest request, MotionContext context)
    {
        if (kind != MotionKind.Election && kind != MotionKind.Recall && request.Mandate is not null)
        {
            return Refusal.Invalid(Codes.InvalidField, "\"mandate\" belongs to elections and recall motions.", "mandate");
        }
        switch (kind)
        {
            case MotionKind.Recall:
                if (request.Mandate is null || request.Holder is null)
                {
                    return Refusal.Invalid(Codes.InvalidField, "a recall motion names the \"mandate\" and the \"holder\".", request.Mandate is null ? "mandate" : "holder");
                }
                if (context.Mandate is null)
                {
                    return Refusal.Unprocessable(Codes.UnknownMandate, "The mandate does not exist in this council.", "mandate");
                }
                if (context.Mandate.Continuous)
                {
                    return Refusal.Conflict(Codes.ContinuousElection, "This mandate is held by continuous election: change your standing ballot instead of recalling.");
                }
                if (!context.HolderHoldsSeat)
                {
                    return Refusal.Conflict(Codes.NotAHolder, "This person holds no seat of this mandate.");
                }
                break;
            case MotionKind.Federate:
                if (request.Federation is null)
                {
                    return Refusal.Invalid(Codes.InvalidField, "a federate motion names the \"federation\" to join.", "federation");
                }
                if (!context.FederationExists)
                {
                    return Refusal.Unprocessable(Codes.UnknownFederation, "No federation has this id.", "federation");
                }
                if (context.AlreadyFederated)
                {
                    return Refusal.Conflict(Codes.AlreadyFederated, "The council is a member of this federation already.");
                }
                if (context.WouldCycle)
                {
                    return Refusal.Unprocessable(Codes.FederationCycle,
                        "Joining would make the council a member of itself through the federations it belongs to; the graph of councils has no cycles.", "federation");
                }
                break;
            case MotionKind.Instruction or MotionKind.Referral:
                if (request.FederationMotion is null)
                {
                    return Refusal.Invalid(Codes.InvalidField, $"a{(kind == MotionKind.Instruction ? "n instruction" : " referral")} names the \"federationMotion\".", "federationMotion");
                }
                if (context.FederationMotion is not { } target || !context.IsMemberOfThatFederation)
                {
                    return Refusal.Unprocessable(Codes.UnknownMotion, "No motion of a federation this council belongs to has this id.", "federationMotion");
                }
                if (target.State is not (MotionState.Proposed or MotionState.Deliberation or MotionState.Voting))
                {
                    return Refusal.Conflict(Codes.MotionClosed, "The federation's motion is no longer open.");
                }
                if (kind == MotionKind.Referral && !target.IsDecision)
                {
                    return Refusal.Unprocessable(Codes.NotADecision, "Only a federation decision can be referred to a direct vote.", "federationMotion");
                }
                if (kind == MotionKind.Instruction)
                {
                    if (request.Instruction is null)
                    {
                        return Refusal.Invalid(Codes.InvalidField, "an instruction carries the \"ballot\" the delegates must cast.", "ballot");
                    }
                    if (request.Instruction.Validate(target).Refusal is Refusal badBallot)
                    {
                        return badBallot with { Field = "ballot." + badBallot.Field };
                    }
                }
                break;
        }
        return null;
    }

    private static Refusal? CheckOptions(IReadOnlyList<string>? options, bool allowEmpty)
    {
        if (options is null || (options.Count < 1 && !allowEmpty))
        {
            return Refusal.Invalid(Codes.InvalidField, "options needs at least one option.", "options");
        }
        if (options.Count > MaxOptions)
        {
            return Refusal.Invalid(Codes.InvalidField, $"at most {MaxOptions} options.", "options");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string? option in options)
        {
            if (Text.NameProblem(option, "options", 1, 200) is Refusal bad)
            {
                return bad;
            }
            if (!seen.Add(option!.Trim()))
            {
                return Refusal.Invalid(Codes.InvalidField, $"option \"{option}\" is given twice.", "options");
            }
        }
        return null;
    }

    /// <summary>The motion as it is right after <paramref name="put"/>.</summary>
    public static Motion ToMotion(this MotionPut put, DateTimeOffset now) => new()
    {
        Id = put.Motion,
        Council = put.CouncilId,
        Proposer = put.Proposer,
        Kind = put.Kind,
        Title = put.Title,
        Text = put.Text,
        Options = put.Options,
        Method = put.Method,
        Seats = put.Seats,
        Threshold = put.Threshold,
        Urgent = put.Urgent,
        Repeals = put.Repeals,
        NewSettings = put.NewSettings,
        Changes = put.Changes,
        Applicant = put.Applicant,
        Mandate = put.Mandate,
        ByElection = put.ByElection,
        Holder = put.Holder,
        Federation = put.Federation,
        FederationMotion = put.FederationMotion,
        Instruction = put.Instruction,
        State = put.Draft ? MotionState.Draft : MotionState.Proposed,
        CreatedAt = now,
        Supporters = put.Draft || put.Kind == MotionKind.Admission || put.ByElection ? 0 : 1,
    };

    /// <summary>
    /// What follows once a motion has <paramref name="supporters"/>: nothing yet, or deliberation,
    /// and voting at once when the deliberation period is zero. Urgent motions skip straight to a
    /// voting period of a third of the council's (at least one second).
    /// </summary>
    internal static IEnumerable<Event> Proposed(Motion motion, CouncilSettings settings, int supporters, int members, DateTimeOffset now, string by)
    {
        if (motion.Kind == MotionKind.Recall)
        {
            // A recall is short and needs no support: voting opens at once, for 24 hours.
            yield return new DeliberationStarted(motion.Id, motion.Council, now, by);
            yield return new VotingStarted(motion.Id, motion.Council, now + RecallVoting, settings.SecretBallots, settings.LiveResults, new Quorum(1, 3), by);
            yield break;
        }
        if (motion.Urgent)
        {
            yield return new DeliberationStarted(motion.Id, motion.Council, now, by);
            var shortened = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, settings.VotingPeriod.Ticks / 3));
            yield return StartVoting(motion, settings, now, shortened, by);
            yield break;
        }
        if (supporters < settings.SupportNeeded(members))
        {
            yield break;
        }
        yield return new DeliberationStarted(motion.Id, motion.Council, now + settings.DeliberationPeriod, by);
        if (settings.DeliberationPeriod == TimeSpan.Zero)
        {
            yield return StartVoting(motion, settings, now, settings.VotingPeriod, by);
        }
    }

    internal static VotingStarted StartVoting(Motion motion, CouncilSettings settings, DateTimeOffset now, TimeSpan period, string by) =>
        new(motion.Id, motion.Council, now + period, settings.SecretBallots, settings.LiveResults, settings.Quorum, by);
}
