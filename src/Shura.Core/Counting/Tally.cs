namespace Shura.Core.Counting;

/// <summary>The seats to fill and the lot, for counting candidates.</summary>
public sealed record TallyRules(TallyMethod Method, int Seats, Lot Lot);

/// <summary>
/// The entry point of the tally engine: counts ballots for candidates by any method.
/// Every method is deterministic: the same ballots and the same seed give the same result,
/// whatever the order of the ballots.
/// </summary>
public static class Tally
{
    /// <summary>Why <paramref name="rules"/> cannot count ranked ballots, or null when they can.</summary>
    public static string? Problem(TallyRules rules, int candidates)
    {
        if (rules.Seats < 1)
        {
            return $"seats must be at least 1, not {rules.Seats}";
        }
        if (rules.Method.IsSingleSeat() && rules.Seats != 1)
        {
            return $"{rules.Method.Name()} fills one seat; for {rules.Seats} seats use stv or meek";
        }
        if (candidates == 0)
        {
            return "there are no candidates";
        }
        return null;
    }

    public static TallyResult Count(BallotBox ballots, TallyRules rules)
    {
        if (Problem(rules, ballots.CandidateCount) is string problem)
        {
            throw new ArgumentException(problem, nameof(rules));
        }
        return rules.Method switch
        {
            TallyMethod.Plurality => Plurality.Count(ballots, rules.Seats, rules.Lot),
            TallyMethod.Approval => Approval.Count(ballots, rules.Seats, rules.Lot),
            TallyMethod.Irv => InstantRunoff.Count(ballots, rules.Lot),
            TallyMethod.Stv => ScottishStv.Count(ballots, rules.Seats, rules.Lot),
            TallyMethod.Meek => MeekStv.Count(ballots, rules.Seats, rules.Lot),
            TallyMethod.Schulze => Schulze.Count(ballots, rules.Seats, rules.Lot),
            TallyMethod.RankedPairs => RankedPairs.Count(ballots, rules.Seats, rules.Lot),
            _ => throw new ArgumentException($"{rules.Method.Name()} does not count ranked ballots", nameof(rules)),
        };
    }

    public static TallyResult Count(ScoreBallots ballots, TallyRules rules)
    {
        if (Problem(rules, ballots.Candidates.Length) is string problem)
        {
            throw new ArgumentException(problem, nameof(rules));
        }
        return rules.Method == TallyMethod.Score
            ? Score.Count(ballots, rules.Seats, rules.Lot)
            : throw new ArgumentException($"{rules.Method.Name()} does not count score ballots", nameof(rules));
    }
}
