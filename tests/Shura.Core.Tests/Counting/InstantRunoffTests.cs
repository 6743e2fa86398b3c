using Shura.Core.Ballots;
using Shura.Core.Counting;
using Shura.Core.Tests.Support;

namespace Shura.Core.Tests.Counting;

public class InstantRunoffTests
{
    private static readonly BallotBox Tennessee = TextbookElections.Tennessee;

    [Fact]
    public void The_candidate_with_fewest_votes_is_excluded_each_round_until_one_has_a_majority()
    {
        var result = Count.By(TallyMethod.Irv, Tennessee);

        Assert.Equal(["Knoxville"], result.Winners);
        var rounds = result.RoundsOf<RunoffRound>().ToList();
        Assert.Equal(["Chattanooga", "Nashville", null], rounds.Select(r => r.Excluded));
        Assert.Equal(58, rounds[2].Totals["Knoxville"]);
        Assert.Equal(Because.Majority, rounds[2].Why);
    }

    [Fact]
    public void Transfers_show_where_the_excluded_candidates_ballots_went()
    {
        var rounds = Count.By(TallyMethod.Irv, Tennessee).RoundsOf<RunoffRound>().ToList();

        Assert.Null(rounds[0].Transfers);
        Assert.Equal(15, rounds[1].Transfers!["Knoxville"]);
    }

    [Fact]
    public void A_tie_for_fewest_votes_goes_against_whoever_had_fewer_in_an_earlier_round()
    {
        // Round 1: A 2, B 3, C 5, D 6, so A is out and its ballots go to B. Round 2: B and C tie
        // at 5; in round 1 B had fewer, so B is out.
        var box = TestBallots.Of("A B C D",
            "2: A>B", "3: B", "5: C", "6: D");

        var result = Count.By(TallyMethod.Irv, box);

        var second = result.RoundsOf<RunoffRound>().ElementAt(1);
        Assert.Equal(second.Totals["B"], second.Totals["C"]);
        Assert.Equal("B", second.Excluded);
        Assert.Equal(TieBreak.EarlierRound, second.Tie);
        Assert.False(result.Lot.Drawn);
    }

    [Fact]
    public void A_tie_that_never_differed_is_settled_by_the_lot_and_reported()
    {
        var box = TestBallots.Of("A B C", "3: A", "2: B", "2: C");

        var result = Count.By(TallyMethod.Irv, box);

        Assert.True(result.Lot.Drawn);
        Assert.Equal(TieBreak.Lot, result.Round<RunoffRound>().Tie);
        var lot = new Lot(Count.Seed, 3);
        string expectedOut = lot.Disfavoured([1, 2]) == 1 ? "B" : "C";
        Assert.Equal(expectedOut, result.Round<RunoffRound>().Excluded);
    }

    [Fact]
    public void A_ballot_starting_with_an_overvote_never_counts()
    {
        var box = TestBallots.Of("A B C", "3: A=B>C", "2: C", "1: B");

        var result = Count.By(TallyMethod.Irv, box);

        Assert.Equal(3, result.Invalid);
        Assert.Equal(["C"], result.Winners);
    }

    [Fact]
    public void A_later_overvote_counts_for_its_one_continuing_candidate_and_exhausts_otherwise()
    {
        var box = TestBallots.Of("A B C D", "5: A", "4: B", "1: C", "2: D>C=B", "1: D>A=B");

        var result = Count.By(TallyMethod.Irv, box);

        var rounds = result.RoundsOf<RunoffRound>().ToList();
        Assert.Equal(["C", "D", null], rounds.Select(r => r.Excluded));
        Assert.Equal(6, rounds[2].Totals["B"]);     // C was out, so "C=B" counted for B
        Assert.Equal(1, rounds[2].Exhausted - rounds[1].Exhausted); // A and B both in: an overvote
        Assert.Equal(["B"], result.Winners);
    }
}
