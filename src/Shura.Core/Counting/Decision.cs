namespace Shura.Core.Counting;

/// <summary>The majority a decision needs (DESIGN §2).</summary>
public enum Threshold
{
    /// <summary>More yes than no.</summary>
    Simple,

    /// <summary>More yes than half of the whole electorate, whether they voted or not.</summary>
    Absolute,

    /// <summary>Yes at least two thirds of yes and no together (and at least one yes).</summary>
    TwoThirds,
}

/// <summary>What a decision needs: the threshold, the electorate (members entitled to vote) and a participation quorum.</summary>
public sealed record DecisionRules(Threshold Threshold, long? Electorate = null, Quorum? Quorum = null)
{
    /// <summary>Why these rules cannot count these ballots, or null when they can.</summary>
    public string? Problem(DecisionBallots ballots)
    {
        if (Electorate is null && Threshold == Threshold.Absolute)
        {
            return "an absolute majority needs the size of the electorate";
        }
        if (Electorate is null && Quorum is not null)
        {
            return "a quorum needs the size of the electorate";
        }
        if (Electorate is long e && e < ballots.Participants)
        {
            return $"the electorate ({e}) is smaller than the number of ballots ({ballots.Participants})";
        }
        return null;
    }
}

public enum Outcome
{
    Passed,
    Rejected,
}

/// <summary>
/// The result of a decision. <see cref="QuorumMet"/> is null when no quorum applies.
/// </summary>
public sealed record DecisionResult(
    Outcome Outcome,
    DecisionBallots Counts,
    DecisionRules Rules,
    bool? QuorumMet,
    bool ThresholdMet);

/// <summary>
/// Counting a yes / no / abstain decision.
/// </summary>
/// <remarks>
/// Abstentions count towards the participation quorum (the member took part) but never towards the
/// majority: a simple majority compares yes with no, two thirds compares yes with yes + no, and an
/// absolute majority compares yes with the whole electorate, so there an abstention weighs like a no.
/// A motion passes when the quorum (if any) is met and the threshold is met. With no ballots at
/// all, nothing passes.
/// </remarks>
public static class Decision
{
    public static DecisionResult Decide(DecisionBallots ballots, DecisionRules rules)
    {
        if (rules.Problem(ballots) is string problem)
        {
            throw new ArgumentException(problem, nameof(rules));
        }
        var (yes, no) = (ballots.Yes, ballots.No);
        bool thresholdMet = rules.Threshold switch
        {
            Threshold.Simple => yes > no,
            Threshold.Absolute => 2 * yes > rules.Electorate!.Value,
            Threshold.TwoThirds => yes > 0 && 3 * yes >= 2 * (yes + no),
            _ => throw new ArgumentOutOfRangeException(nameof(rules), rules.Threshold, "Unknown threshold."),
        };
        bool? quorumMet = rules.Quorum is Quorum q ? q.IsMetBy(ballots.Participants, rules.Electorate!.Value) : null;
        var outcome = thresholdMet && quorumMet != false ? Outcome.Passed : Outcome.Rejected;
        return new DecisionResult(outcome, ballots, rules, quorumMet, thresholdMet);
    }
}
