using System.Collections.Immutable;

namespace Shura.Core.Motions;

/// <summary>An event about one motion, on its council's chain.</summary>
public abstract record MotionEvent(MotionId Motion, CouncilId CouncilId) : Event
{
    public override Guid? Council => CouncilId.Value;
}

/// <summary>A motion was put (as a draft, or proposed at once). It carries everything a recount needs.</summary>
public sealed record MotionPut(
    MotionId Motion,
    CouncilId CouncilId,
    AccountId Proposer,
    MotionKind Kind,
    string Title,
    string Text,
    ImmutableArray<string> Options,
    TallyMethod Method,
    int Seats,
    Threshold Threshold,
    bool Urgent,
    MotionId? Repeals,
    CouncilSettings? NewSettings,
    AccountId? Applicant,
    bool Draft) : MotionEvent(Motion, CouncilId)
{
    public override string Actor => Proposer.ToString();

    public MandateId? Mandate { get; init; }

    public bool ByElection { get; init; }

    public AccountId? Holder { get; init; }

    public CouncilId? Federation { get; init; }

    public MotionId? FederationMotion { get; init; }

    public MotionBallot? Instruction { get; init; }

    /// <summary>For a settings motion: the settings it changes, by name. (Older entries carry whole settings in NewSettings instead.)</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public SettingsChange? Changes { get; init; }

    /// <summary>For a hide or erase motion: the comment or post it is about. (Absent from other entries, so their bytes stay as they were.)</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public Moderation.Moderated? Moderates { get; init; }

    /// <summary>The entry for a motion about <paramref name="subject"/>: its case spread over the log's flat fields.</summary>
    public static MotionPut Of(
        MotionId motion, CouncilId council, AccountId proposer, MotionSubject subject, string title, string text,
        ImmutableArray<string> options, TallyMethod method, int seats, Threshold threshold, bool urgent, bool draft) =>
        new(motion, council, proposer, subject.Kind, title, text, options, method, seats, threshold, urgent,
            (subject as MotionSubject.Repeal)?.Target, (subject as MotionSubject.Settings)?.Whole, (subject as MotionSubject.Admission)?.Applicant, draft)
        {
            Changes = (subject as MotionSubject.Settings)?.Changes,
            Mandate = subject switch { MotionSubject.Election e => e.Mandate, MotionSubject.Recall r => r.Mandate, _ => null },
            ByElection = subject is MotionSubject.Election { ByElection: true },
            Holder = (subject as MotionSubject.Recall)?.Holder,
            Federation = subject switch { MotionSubject.Federate f => f.Federation, MotionSubject.Secede s => s.Federation, _ => null },
            FederationMotion = subject switch { MotionSubject.Instruction i => i.FederationMotion, MotionSubject.Referral r => r.FederationMotion, _ => null },
            Instruction = (subject as MotionSubject.Instruction)?.Ballot,
            Moderates = subject switch { MotionSubject.Hide h => h.Text, MotionSubject.Erase e => e.Text, _ => null },
        };

    /// <summary>The subject the entry's flat fields describe.</summary>
    public MotionSubject ToSubject() =>
        MotionSubject.FromFields(Kind, Repeals, Changes, NewSettings, Applicant, Mandate, ByElection, Holder, Federation, FederationMotion, Instruction, Moderates);
}

/// <summary>A draft was proposed.</summary>
public sealed record MotionProposed(MotionId Motion, CouncilId CouncilId, AccountId By) : MotionEvent(Motion, CouncilId)
{
    public override string Actor => By.ToString();
}

/// <summary>A member supports a proposal. The proposer is the first supporter, without an event of their own.</summary>
public sealed record MotionSupported(MotionId Motion, CouncilId CouncilId, AccountId Member) : MotionEvent(Motion, CouncilId)
{
    public override string Actor => Member.ToString();
}

/// <summary>A holder of <paramref name="Through"/>, a mandate with the schedule-motions power, put the proposal on the agenda.</summary>
public sealed record MotionScheduled(MotionId Motion, CouncilId CouncilId, AccountId By, MandateId Through) : MotionEvent(Motion, CouncilId)
{
    public override string Actor => By.ToString();
}

/// <summary>Enough support (or a scheduling): deliberation runs until <paramref name="EndsAt"/>.</summary>
public sealed record DeliberationStarted(MotionId Motion, CouncilId CouncilId, DateTimeOffset EndsAt, string By) : MotionEvent(Motion, CouncilId)
{
    public override string Actor => By;
}

public sealed record AmendmentProposed(MotionId Motion, CouncilId CouncilId, int Number, string Text, AccountId By) : MotionEvent(Motion, CouncilId)
{
    public override string Actor => By.ToString();
}

