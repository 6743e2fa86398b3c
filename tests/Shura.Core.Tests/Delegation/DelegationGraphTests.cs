using CsCheck;
using Shura.Core.Delegation;

namespace Shura.Core.Tests.Delegation;

public class DelegationGraphTests
{
    private const int None = DelegationGraph.None;

    /// <summary>A random council: each member delegates to another (or not) and votes (or not).</summary>
    private static readonly Gen<(int[] Trustee, bool[] Votes)> Councils =
        Gen.Int[1, 30].SelectMany(n => Gen.Select(
            Gen.Int[-1, n - 1].Array[n],
            Gen.Bool.Array[n],
            (trustee, votes) =>
            {
                for (int m = 0; m < n; m++)
                {
                    if (trustee[m] == m)
                    {
                        trustee[m] = None;
                    }
                }
                return (trustee, votes);
            }));

    /// <summary>The obvious way: follow the chain, remembering where we have been.</summary>
    private static int NaiveTerminal(int[] trustee, bool[] votes, int member)
    {
        var seen = new HashSet<int>();
        int x = member;
        while (true)
        {
            if (votes[x])
            {
                return x;
            }
            if (trustee[x] == None || !seen.Add(x))
            {
                return None;
            }
            x = trustee[x];
        }
    }

    [Fact]
    public void Every_member_ends_at_the_direct_voter_their_chain_reaches_or_at_none()
    {
        Councils.Sample(c =>
        {
            var graph = DelegationGraph.Resolve(c.Trustee, c.Votes);

            for (int m = 0; m < c.Trustee.Length; m++)
            {
                Assert.Equal(NaiveTerminal(c.Trustee, c.Votes, m), graph.TerminalOf(m));
            }
        }, iter: 2000);
    }

    [Fact]
    public void Weights_conserve_votes_and_no_cycle_ever_counts()
    {
        Councils.Sample(c =>
        {
            var graph = DelegationGraph.Resolve(c.Trustee, c.Votes);
            int n = c.Trustee.Length;

            long reaching = Enumerable.Range(0, n).Count(m => NaiveTerminal(c.Trustee, c.Votes, m) != None);
            Assert.Equal(reaching, Enumerable.Range(0, n).Sum(graph.WeightOf));
            Assert.Equal(reaching, graph.Counted);
            long delegating = Enumerable.Range(0, n).Count(m => !c.Votes[m] && c.Trustee[m] != None);
            Assert.Equal(delegating - (reaching - c.Votes.Count(v => v)), graph.Lost);
            for (int m = 0; m < n; m++)
            {
                if (!c.Votes[m])
                {
                    Assert.Equal(0, graph.WeightOf(m)); // only direct voters carry weight
                }
            }
        }, iter: 2000);
    }

    [Fact]
    public void Incremental_changes_give_what_a_full_recount_gives()
    {
        var changes = Gen.Select(Gen.Int[0, 1000], Gen.Int[-1, 1000], Gen.Bool).Array[1, 40];
        Gen.Select(Councils, changes).Sample(pair =>
        {
            var (c, steps) = pair;
            int n = c.Trustee.Length;
            var trustee = (int[])c.Trustee.Clone();
            var votes = (bool[])c.Votes.Clone();
            var graph = DelegationGraph.Resolve(trustee, votes);

            foreach (var (who, to, toggle) in steps)
            {
                int member = who % n;
                if (toggle)
                {
                    votes[member] = !votes[member];
                    graph.SetVoting(member, votes[member]);
                }
                else
                {
                    int target = to < 0 || to % n == member ? None : to % n;
                    trustee[member] = target;
                    graph.Delegate(member, target);
                }
            }

            var fresh = DelegationGraph.Resolve(trustee, votes);
            for (int m = 0; m < n; m++)
            {
                Assert.Equal(fresh.TerminalOf(m), graph.TerminalOf(m));
                Assert.Equal(fresh.WeightOf(m), graph.WeightOf(m));
            }
            Assert.Equal(fresh.Counted, graph.Counted);
            Assert.Equal(fresh.Lost, graph.Lost);
        }, iter: 2000);
    }

    [Fact]
    public void A_direct_ballot_overrides_the_voters_own_delegation()
    {
        // 0 → 1 → 2, and 1 votes itself: 0's vote goes to 1, not 2.
        var graph = DelegationGraph.Resolve([1, 2, None], [false, true, true]);

        Assert.Equal(1, graph.TerminalOf(0));
        Assert.Equal(2, graph.WeightOf(1));
        Assert.Equal(1, graph.WeightOf(2));
    }

    [Fact]
    public void A_cycle_delegates_nothing()
    {
        // 0 → 1 → 2 → 0, and 3 → 0: nobody votes in the cycle, so none of the four counts.
        var graph = DelegationGraph.Resolve([1, 2, 0, 0, None], [false, false, false, false, true]);

        Assert.Equal(1, graph.Counted);
        Assert.Equal(4, graph.Lost);
    }

    [Fact]
    public void Delegating_to_oneself_is_a_broken_precondition()
    {
        Assert.Throws<ArgumentException>(() => DelegationGraph.Resolve([0], [false]));
        var graph = DelegationGraph.Resolve([None, None], [false, true]);
        Assert.Throws<ArgumentException>(() => graph.Delegate(1, 1));
    }
}
