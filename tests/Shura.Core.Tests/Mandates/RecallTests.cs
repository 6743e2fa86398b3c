using CsCheck;
using Shura.Core.Mandates;

namespace Shura.Core.Tests.Mandates;

public class RecallTests
{
    private static readonly Mandate Convener = new(
        new MandateId(Guid.CreateVersion7()), new CouncilId(Guid.CreateVersion7()), "Convener", MandateKind.Convener, 1, null, [], DateTimeOffset.UnixEpoch);

    private static readonly AccountId Holder = new(Guid.CreateVersion7());

    /// <summary>
    /// Any electorate and any sequence of withdrawals and restorations, applied one by one as the
    /// server does: the holder is recalled exactly at the change that brings the withdrawals above
    /// half of the electorate — never below the threshold, never later than at it.
    /// </summary>
    [Fact]
    public void Recall_happens_exactly_when_withdrawals_first_exceed_half_the_electorate()
    {
        Gen.Int[1, 60].SelectMany(n => Gen.Select(Gen.Int[0, n - 1], Gen.Bool).Array[0, 4 * n].Select(changes => (n, changes)))
            .Sample(c =>
            {
                var withdrawn = new HashSet<int>();
                foreach (var (elector, withdraw) in c.changes)
                {
                    var verdict = Core.Mandates.MandateRules.ChangeConfidence(Convener, Holder, isHolder: true, isElector: true, $"e{elector}", withdraw,
                        hadWithdrawn: withdrawn.Contains(elector), withdrawn.Count, c.n);
                    Assert.True(verdict.IsAccepted);
                    if (withdraw)
                    {
                        withdrawn.Add(elector);
                    }
                    else
                    {
                        withdrawn.Remove(elector);
                    }
                    var recall = verdict.Events.OfType<HolderRecalled>().SingleOrDefault();
                    bool over = 2 * withdrawn.Count > c.n;
                    Assert.Equal(over, recall is not null);
                    if (recall is not null)
                    {
                        Assert.Equal(Recall.Threshold(c.n), withdrawn.Count); // at the threshold, not past it
                        Assert.Equal((withdrawn.Count, c.n), (recall.Withdrawals, recall.Electorate));
                        return; // the holder is gone; nothing more to withdraw from
                    }
                }
            }, iter: 3000);
    }

    [Fact]
    public void The_threshold_is_the_fewest_withdrawals_that_recall()
    {
        Gen.Select(Gen.Long[0, 1_000_000], Gen.Long[0, 1_000_000]).Sample((withdrawals, electorate) =>
        {
            Assert.Equal(electorate > 0 && withdrawals >= Recall.Threshold(electorate), Recall.IsRecalled(withdrawals, electorate));
            Assert.False(Recall.IsRecalled(Recall.Threshold(electorate) - 1, electorate));
        }, iter: 5000);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(5, 3)]
    [InlineData(6, 4)]
    [InlineData(100_000, 50_001)]
    public void Threshold_is_an_absolute_majority(long electorate, long threshold) => Assert.Equal(threshold, Recall.Threshold(electorate));

    [Fact]
    public void Doing_again_what_is_done_records_nothing_and_a_non_holder_or_non_elector_is_refused()
    {
        Assert.Empty(Core.Mandates.MandateRules.ChangeConfidence(Convener, Holder, true, true, "e", withdraw: true, hadWithdrawn: true, 1, 5).Events);
        Assert.Equal("not-a-holder", Core.Mandates.MandateRules.ChangeConfidence(Convener, Holder, false, true, "e", true, false, 0, 5).Refusal!.Code);
        Assert.Equal("not-an-elector", Core.Mandates.MandateRules.ChangeConfidence(Convener, Holder, true, false, "e", true, false, 0, 5).Refusal!.Code);
    }
}
