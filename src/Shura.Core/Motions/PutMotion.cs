using System.Collections.Immutable;

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

    /// <summary>For an erase motion: the comment, or the post, to erase.</summary>
    public CommentId? Comment { get; init; }

    public PostId? Post { get; init; }

    /// <summary>
    /// The subject the request's kind and fields describe: each field belongs to the kinds that use it,
    /// and a kind's own fields must be there. Admissions are not put but applied for.
    /// </summary>
    public Result<MotionSubject> ReadSubject()
    {
        if (!MotionNames.TryParseKind(Kind, out var kind) || kind is MotionKind.Admission or MotionKind.Hide)
        {
            return Refusal.Invalid(Codes.InvalidField, "kind must be decision, choice, election, repeal, settings, recall, federate, secede, instruction, referral or erase.", "kind");
        }
        if (Misplaced(kind) is Refusal misplaced)
        {
            return misplaced;
        }
        return kind switch
        {
            MotionKind.Decision => MotionSubject.Decision.Plain,
            MotionKind.Choice => MotionSubject.Choice.Plain,
            MotionKind.Election => new MotionSubject.Election(Mandate),
            MotionKind.Repeal => Repeals is { } target
                ? new MotionSubject.Repeal(target)
                : Missing("a repeal names the motion it would lift in \"repeals\".", "repeals"),
            MotionKind.Settings => Settings is { } change
                ? new MotionSubject.Settings(change)
                : Missing("a settings motion carries the proposed \"settings\".", "settings"),
            MotionKind.Recall => (Mandate, Holder) is ({ } mandate, { } holder)
                ? new MotionSubject.Recall(mandate, holder)
                : Missing("a recall motion names the \"mandate\" and the \"holder\".", Mandate is null ? "mandate" : "holder"),
            MotionKind.Federate => Federation is { } federation
                ? new MotionSubject.Federate(federation)
                : Missing("a federate motion names the \"federation\" to join.", "federation"),
            MotionKind.Secede => Federation is { } leaving
                ? new MotionSubject.Secede(leaving)
                : Missing("a secede motion names the \"federation\" to leave.", "federation"),
            MotionKind.Instruction => (FederationMotion, Instruction) is ({ } instructed, { } ballot)
                ? new MotionSubject.Instruction(instructed, ballot)
                : FederationMotion is null
                    ? Missing("an instruction names the \"federationMotion\".", "federationMotion")
                    : Missing("an instruction carries the \"ballot\" the delegates must cast.", "ballot"),
            MotionKind.Referral => FederationMotion is { } referred
                ? new MotionSubject.Referral(referred)
                : Missing("a referral names the \"federationMotion\".", "federationMotion"),
            MotionKind.Erase => (Comment, Post) switch
            {
                ({ } comment, null) => new MotionSubject.Erase(Moderation.Moderated.Of(comment)),
                (null, { } post) => new MotionSubject.Erase(Moderation.Moderated.Of(post)),
                _ => Missing("an erase motion names either the \"comment\" or the \"post\" to erase.", Comment is null ? "comment" : "post"),
            },
            _ => throw new InvalidOperationException($"Unread kind {kind}."),
        };
    }

    private Refusal? Misplaced(MotionKind kind)
    {
        (string Field, bool Given, bool Belongs, string Owners)[] fields =
        [
            ("repeals", Repeals is not null, kind == MotionKind.Repeal, "repeal motions only"),
            ("settings", Settings is not null, kind == MotionKind.Settings, "settings motions only"),
            ("mandate", Mandate is not null, kind is MotionKind.Election or MotionKind.Recall, "elections and recall motions"),
            ("holder", Holder is not null, kind == MotionKind.Recall, "recall motions only"),
            ("federation", Federation is not null, kind is MotionKind.Federate or MotionKind.Secede, "federate and secede motions"),
            ("federationMotion", FederationMotion is not null, kind is MotionKind.Instruction or MotionKind.Referral, "instructions and referrals"),
            ("ballot", Instruction is not null, kind == MotionKind.Instruction, "instructions only"),
            ("comment", Comment is not null, kind == MotionKind.Erase, "erase motions only"),
            ("post", Post is not null, kind == MotionKind.Erase, "erase motions only"),
        ];
        return fields.FirstOrDefault(f => f.Given && !f.Belongs) is { Field: not null } wrong
            ? Refusal.Invalid(Codes.InvalidField, $"\"{wrong.Field}\" belongs to {wrong.Owners}.", wrong.Field)
            : null;
    }

    private static Refusal Missing(string message, string field) => Refusal.Invalid(Codes.InvalidField, message, field);
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

    /// <summary>For a federate or secede motion: whether the council is a member of that federation now.</summary>
    public bool AlreadyFederated { get; init; }

    /// <summary>For an erase motion: the text, if it exists.</summary>
    public Moderation.ModerationRules.Text? Moderated { get; init; }
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
    public static Verdict Put(
        MotionId id, MotionRequest request, Council council, AccountId actor, bool isMember, int members,
        MotionContext context, DateTimeOffset now)
    {
        if (!isMember)
        {
            return Refusal.Forbidden(Codes.NotAMember, "Only members can put motions to this council.");
        }
        var subject = request.ReadSubject();
        if (subject.Refusal is { } badSubject)
        {
            return badSubject;
        }
        if (Text.NameProblem(request.Title, "title", 1, 200) is Refusal badTitle)
        {
            return badTitle;
        }
        if (Text.Optional(request.Text, "text", 50_000) is Refusal badText)
        {
            return badText;
        }
        var question = Question(request, subject.Value!, context);
        if (question.Refusal is { } badQuestion)
        {
            return badQuestion;
        }
        if (subject.Value!.Check(council, context) is Refusal badKind)
        {
            return badKind;
        }

        var (options, method, seats, threshold) = question.Value!;
        var kind = subject.Value.Kind;
        var put = MotionPut.Of(id, council.Id, actor, subject.Value, request.Title!.Trim(), request.Text ?? "", options, method, seats,
            threshold, request.Urgent && kind != MotionKind.Recall, request.Draft && !request.Urgent && kind != MotionKind.Recall);
        if (put.Draft)
        {
            return Verdict.Accept(put);
        }
        return Verdict.Accept([put, .. Proposed(put.ToMotion(now), council.Settings, supporters: 1, members, now, actor.ToString())]);
    }

    /// <summary>How a motion is answered: yes / no / abstain with a threshold, or options counted by a method into seats.</summary>
    private sealed record Answering(ImmutableArray<string> Options, TallyMethod Method, int Seats, Threshold Threshold);

    private static Result<Answering> Question(MotionRequest request, MotionSubject subject, MotionContext context)
    {
        var threshold = Threshold.Simple;
        if (request.Threshold is not null && !MotionNames.TryParseThreshold(request.Threshold, out threshold))
        {
            return Refusal.Invalid(Codes.InvalidField, "threshold must be simple, absolute or two-thirds.", "threshold");
        }
        if (subject is not (MotionSubject.Choice or MotionSubject.Election))
        {
            return request.Options is { Count: > 0 } || request.Method is not null || request.Seats is not null
                ? Refusal.Invalid(Codes.InvalidField, $"a {subject.Kind.Name()} is answered yes / no / abstain: it takes no options, method or seats.", "options")
                : new Answering([], TallyMethod.Decision, 1, threshold);
        }
        if (CheckOptions(request.Options, allowEmpty: false) is Refusal badOptions)
        {
            return badOptions;
        }
        ImmutableArray<string> options = [.. request.Options!.Select(o => o.Trim())];
        int seats = request.Seats ?? 1;
        if (subject is MotionSubject.Election { Mandate: not null } election)
        {
            var filled = election.Seats(request.Seats, options, context);
            if (filled.Refusal is { } badElection)
            {
                return badElection;
            }
            seats = filled.Value;
        }
        string? methodName = request.Method ?? (subject is MotionSubject.Election ? (seats == 1 ? "irv" : "stv") : null);
        if (methodName is null || !TallyMethods.TryParse(methodName, out var method) || method == TallyMethod.Decision)
        {
            return Refusal.Invalid(Codes.InvalidField, "method must be one of plurality, approval, score, irv, stv, meek, schulze, ranked-pairs.", "method");
        }
        if (subject is MotionSubject.Election && method is not (TallyMethod.Irv or TallyMethod.Stv or TallyMethod.Meek))
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
        return request.Threshold is not null
            ? Refusal.Invalid(Codes.InvalidField, "a threshold applies to decisions only.", "threshold")
            : new Answering(options, method, seats, Threshold.Simple);
    }

    /// <summary>
    /// Someone applies to a council that admits by motion: an admission motion is put for the
    /// members to support and decide. The applicant is not a member and not a supporter. The motion's
    /// words do not name them: the pages show the applicant's name from their account, so that a
    /// person who deletes their account leaves no name in the log (DESIGN §2, Person).
    /// </summary>
    public static Verdict Apply(MotionId id, Council council, AccountId applicant, bool isMember, bool hasOpenApplication, DateTimeOffset now)
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
        return Verdict.Accept(MotionPut.Of(id, council.Id, applicant, new MotionSubject.Admission(applicant), "Admission of a new member",
            "A person applies to join the council: the applicant named on this motion.", [], TallyMethod.Decision, 1, Threshold.Simple, urgent: false, draft: false));
    }

    /// <summary>
    /// A person became a member (by joining, an invitation or another motion): their applications
    /// still before the members lapse, since there is nothing left to decide. The motion that
    /// admitted them is closed already and is not among <paramref name="openApplications"/>.
    /// </summary>
    public static IEnumerable<Event> EndApplications(IEnumerable<Motion> openApplications, AccountId member) =>
        openApplications
            .Where(m => m.Subject is MotionSubject.Admission a && a.Applicant == member && m.IsOpen)
            .Select(m => new MotionLapsed(m.Id, m.Council, MotionLapsed.ApplicantJoined));

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
        Subject = put.ToSubject(),
        Title = put.Title,
        Text = put.Text,
        Options = put.Options,
        Method = put.Method,
        Seats = put.Seats,
        Threshold = put.Threshold,
        Urgent = put.Urgent,
        State = put.Draft ? MotionState.Draft : MotionState.Proposed,
        CreatedAt = now,
        Supporters = put.Draft || put.Kind is MotionKind.Admission or MotionKind.Hide || put.ByElection ? 0 : 1,
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
