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
}
