using Shura.Core.Ballots;
using Shura.Core.Counting;

namespace Shura.Core.Tests.Counting;

public class DecisionTests
{
    [Theory]
    [InlineData(Threshold.Simple, 5, 4, 9, null, Outcome.Passed)]
    [InlineData(Threshold.Simple, 4, 4, 0, null, Outcome.Rejected)]   // a tie is not a majority
    [InlineData(Threshold.Absolute, 10, 0, 0, 20L, Outcome.Rejected)] // exactly half is not more than half
    [InlineData(Threshold.Absolute, 11, 0, 0, 20L, Outcome.Passed)]
    [InlineData(Threshold.Absolute, 11, 0, 8, 20L, Outcome.Passed)]
    [InlineData(Threshold.TwoThirds, 6, 3, 100, null, Outcome.Passed)] // 6 of 9 is exactly two thirds
    [InlineData(Threshold.TwoThirds, 5, 3, 0, null, Outcome.Rejected)]
    [InlineData(Threshold.TwoThirds, 0, 0, 5, null, Outcome.Rejected)]
    public void The_threshold_decides(Threshold threshold, long yes, long no, long abstain, long? electorate, Outcome expected)
    {
        var result = Decision.Decide(new DecisionBallots(yes, no, abstain), new DecisionRules(threshold, electorate));

        Assert.Equal(expected, result.Outcome);
    }

    [Theory]
    [InlineData(3, 1, 0, false)] // 4 of 15 took part: below a third
    [InlineData(3, 1, 1, true)]  // 5 of 15: abstentions count towards the quorum
    public void A_quorum_counts_everyone_who_took_part(long yes, long no, long abstain, bool passes)
    {
        var rules = new DecisionRules(Threshold.Simple, 15, new Quorum(1, 3));

        var result = Decision.Decide(new DecisionBallots(yes, no, abstain), rules);

        Assert.Equal(passes, result.QuorumMet);
        Assert.Equal(passes ? Outcome.Passed : Outcome.Rejected, result.Outcome);
    }

    [Fact]
    public void An_absolute_majority_without_an_electorate_is_refused_with_a_reason()
    {
        var rules = new DecisionRules(Threshold.Absolute);

        Assert.Equal("an absolute majority needs the size of the electorate", rules.Problem(new DecisionBallots(1, 0, 0)));
        Assert.Throws<ArgumentException>(() => Decision.Decide(new DecisionBallots(1, 0, 0), rules));
    }

    [Fact]
    public void An_electorate_smaller_than_the_ballots_is_refused()
    {
        var rules = new DecisionRules(Threshold.Simple, 2);

        Assert.NotNull(rules.Problem(new DecisionBallots(2, 1, 0)));
    }

    [Theory]
    [InlineData("1/3", true)]
    [InlineData("0/1", true)]
    [InlineData("2/1", false)]
    [InlineData("1/0", false)]
    [InlineData("a/3", false)]
    [InlineData("-1/3", false)]
    [InlineData("1/3/4", false)]
    public void A_quorum_is_read_as_an_exact_fraction(string text, bool valid) =>
        Assert.Equal(valid, Quorum.TryParse(text, out _));
}
