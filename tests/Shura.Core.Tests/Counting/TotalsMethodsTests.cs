using Shura.Core.Ballots;
using Shura.Core.Counting;
using Shura.Core.Tests.Support;

namespace Shura.Core.Tests.Counting;

public class TotalsMethodsTests
{
    [Fact]
    public void Plurality_counts_first_choices_only()
    {
        var box = TestBallots.Of("A B C", "3: A>B", "2: B>A", "4: C", "1: A=B");

        var result = Count.By(TallyMethod.Plurality, box);

        Assert.Equal(["C", "A", "B"], result.Ranking);
        Assert.Equal(4, result.Round<TotalsRound>().Totals["C"]);
        Assert.Equal(1, result.Invalid);
    }

    [Fact]
    public void Plurality_elects_the_first_preference_leader_where_runoff_and_Condorcet_disagree()
    {
        var tennessee = TextbookElections.Tennessee;

        Assert.Equal(["Memphis"], Count.By(TallyMethod.Plurality, tennessee).Winners);
        Assert.Equal(["Knoxville"], Count.By(TallyMethod.Irv, tennessee).Winners);
        Assert.Equal(["Nashville"], Count.By(TallyMethod.Schulze, tennessee).Winners);
    }

    [Fact]
    public void Plurality_with_several_seats_elects_the_highest_totals()
    {
        var box = TestBallots.Of("A B C", "3: A", "2: B", "4: C");

        Assert.Equal(["C", "A"], Count.By(TallyMethod.Plurality, box, seats: 2).Winners);
    }

    [Fact]
    public void Approval_counts_every_candidate_a_ballot_names()
    {
        var box = TestBallots.Of("A B C", "3: A=B", "2: B>C", "4: C");

        var result = Count.By(TallyMethod.Approval, box);

        Assert.Equal(5, result.Round<TotalsRound>().Totals["B"]);
        Assert.Equal(6, result.Round<TotalsRound>().Totals["C"]);
        Assert.Equal(["C"], result.Winners);
    }

    [Fact]
    public void Score_elects_the_highest_total_and_blank_scores_count_as_zero()
    {
        var builder = new ScoreBallots.Builder(["A", "B"]);
        builder.Add([5, 0], 2);
        builder.Add([1, 4], 3);

        var result = Tally.Count(builder.Build(), new TallyRules(TallyMethod.Score, 1, new Lot("s", 2)));

        Assert.Equal(13, result.Round<TotalsRound>().Totals["A"]);
        Assert.Equal(12, result.Round<TotalsRound>().Totals["B"]);
        Assert.Equal(["A"], result.Winners);
    }

    [Fact]
    public void Equal_totals_are_ordered_by_the_lot_and_the_lot_is_reported()
    {
        var box = TestBallots.Of("A B", "1: A", "1: B");

        var result = Count.By(TallyMethod.Plurality, box);

        Assert.True(result.Lot.Drawn);
        Assert.Equal(new Lot(Count.Seed, 2).Favoured([0, 1]) == 0 ? "A" : "B", result.Winners[0]);
    }
}
