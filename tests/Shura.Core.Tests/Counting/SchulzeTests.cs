using Shura.Core.Ballots;
using Shura.Core.Counting;
using Shura.Core.Tests.Support;

namespace Shura.Core.Tests.Counting;

public class SchulzeTests
{
    private static readonly BallotBox FortyFive = TextbookElections.FortyFive;

    [Fact]
    public void The_full_ranking_follows_the_strongest_paths()
    {
        var result = Count.By(TallyMethod.Schulze, FortyFive);

        Assert.Equal(["E", "A", "C", "B", "D"], result.Ranking);
        Assert.Equal(["E"], result.Winners);
        Assert.False(result.Lot.Drawn);
    }

    [Fact]
    public void The_pairwise_matrix_and_strongest_paths_are_reported()
    {
        var round = Count.By(TallyMethod.Schulze, FortyFive).Round<SchulzeRound>();

        Assert.Equal([0, 20, 26, 30, 22], round.Pairwise[0]); // A over B, C, D, E
        Assert.Equal([0, 28, 28, 30, 24], round.StrongestPaths[0]);
        Assert.Equal([25, 28, 28, 31, 0], round.StrongestPaths[4]);
    }

    [Fact]
    public void Candidates_the_method_cannot_separate_share_a_tier_and_the_lot_orders_them()
    {
        var box = TestBallots.Of("A B C", "1: A>B>C", "1: B>A>C");

        var result = Count.By(TallyMethod.Schulze, box);

        var tiers = result.Round<SchulzeRound>().Tiers;
        Assert.Equal(2, tiers[0].Count);
        Assert.Equal("C", result.Ranking![2]);
        Assert.True(result.Lot.Drawn);
    }

    [Fact]
    public void Several_seats_go_to_the_top_of_the_ranking()
    {
        var result = Count.By(TallyMethod.Schulze, FortyFive, seats: 2);

        Assert.Equal(["E", "A"], result.Winners);
    }
}
