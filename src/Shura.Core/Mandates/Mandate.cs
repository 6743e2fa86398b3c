using System.Collections.Immutable;

namespace Shura.Core.Mandates;

/// <summary>The kinds of mandate of DESIGN §2.</summary>
public enum MandateKind
{
    /// <summary>Represents the council in a federation; votes there for it.</summary>
    Delegate,

    /// <summary>Convenes the council; holds only the powers the council gave the role.</summary>
    Convener,

    /// <summary>Carries out actions.</summary>
    Executor,

    /// <summary>Any other named role.</summary>
    Role,
}

/// <summary>
/// A role with seats in a council (DESIGN §2–3). Every power in Shura is a mandate (P4), and a
/// holder keeps a seat only while the electorate keeps them: any elector may withdraw confidence at
/// any moment, and the holder is recalled the instant withdrawals exceed half the electorate.
/// </summary>
/// <param name="Federation">For a delegate: the federation the seats sit in.</param>
/// <param name="Powers">What the holders may do beyond any member, as the council gave it (e.g. "schedule-motions").</param>
public sealed record Mandate(
    MandateId Id,
    CouncilId Council,
    string Name,
    MandateKind Kind,
    int Seats,
    CouncilId? Federation,
    ImmutableArray<string> Powers,
    DateTimeOffset CreatedAt)
{
    /// <summary>For a mandate held by continuous election (DESIGN §3): how long new winners must lead before they take the seats.</summary>
    public TimeSpan? SettlePeriod { get; init; }

    public bool Continuous => SettlePeriod is not null;
}

/// <summary>A holder of one seat, since when.</summary>
public sealed record Holder(AccountId Person, DateTimeOffset Since);

public sealed record MandateCreated(
    MandateId Mandate, CouncilId CouncilId, string Name, MandateKind Kind, int Seats, CouncilId? Federation,
    ImmutableArray<string> Powers, AccountId By) : Event
{
    public override Guid? Council => CouncilId.Value;

    /// <summary>Set when the mandate is held by continuous election.</summary>
    public TimeSpan? SettlePeriod { get; init; }

    public override string Actor => By.ToString();
}

/// <summary>A seat was filled by the winner of an election motion, or (no election) of the standing count of a continuous election.</summary>
public sealed record SeatFilled(MandateId Mandate, CouncilId CouncilId, AccountId Holder, MotionId? Election) : Event
{
    public override Guid? Council => CouncilId.Value;

    public override string Actor => "clock";
}

/// <summary>
/// A holder left a seat: a new election filled the mandate's seats anew, the standing count of a
/// continuous election moved on (no election), or the holder left the council (no election).
/// </summary>
public sealed record SeatVacated(MandateId Mandate, CouncilId CouncilId, AccountId Holder, MotionId? Election) : Event
{
    public override Guid? Council => CouncilId.Value;

    public override string Actor => "clock";
}

/// <summary>
/// An elector withdrew (or gave back) confidence from a holder: a ballot in the P1 sense, latest
/// wins. Under secret ballots the elector appears under a pseudonym for this mandate and holder.
/// </summary>
public sealed record ConfidenceChanged(MandateId Mandate, CouncilId CouncilId, AccountId Holder, string Elector, bool Withdrawn) : Event
{
    public override Guid? Council => CouncilId.Value;

    public override string Actor => Elector;
}

/// <summary>Why a holder was recalled.</summary>
public enum RecallCause
{
    /// <summary>Withdrawals of confidence exceeded half of the electorate.</summary>
    Confidence,

    /// <summary>A recall motion passed.</summary>
    Motion,
}

/// <summary>
/// A holder was recalled: every power of the seat ends now and the seat is vacant. The log keeps
/// the count that caused it.
/// </summary>
public sealed record HolderRecalled(
    MandateId Mandate, CouncilId CouncilId, AccountId Holder, RecallCause Cause, long Withdrawals, long Electorate) : Event
{
    public override Guid? Council => CouncilId.Value;

    public override string Actor => "clock";
}