/// <summary>A member put a competing text to a decision in deliberation: the decision will be voted as a ranked choice (<see cref="CounterProposals"/>).</summary>
public sealed record CounterProposed(MotionId Motion, CouncilId CouncilId, int Number, string Text, AccountId By) : MotionEvent(Motion, CouncilId)
{
    public override string Actor => By.ToString();
}

/// <summary>The proposer adopted an amendment: its text becomes the motion's text.</summary>
public sealed record AmendmentAdopted(MotionId Motion, CouncilId CouncilId, int Number, AccountId By) : MotionEvent(Motion, CouncilId)
{
    public override string Actor => By.ToString();
}

/// <summary>
/// Voting opened. The council's secrecy, live-results and quorum settings are fixed for this
/// motion here. The hash of this log entry is the seed of the motion's lot (DESIGN §5): it is
/// published before voting closes, and nobody can choose it.
/// </summary>
public sealed record VotingStarted(
    MotionId Motion, CouncilId CouncilId, DateTimeOffset EndsAt, bool Secret, bool LiveResults, Quorum? Quorum, string By)
    : MotionEvent(Motion, CouncilId)
{
    public override string Actor => By;
}

/// <summary>A ballot was cast or changed; the latest one counts. For a secret ballot the voter is a per-motion pseudonym.</summary>
public sealed record BallotCast(MotionId Motion, CouncilId CouncilId, string Voter, MotionBallot Ballot) : MotionEvent(Motion, CouncilId)
{
    public override string Actor => Voter;
}

public sealed record BallotWithdrawn(MotionId Motion, CouncilId CouncilId, string Voter) : MotionEvent(Motion, CouncilId)
{
    public override string Actor => Voter;
}

/// <summary>
/// Voting closed and the result is fixed. <paramref name="Result"/> is the full result as the
/// API shows it (JSON), so anyone can compare a recount with it.
/// </summary>
public sealed record MotionClosed(
    MotionId Motion, CouncilId CouncilId, MotionState Outcome, long Electorate, string Seed, string Result) : MotionEvent(Motion, CouncilId)
{
    public override string Actor => "clock";
}

/// <summary>
/// A motion fell without a result because its question went away: an application to join whose
/// applicant became a member by another way (DESIGN §2). Its ballots are never counted.
/// </summary>
public sealed record MotionLapsed(MotionId Motion, CouncilId CouncilId, string Reason) : MotionEvent(Motion, CouncilId)
{
    public const string ApplicantJoined = "applicant-joined";

    public override string Actor => "clock";
}

/// <summary>A decision in force was lifted by a repeal motion.</summary>
public sealed record MotionRepealed(MotionId Motion, CouncilId CouncilId, MotionId By) : MotionEvent(Motion, CouncilId)
{
    public override string Actor => "clock";
}

/// <summary>A candidate was nominated for an election (a by-election takes nominations during deliberation).</summary>
public sealed record CandidateNominated(MotionId Motion, CouncilId CouncilId, AccountId Candidate, AccountId By) : MotionEvent(Motion, CouncilId)
{
    public override string Actor => By.ToString();
}

/// <summary>A council joined a federation by a motion of its members. On the federation's chain.</summary>
public sealed record CouncilFederated(CouncilId Federation, CouncilId Member, MotionId By) : Event
{
    public override Guid? Council => Federation.Value;

    public override string Actor => "clock";
}

/// <summary>A council left a federation by a motion of its members. On the federation's chain.</summary>
public sealed record CouncilSeceded(CouncilId Federation, CouncilId Member, MotionId By) : Event
{
    public override Guid? Council => Federation.Value;

    public override string Actor => "clock";
}

/// <summary>A base council's instruction binds its delegates' ballots on a federation motion. On the base council's chain.</summary>
public sealed record InstructionGiven(CouncilId CouncilId, MotionId FederationMotion, MotionBallot Ballot, MotionId By) : Event
{
    public override Guid? Council => CouncilId.Value;

    public override string Actor => "clock";
}

/// <summary>A base council demanded a direct vote on a federation decision. On the federation's chain.</summary>
public sealed record ReferralDemanded(CouncilId Federation, MotionId FederationMotion, CouncilId Demander, long Weight, long TotalWeight) : Event
{
    public override Guid? Council => Federation.Value;

    public override string Actor => "clock";
}

/// <summary>
/// Base councils holding at least a third of the federation's weight demanded it: the motion goes
/// to a direct vote of every member of every base council, one person one vote, until <paramref name="EndsAt"/>.
/// </summary>
public sealed record MotionReferred(CouncilId Federation, MotionId Motion, DateTimeOffset EndsAt, bool Secret) : Event
{
    public override Guid? Council => Federation.Value;

    public override string Actor => "clock";
}
