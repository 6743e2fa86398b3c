namespace Shura.Core.Counting;

/// <summary>
/// Reading a ranked ballot for transfer methods (IRV, STV, Meek), including what an overvote means.
/// </summary>
/// <remarks>
/// A ballot made in Shura never holds two candidates at one rank for these methods, but ballot
/// files from ranked-choice elections do: there a tie group is an <em>overvote</em>. Shura applies
/// the rule under which Burlington, Vermont counted its elections, which reproduces the official
/// counts of the real files exactly:
/// <list type="bullet">
/// <item>a ballot that starts with an overvote (or is blank) is invalid and never counts;</item>
/// <item>a later overvote counts for the one candidate in it still in the count, if exactly one is;
/// if none is, the ballot moves on to its next rank; if several are, the ballot is exhausted there.</item>
/// </list>
/// </remarks>
internal static class Preferences
{
    /// <summary>True when the ballot can count at all: it is not blank and its first rank is one candidate.</summary>
    public static bool IsValid(ReadOnlySpan<ushort> ranking, ReadOnlySpan<ushort> ranks) =>
        ranking.Length > 0 && (ranking.Length == 1 || ranks[1] != ranks[0]);

    /// <summary>
    /// The first candidate still in the count at or after position <paramref name="from"/>, or -1
    /// when the ballot is exhausted. <paramref name="at"/> receives that candidate's position.
    /// </summary>
    public static int Next(
        ReadOnlySpan<ushort> ranking, ReadOnlySpan<ushort> ranks, int from, ReadOnlySpan<bool> inCount, out int at)
    {
        int i = from;
        while (i < ranking.Length)
        {
            int end = i + 1;
            while (end < ranking.Length && ranks[end] == ranks[i])
            {
                end++;
            }
            int found = -1;
            for (int j = i; j < end; j++)
            {
                if (inCount[ranking[j]])
                {
                    if (found >= 0)
                    {
                        at = -1;
                        return -1; // an overvote between candidates still in the count
                    }
                    found = j;
                }
            }
            if (found >= 0)
            {
                at = found;
                return ranking[found];
            }
            i = end;
        }
        at = -1;
        return -1;
    }

    /// <summary>Number of voters whose ballots can never count (see <see cref="IsValid"/>).</summary>
    public static long CountInvalid(BallotBox box)
    {
        long invalid = 0;
        for (int g = 0; g < box.GroupCount; g++)
        {
            if (!IsValid(box.Ranking(g), box.Ranks(g)))
            {
                invalid += box.Count(g);
            }
        }
        return invalid;
    }
}

/// <summary>
/// Settles ties between candidates in round-based counts (DESIGN §5): first by the earliest
/// earlier round in which their totals differed, then by the seeded lot.
/// </summary>
/// <remarks>
/// Looking at rounds from the first on, the tied set shrinks to those with the fewest votes
/// (when choosing whom to exclude) or the most (when choosing whose surplus to transfer first) in
/// that round, until one candidate is left. If the totals never differed, the lot decides.
/// Scottish rules 49 and 51 look at the most recent differing stage instead; Shura uses one rule
/// for every method, the one DESIGN §5 states.
/// </remarks>
internal sealed class TieBreaker<T>(Lot lot) where T : IComparable<T>
{
    private readonly List<T[]> _history = [];

    public bool LotDrawn { get; private set; }

    /// <summary>Records the totals of a finished round (indexed by candidate).</summary>
    public void Record(T[] totals) => _history.Add((T[])totals.Clone());

    public int Lowest(IReadOnlyList<int> tied, out TieBreak how) => Pick(tied, lowest: true, out how);

    public int Highest(IReadOnlyList<int> tied, out TieBreak how) => Pick(tied, lowest: false, out how);

    /// <summary>
    /// Orders <paramref name="candidates"/> by <paramref name="totals"/>, most first; equal totals
    /// are ordered by the same rule as any tie (earlier rounds, then the lot).
    /// </summary>
    public List<int> MostFirst(IEnumerable<int> candidates, T[] totals)
    {
        var left = candidates.ToList();
        var order = new List<int>(left.Count);
        while (left.Count > 0)
        {
            T most = left.Select(c => totals[c]).Max()!;
            int next = Highest(left.Where(c => totals[c].CompareTo(most) == 0).ToList(), out _);
            left.Remove(next);
            order.Add(next);
        }
        return order;
    }

    private int Pick(IReadOnlyList<int> tied, bool lowest, out TieBreak how)
    {
        if (tied.Count == 1)
        {
            how = TieBreak.None;
            return tied[0];
        }
        var left = tied.ToList();
        // The last recorded round is the one in which they are tied now; only earlier ones can separate them.
        for (int round = 0; round < _history.Count - 1 && left.Count > 1; round++)
        {
            var totals = _history[round];
            T best = totals[left[0]];
            foreach (int c in left)
            {
                int order = totals[c].CompareTo(best);
                if (lowest ? order < 0 : order > 0)
                {
                    best = totals[c];
                }
            }
            left.RemoveAll(c => totals[c].CompareTo(best) != 0);
        }
        if (left.Count == 1)
        {
            how = TieBreak.EarlierRound;
            return left[0];
        }
        LotDrawn = true;
        how = TieBreak.Lot;
        return lowest ? lot.Disfavoured(left) : lot.Favoured(left);
    }
}
