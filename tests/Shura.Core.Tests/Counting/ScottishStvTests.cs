using Shura.Core.Counting;
using Shura.Core.Tests.Support;

namespace Shura.Core.Tests.Counting;

public class ScottishStvTests
{
    [Fact]
    public void A_surplus_moves_every_paper_at_a_value_truncated_to_five_decimals()
    {
        // 2 seats, 10 ballots: quota = 10/3 + 1 = 4. A has 7, surplus 3, so each of A's papers
        // moves at 3/7 = 0.42857 (0.428571… truncated). 4 go on to B, 2 to C, 1 has no next preference.
        var box = TestBallots.Of("A B C D", "4: A>B", "2: A>C", "1: A", "2: D", "1: C");

        var result = Count.By(TallyMethod.Stv, box, seats: 2);

        var surplus = result.RoundsOf<StvStage>().Single(s => s.Action == "surplus");
        Assert.Equal("A", surplus.From);
        Assert.Equal(1.71428m, surplus.Transfers["B"]);
        Assert.Equal(0.85714m, surplus.Transfers["C"]);
        Assert.Equal(0.42857m, surplus.NonTransferable);
        Assert.Equal(0.00001m, surplus.Lost);
        Assert.Equal(4m, surplus.Totals["A"]);
    }

    [Fact]
    public void Every_stage_conserves_the_valid_votes()
    {
        var box = TestBallots.Of("A B C D", "4: A>B", "2: A>C", "1: A", "2: D", "1: C");

        var result = Count.By(TallyMethod.Stv, box, seats: 2);

        Assert.All(result.RoundsOf<StvStage>(), s =>
            Assert.Equal(10m, s.Totals.Values.Sum() + s.TotalNonTransferable + s.TotalLost));
    }

    [Fact]
    public void When_as_many_candidates_are_left_as_seats_they_are_elected_without_transfer()
    {
        var box = TestBallots.Of("A B C", "5: A", "3: B", "2: C");

        var result = Count.By(TallyMethod.Stv, box, seats: 2);

        Assert.Equal(["A", "B"], result.Winners);
        Assert.Equal("last-seats", result.RoundsOf<StvStage>().Last().Action);
    }

    [Fact]
    public void More_seats_than_candidates_elects_every_candidate()
    {
        var box = TestBallots.Of("A B", "1: A", "1: B");

        Assert.Equal(2, Count.By(TallyMethod.Stv, box, seats: 5).Winners.Count);
    }
}
