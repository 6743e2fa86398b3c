using System.Collections.Immutable;

namespace Shura.Core.Motions;

/// <summary>The kinds of motion of DESIGN §2.</summary>
public enum MotionKind
{
    /// <summary>Yes / no / abstain, with a threshold.</summary>
    Decision,

    /// <summary>Pick among options with a counting method.</summary>
    Choice,

    /// <summary>Fill k seats among candidates (irv, stv or meek).</summary>
    Election,

    /// <summary>A decision that, if passed, lifts an earlier decision still in force.</summary>
    Repeal,

    /// <summary>A decision that, if passed, gives the council new settings.</summary>
    Settings,

    /// <summary>A decision that, if passed, admits an applicant to the council.</summary>
    Admission,

    /// <summary>A short decision (24 hours, simple majority, quorum of a third) that, if passed, recalls a holder.</summary>
    Recall,

    /// <summary>A decision that, if passed, makes the council a member of a federation.</summary>
    Federate,

    /// <summary>A decision that, if passed, binds the council's delegates' ballots on a motion of its federation.</summary>
    Instruction,

    /// <summary>A decision that, if passed, demands that a federation decision go to a direct vote of all base members.</summary>
    Referral,

    /// <summary>A short decision opened by flags: if passed, a flagged text stays hidden; if not, it shows again.</summary>
    Hide,

    /// <summary>A decision that, if passed, erases a text: its words go for good, the log keeps its hash.</summary>
    Erase,

    /// <summary>A decision that, if passed, takes the council out of a federation it belongs to (DESIGN P4: a federation holds only what its members give it).</summary>
    Secede,
}

/// <summary>
/// Where a motion is in its life: draft → proposed (gathering support) → deliberation → voting →
/// decided, then in force or rejected, and possibly repealed. A motion whose question went away
/// before its result was fixed lapses (an application whose applicant became a member another way).
/// </summary>
public enum MotionState
{
    Draft,
    Proposed,
    Deliberation,
    Voting,
    Decided,
    InForce,
    Rejected,
    Repealed,
    Lapsed,
}

/// <summary>
/// A question put to a council. Decision-like kinds (decision, repeal, settings, admission) take
/// yes / no / abstain ballots; choices and elections take ballots for their options.
/// </summary>
public sealed record Motion
{
    public required MotionId Id { get; init; }
    public required CouncilId Council { get; init; }
    public required AccountId Proposer { get; init; }
    public required string Title { get; init; }
    public required string Text { get; init; }
    public ImmutableArray<string> Options { get; init; } = [];
    public TallyMethod Method { get; init; } = TallyMethod.Decision;
    public int Seats { get; init; } = 1;
    public Threshold Threshold { get; init; } = Threshold.Simple;
    public bool Urgent { get; init; }

    /// <summary>What the motion is about: one case per kind, carrying what that kind needs.</summary>
    public required MotionSubject Subject { get; init; }

    public MotionKind Kind => Subject.Kind;

    /// <summary>The mandate an election fills or a recall concerns.</summary>
    public MandateId? Mandate => Subject switch
    {
        MotionSubject.Election e => e.Mandate,
        MotionSubject.Recall r => r.Mandate,
        _ => null,
    };

    /// <summary>An election that fills only the vacant seats, opened by a recall.</summary>
    public bool ByElection => Subject is MotionSubject.Election { ByElection: true };

    /// <summary>The federation's motion an instruction or a referral concerns.</summary>
    /// <summary>The text a hide or erase motion is about.</summary>
    public Moderation.Moderated? Moderates => Subject switch
    {
        MotionSubject.Hide h => h.Text,
        MotionSubject.Erase e => e.Text,
        _ => null,
    };

    public MotionId? FederationMotion => Subject switch
    {
        MotionSubject.Instruction i => i.FederationMotion,
        MotionSubject.Referral r => r.FederationMotion,
        _ => null,
    };

    /// <summary>A federation motion referred to a direct vote of every base member.</summary>
    public bool Referred { get; init; }
    public required MotionState State { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public int Supporters { get; init; }
    public DateTimeOffset? DeliberationEndsAt { get; init; }
    public DateTimeOffset? VotingEndsAt { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
    public bool SecretBallots { get; init; }
    public bool LiveResults { get; init; } = true;
    public Quorum? Quorum { get; init; }

    /// <summary>True for kinds answered yes / no / abstain (a decision with counter-proposals is ranked instead).</summary>
    public bool IsDecision => Kind is not (MotionKind.Choice or MotionKind.Election) && !IsContested;

    /// <summary>A decision whose counter-proposals made it a ranked choice when voting opened (<see cref="CounterProposals"/>).</summary>
    public bool IsContested => Kind == MotionKind.Decision && !Options.IsEmpty;

    /// <summary>Kinds whose passing puts something in force (a decision and its kin), as against choosing or electing.</summary>
    public bool ComesIntoForce => Kind is not (MotionKind.Choice or MotionKind.Election);

    /// <summary>
    /// The motion as it is voted once voting opens: with counter-proposals, a Schulze ranking of
    /// the original, each of them and "none of these"; without, unchanged.
    /// </summary>
    public Motion Contested(int counterProposals) =>
        counterProposals == 0 || !CounterProposals.Takes(this)
            ? this
            : this with { Options = CounterProposals.Options(counterProposals), Method = TallyMethod.Schulze };

    /// <summary>The participation quorum that applies: a recall motion always needs a third of the electorate.</summary>
    public Quorum? EffectiveQuorum => Kind == MotionKind.Recall ? new Quorum(1, 3) : Quorum;

    /// <summary>The majority a decision needs: urgent motions always need an absolute majority.</summary>
    public Threshold EffectiveThreshold => Urgent ? Threshold.Absolute : Threshold;

    /// <summary>True until the result is fixed (or the motion lapsed): a draft, a proposal, in deliberation or voting.</summary>
    public bool IsOpen => State is MotionState.Draft or MotionState.Proposed or MotionState.Deliberation or MotionState.Voting;

    /// <summary>True while ballots may be cast, changed and withdrawn.</summary>
    public bool IsOpenAt(DateTimeOffset now) => State == MotionState.Voting && VotingEndsAt is { } end && now < end;
}

/// <summary>The names the API and the log use for kinds, states, thresholds.</summary>
public static class MotionNames
{
    public static string Name(this MotionKind kind) => kind.ToString().ToLowerInvariant();

    public static string Name(this MotionState state) => state switch
    {
        MotionState.InForce => "in-force",
        _ => state.ToString().ToLowerInvariant(),
    };

    public static string Name(this Threshold threshold) => threshold switch
    {
        Threshold.TwoThirds => "two-thirds",
        _ => threshold.ToString().ToLowerInvariant(),
    };

    public static bool TryParseKind(string? text, out MotionKind kind) =>
        Enum.TryParse(text, ignoreCase: true, out kind) && Enum.IsDefined(kind) && text == kind.Name();

    public static bool TryParseThreshold(string? text, out Threshold threshold)
    {
        threshold = text switch
        {
            "simple" => Threshold.Simple,
            "absolute" => Threshold.Absolute,
            "two-thirds" => Threshold.TwoThirds,
            _ => (Threshold)(-1),
        };
        return threshold >= 0;
    }

    public static MotionState ParseState(string text) =>
        Enum.GetValues<MotionState>().Single(s => s.Name() == text);
}
