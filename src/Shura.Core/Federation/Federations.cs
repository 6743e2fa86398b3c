namespace Shura.Core.Federation;

/// <summary>
/// The rules of federation (DESIGN §4): a federation is a council whose members are councils.
/// Each member council elects delegates; a federation holds only what its members delegate.
/// </summary>
public static class Federations
{
    /// <summary>Seats of a member council: one per started block of the ratio (default 1 per 100 members), at least one.</summary>
    public static int Seats(long members, int ratio) => (int)Math.Max(1, (members + ratio - 1) / ratio);

    /// <summary>
    /// Referral (DESIGN §4): when base councils holding at least a third of the federation's weight
    /// demand it, a decision goes to a direct vote of every member of every base council.
    /// </summary>
    public static bool ShouldRefer(long demandingWeight, long totalWeight) => totalWeight > 0 && 3 * demandingWeight >= totalWeight;

    /// <summary>
    /// True when <paramref name="member"/> joining <paramref name="federation"/> would close a cycle: the
    /// federation already is, directly or through others, a member of <paramref name="member"/>
    /// (or is it). <paramref name="membersOf"/> gives a council's member councils.
    /// </summary>
    public static bool WouldCycle(CouncilId member, CouncilId federation, Func<CouncilId, IEnumerable<CouncilId>> membersOf)
    {
        var seen = new HashSet<CouncilId>();
        var stack = new Stack<CouncilId>();
        stack.Push(member);
        while (stack.Count > 0)
        {
            var council = stack.Pop();
            if (council == federation)
            {
                return true;
            }
            if (seen.Add(council))
            {
                foreach (var inner in membersOf(council))
                {
                    stack.Push(inner);
                }
            }
        }
        return false;
    }

    /// <summary>
    /// The weight of each delegate's ballot in a federation, and the whole electorate, in the same
    /// unit. One delegate, one vote by default (the electorate is the seats); with weighted voting a
    /// delegate carries their council's weight ÷ its seats, made whole by multiplying every weight
    /// by the least common multiple of the seat counts, so the count stays exact.
    /// </summary>
    /// <param name="councils">Each member council with its weight (members, or persons below a federation) and its seats.</param>
    /// <param name="delegates">The delegates sitting now, each with the council they represent.</param>
    public static (Dictionary<AccountId, long> Weights, long Electorate) DelegateWeights(
        IReadOnlyList<(CouncilId Council, long Weight, int Seats)> councils, IEnumerable<(AccountId Person, CouncilId Council)> delegates, bool weighted)
    {
        var weights = new Dictionary<AccountId, long>();
        if (!weighted)
        {
            foreach (var (person, _) in delegates)
            {
                weights[person] = weights.GetValueOrDefault(person) + 1;
            }
            return (weights, councils.Sum(c => (long)c.Seats));
        }
        long lcm = councils.Aggregate(1L, (a, c) => a / Gcd(a, c.Seats) * c.Seats);
        var byCouncil = councils.ToDictionary(c => c.Council);
        foreach (var (person, council) in delegates)
        {
            if (byCouncil.TryGetValue(council, out var c))
            {
                weights[person] = weights.GetValueOrDefault(person) + c.Weight * (lcm / c.Seats);
            }
        }
        return (weights, councils.Sum(c => c.Weight) * lcm);
    }

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);
}
