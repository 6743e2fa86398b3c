using Shura.Core.Ballots;
using Shura.Core.Counting;
using Shura.Core.Tests.Support;

namespace Shura.Core.Tests.Counting;

public class RankedPairsTests
{
    private static readonly BallotBox Tennessee = TextbookElections.Tennessee;

    [Fact]
    public void Majorities_are_locked_strongest_first_and_give_the_ranking()
    {
        var result = Count.By(TallyMethod.RankedPairs, Tennessee);

        Assert.Equal(["Nashville", "Chattanooga", "Knoxville", "Memphis"], result.Ranking);
        var first = result.Round<RankedPairsRound>().Pairs[0];
        Assert.Equal(("Chattanooga", "Knoxville", 83L, 17L), (first.Winner, first.Loser, first.Votes, first.Against));
    }

    [Fact]
    public void A_majority_that_would_close_a_cycle_is_skipped()
    {
        // B beats C 7-2, A beats B 6-3, C beats A 5-4: the weakest, C over A, closes a cycle.
        var box = TestBallots.Of("A B C", "4: A>B>C", "3: B>C>A", "2: C>A>B");

        var result = Count.By(TallyMethod.RankedPairs, box);

        var pairs = result.Round<RankedPairsRound>().Pairs;
        Assert.Equal(
            [("B", "C", true), ("A", "B", true), ("C", "A", false)],
            pairs.Select(p => (p.Winner, p.Loser, p.Locked)));
        Assert.Equal(["A", "B", "C"], result.Ranking);
        Assert.False(result.Lot.Drawn);
    }
}
