using Shura.Core.Delegation;
using Shura.Core.Federation;

namespace Shura.Core.Motions;

/// <summary>
/// What a count of one motion rests on, as gathered by whoever counts: the store (for live
/// results and the close) or the replay of the log (for <c>shura verify</c>). Both gather the
/// same facts and hand them to <see cref="Electorate.Of"/>, so the rule of who votes, with what
/// weight, exists once.
/// </summary>
/// <param name="Ballots">The motion's current ballots, by the voter's name in the log (an account id or a pseudonym).</param>
public sealed record VotingFacts(Motion Motion, IReadOnlyDictionary<string, MotionBallot> Ballots)
{
    /// <summary>A plain council's members now.</summary>
    public IReadOnlyCollection<AccountId> Members { get; init; } = [];

    /// <summary>Whether the council lets members delegate their vote.</summary>
    public bool Delegation { get; init; }

    /// <summary>The council's delegations that bear on this motion: for every motion, or for this one.</summary>
    public IReadOnlyCollection<(AccountId Truster, bool ForMotion, AccountId Trustee)> Delegations { get; init; } = [];

    /// <summary>The council is a federation: its members are councils, represented by their delegates.</summary>
    public bool Federation { get; init; }

    /// <summary>For a federation: each member council with its weight (members, or persons below a federation) and its seats.</summary>
    public IReadOnlyList<(CouncilId Council, long Weight, int Seats)> MemberCouncils { get; init; } = [];

    /// <summary>For a federation: the delegates sitting now, each with the council they represent.</summary>
    public IReadOnlyCollection<(AccountId Person, CouncilId Council)> Delegates { get; init; } = [];

    /// <summary>For a federation: whether a delegate's ballot weighs its council's members ÷ its seats.</summary>
    public bool WeightedVoting { get; init; }

    /// <summary>For a federation motion referred to a direct vote: every person of every base council below it, each once.</summary>
    public long BasePersons { get; init; }
}

/// <summary>
/// Who votes on a motion, and with what weight (DESIGN §2, §4) — the one rule, for live counts,
/// the close and the replay alike:
/// <list type="bullet">
/// <item>in a plain council, every member's own ballot weighs one; with delegation on, each direct
/// voter carries everyone whose chain of delegations ends at them (a cycle, or a chain ending at
/// someone who did not vote, counts for nobody); the electorate is the members;</item>
/// <item>in a federation, each sitting delegate's ballot weighs one, or with weighted voting its
/// council's weight ÷ its seats; anyone else's weighs nothing; the electorate is the seats (or the
/// weight);</item>
/// <item>on a federation motion referred to a direct vote, every base member's ballot weighs one,
/// and the electorate is every person below the federation.</item>
/// </list>
/// </summary>
public static class Electorate
{
    public static (IReadOnlyList<(MotionBallot Ballot, long Weight)> Weighted, long Electorate) Of(VotingFacts facts, ReadOnlySpan<byte> key)
    {
        if (facts.Federation)
        {
            if (facts.Motion.Referred)
            {
                return ([.. facts.Ballots.Values.Select(b => (b, 1L))], facts.BasePersons);
            }
            var (weights, electorate) = Federations.DelegateWeights(facts.MemberCouncils, facts.Delegates, facts.WeightedVoting);
            return ([.. facts.Ballots.Select(b => (b.Value, Guid.TryParse(b.Key, out var p) && weights.TryGetValue(new AccountId(p), out long w) ? w : 0L))], electorate);
        }
        if (!facts.Delegation)
        {
            return ([.. facts.Ballots.Values.Select(b => (b, 1L))], facts.Members.Count);
        }
        // Ordered once, here, so that no gatherer's order (SQL collation, a hash set) can matter.
        var people = facts.Members.OrderBy(m => m.ToString(), StringComparer.Ordinal).ToList();
        var voters = new string[people.Count];
        for (int i = 0; i < people.Count; i++)
        {
            voters[i] = MotionRules.Voter(facts.Motion, people[i], key);
        }
        var graph = Delegations.Graph(people, facts.Delegations, m => facts.Ballots.ContainsKey(voters[m]));
        var list = new List<(MotionBallot, long)>();
        for (int m = 0; m < people.Count; m++)
        {
            if (graph.Votes(m))
            {
                list.Add((facts.Ballots[voters[m]], graph.WeightOf(m)));
            }
        }
        return (list, people.Count);
    }

    /// <summary>
    /// For a member who did not vote, with delegation on: the member at the end of their chain, whose
    /// ballot counts for them, or null. (Whether they may see that ballot is the caller's to decide.)
    /// </summary>
    public static AccountId? CountsFor(VotingFacts facts, AccountId member, ReadOnlySpan<byte> key)
    {
        if (facts.Federation || !facts.Delegation)
        {
            return null;
        }
        var people = facts.Members.OrderBy(m => m.ToString(), StringComparer.Ordinal).ToList();
        var voters = new string[people.Count];
        for (int i = 0; i < people.Count; i++)
        {
            voters[i] = MotionRules.Voter(facts.Motion, people[i], key);
        }
        int me = people.IndexOf(member);
        var graph = Delegations.Graph(people, facts.Delegations, m => facts.Ballots.ContainsKey(voters[m]));
        if (me < 0 || graph.Votes(me) || graph.TerminalOf(me) is var terminal && terminal == DelegationGraph.None)
        {
            return null;
        }
        return people[terminal];
    }
}
