using Shura.Core.Counting;
using Shura.Core.Motions;
using Shura.Core.Tests.Support;

namespace Shura.Core.Tests.Motions;

/// <summary>
/// A decision with counter-proposals is counted with Schulze among the original, each
/// counter-proposal and "none of these"; the leader is in force only if it also beats "none of
/// these" head to head by the motion's threshold (DESIGN §2).
/// </summary>
public class CounterProposalsTests
{
    private const string Original = CounterProposals.Original, None = CounterProposals.NoneOfThese;
    private static readonly string First = CounterProposals.Option(1), Second = CounterProposals.Option(2);

    private static Motion Contested(int counterProposals, Threshold threshold = Threshold.Simple) =>
        (Build.Motion(MotionState.Deliberation) with { Threshold = threshold }).Contested(counterProposals) with { State = MotionState.Voting };

    private static IEnumerable<(MotionBallot, long)> Ballots(params (long Count, string[] Ranking)[] groups) =>
        groups.Select(g => (new MotionBallot(Ranking: g.Ranking), g.Count));

    [Fact]
    public void Voting_opens_as_a_schulze_ranking_of_the_original_each_counter_proposal_and_none_of_these()
    {
        var motion = Contested(2);

        Assert.Equal([Original, First, Second, None], motion.Options.ToArray());
        Assert.Equal(TallyMethod.Schulze, motion.Method);
        Assert.True(motion.IsContested);
        Assert.False(motion.IsDecision);
        var plain = Build.Motion(MotionState.Deliberation);
        Assert.Same(plain, plain.Contested(0));
    }

    [Fact]
    public void Only_a_decision_takes_counter_proposals_and_its_kin_stay_yes_or_no()
    {
        var repeal = Build.Motion(MotionState.Deliberation, new MotionSubject.Repeal(new MotionId(Guid.NewGuid())));

        Assert.Equal(Codes.NotADecision, MotionRules.CounterPropose(repeal, Build.Babak, true, 1, "Keep it.").Refusal?.Code);
        Assert.Equal(repeal, repeal.Contested(3));
    }

    [Fact]
    public void A_counter_proposal_that_wins_and_beats_none_of_these_passes()
    {
        var result = MotionTally.Count(Contested(2), Ballots((3, [First, Original, None]), (2, [Second, First, None]), (1, [None])), 6, "seed", final: true);

        Assert.True(result.Passed);
        Assert.Equal([First], result.Winners);
        Assert.Equal(new StatusQuoContest(First, 5, 1, Threshold.Simple, true), result.StatusQuo);
    }

    /// <summary>
    /// A cycle: the original beats the counter-proposal, which beats "none of these", which beats the
    /// original head to head. Schulze ranks the original first, but more ballots put "none of these"
    /// above it than below: nothing comes into force.
    /// </summary>
    [Fact]
    public void The_schulze_leader_that_loses_to_none_of_these_head_to_head_is_not_in_force()
    {
        var result = MotionTally.Count(Contested(1), Ballots((4, [Original, First, None]), (3, [First, None, Original]), (2, [None, Original, First])), 9, "seed", final: true);

        Assert.Equal([Original], result.Tally!.Winners);
        Assert.Equal(new StatusQuoContest(Original, 4, 5, Threshold.Simple, false), result.StatusQuo);
        Assert.False(result.Passed);
        Assert.Empty(result.Winners);
    }

    [Fact]
    public void None_of_these_leading_passes_nothing()
    {
        var result = MotionTally.Count(Contested(1), Ballots((3, [None]), (2, [First, Original])), 5, "seed", final: true);

        Assert.Equal([None], result.Tally!.Winners);
        Assert.False(result.Passed);
        Assert.Empty(result.Winners);
    }

    [Theory]
    [InlineData(Threshold.Simple, 7, 5, true)]
    [InlineData(Threshold.TwoThirds, 7, 5, false)]
    [InlineData(Threshold.TwoThirds, 8, 4, true)]
    [InlineData(Threshold.Absolute, 7, 5, false)] // 7 of an electorate of 20 is no absolute majority
    public void The_motions_threshold_applies_to_the_leader_against_none_of_these(Threshold threshold, int @for, int against, bool passes)
    {
        var result = MotionTally.Count(Contested(1, threshold), Ballots((@for, [First, None]), (against, [None, First])), 20, "seed", final: true);

        Assert.Equal(First, result.StatusQuo!.Leader);
        Assert.Equal(passes, result.Passed);
    }

    [Fact]
    public void A_contested_result_reads_back_to_the_same_bytes_and_the_same_contest()
    {
        var result = MotionTally.Count(Contested(2), Ballots((3, [First, Original, None]), (2, [None])), 6, "seed", final: false);

        var read = MotionResult.Read(result.Write());

        Assert.Equal(result.Write(), read.Write());
        Assert.Equal(result.StatusQuo, read.StatusQuo);
    }

    [Fact]
    public void The_quorum_holds_a_contested_decision_too()
    {
        var motion = Contested(1) with { Quorum = new Quorum(1, 2) };

        var result = MotionTally.Count(motion, Ballots((3, [First, None])), 10, "seed", final: true);

        Assert.False(result.Passed);
        Assert.False(result.QuorumMet);
    }
}
