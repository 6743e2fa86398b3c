using Shura.Core.Counting;
using Shura.Core.Tests.Support;

namespace Shura.Core.Tests.Counting;

public class MeekStvTests
{
    [Fact]
    public void An_elected_candidate_keeps_only_what_reaches_the_quota()
    {
        // 2 seats, 9 ballots: A is far over quota; the keep factor shrinks until A holds about
        // the quota and the rest of A's ballots flow on to B and C.
        var box = TestBallots.Of("A B C D", "6: A>B", "1: B", "1: C", "1: D>C");

        var result = Count.By(TallyMethod.Meek, box, seats: 2);

        Assert.Equal(["A", "B"], result.Winners);
        var last = result.RoundsOf<MeekRound>().Last(r => r.Elected.Contains("B"));
        Assert.InRange(last.Votes["A"] - last.Quota, 0m, 0.00001m);
        Assert.True(last.KeepFactors["A"] < 1m);
    }

    [Fact]
    public void Votes_and_excess_always_add_up_to_the_valid_ballots()
    {
        var box = TestBallots.Of("A B C D", "6: A>B", "1: B", "1: C", "1: D>C");

        var rounds = Count.By(TallyMethod.Meek, box, seats: 2).RoundsOf<MeekRound>();

        Assert.All(rounds, r => Assert.Equal(9m, r.Votes.Values.Sum() + r.Excess));
    }

    [Fact]
    public void The_hopeful_candidate_with_fewest_votes_is_excluded_when_no_one_reaches_the_quota()
    {
        var box = TestBallots.Of("A B C", "4: A", "3: B", "2: C>B");

        var result = Count.By(TallyMethod.Meek, box);

        Assert.Equal("C", result.Round<MeekRound>().Excluded);
        Assert.Equal(["B"], result.Winners);
    }
}
