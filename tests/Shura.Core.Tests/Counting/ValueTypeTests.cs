using Shura.Core.Ballots;
using Shura.Core.Counting;
using Shura.Core.Tests.Support;

namespace Shura.Core.Tests.Counting;

public class ValueTypeTests
{
    [Fact]
    public void Quorum_keeps_the_value_contract() =>
        ValueContract.HoldsFor(new Quorum(1, 3), new Quorum(1, 3), new Quorum(2, 6));

    [Fact]
    public void A_quorum_of_one_third_is_not_the_same_value_as_two_sixths_but_means_the_same() =>
        Assert.Equal(new Quorum(1, 3).IsMetBy(5, 15), new Quorum(2, 6).IsMetBy(5, 15));

    [Fact]
    public void A_quorum_outside_0_to_1_is_a_broken_precondition()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Quorum(4, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Quorum(1, 0));
    }

    [Fact]
    public void Decision_ballots_keep_the_value_contract() =>
        ValueContract.HoldsFor(new DecisionBallots(3, 1, 0), new DecisionBallots(3, 1, 0), new DecisionBallots(3, 0, 1));

    [Fact]
    public void Decision_ballots_count_each_choice_apart() =>
        Assert.Equal(new DecisionBallots(2, 1, 4),
            new DecisionBallots().Add(Choice.Yes, 2).Add(Choice.Abstain, 4).Add(Choice.No, 1));
}
