using Shura.Core.Councils;
using Shura.Core.Motions;
using Shura.Core.Tests.Support;

namespace Shura.Core.Tests.Motions;

public class MotionLifecycleTests
{
    private static readonly CouncilSettings Settings = CouncilSettings.Default with { SupportThreshold = 2 };

    public static TheoryData<MotionState, string, string> Phases => new()
    {
        // state, action, expected: an event type, or the refusal code
        { MotionState.Draft, "propose", "MotionProposed" },
        { MotionState.Proposed, "propose", "not-a-draft" },
        { MotionState.Proposed, "support", "DeliberationStarted" },
        { MotionState.Draft, "support", "not-proposed" },
        { MotionState.Voting, "support", "not-proposed" },
        { MotionState.Deliberation, "amend", "AmendmentProposed" },
        { MotionState.Proposed, "amend", "not-in-deliberation" },
        { MotionState.Voting, "amend", "not-in-deliberation" },
        { MotionState.Voting, "cast", "BallotCast" },
        { MotionState.Deliberation, "cast", "voting-closed" },
        { MotionState.InForce, "cast", "voting-closed" },
        { MotionState.Deliberation, "advance", "VotingStarted" },
        { MotionState.Proposed, "advance", "nothing-due" },
    };

    [Theory]
    [MemberData(nameof(Phases))]
    public void Each_phase_allows_only_its_own_steps(MotionState state, string action, string expected)
    {
        var motion = Build.Motion(state);

        var verdict = action switch
        {
            "propose" => Core.Motions.MotionRules.Propose(motion, Settings, Build.Leyla, members: 5, Build.Now),
            "support" => Core.Motions.MotionRules.Support(motion, Settings, Build.Babak, isMember: true, alreadySupports: false, members: 5, Build.Now),
            "amend" => Core.Motions.MotionRules.Amend(motion, Build.Babak, isMember: true, 1, "A better text."),
            "cast" => Core.Motions.MotionRules.Cast(motion, Build.Babak, isMember: true, "voter", new MotionBallot(Choice: "yes"), Build.Now),
            _ => Core.Motions.MotionRules.Advance(motion, Settings, Build.Now),
        };

        Assert.Equal(expected, verdict.Refusal?.Code ?? verdict.Events[^1].GetType().Name);
    }

    [Fact]
    public void The_proposer_counts_as_the_first_supporter()
    {
        var council = Build.Council(CouncilSettings.Default with { SupportThreshold = 1 });

        var verdict = Core.Motions.MotionRules.Put(new MotionId(Guid.NewGuid()), new MotionRequest("decision", "Buy flour", ""), council, Build.Leyla,
            isMember: true, members: 10, MotionContext.None, Build.Now);

        Assert.Contains(verdict.Events, e => e is DeliberationStarted);
    }

    [Fact]
    public void With_no_deliberation_period_voting_opens_at_once_and_closes_after_the_voting_period()
    {
        var settings = CouncilSettings.Default with { SupportThreshold = 1, DeliberationPeriod = TimeSpan.Zero, VotingPeriod = TimeSpan.FromSeconds(3) };

        var verdict = Core.Motions.MotionRules.Put(new MotionId(Guid.NewGuid()), new MotionRequest("decision", "Buy flour", ""), Build.Council(settings),
            Build.Leyla, isMember: true, members: 3, MotionContext.None, Build.Now);

        var voting = Assert.IsType<VotingStarted>(verdict.Events[^1]);
        Assert.Equal(Build.Now.AddSeconds(3), voting.EndsAt);
    }

    [Fact]
    public void An_urgent_motion_skips_support_and_needs_an_absolute_majority()
    {
        var verdict = Core.Motions.MotionRules.Put(new MotionId(Guid.NewGuid()), new MotionRequest("decision", "Close today: flood", "", Urgent: true),
            Build.Council(), Build.Leyla, isMember: true, members: 100, MotionContext.None, Build.Now);

        var voting = Assert.IsType<VotingStarted>(verdict.Events[^1]);
        Assert.Equal(Build.Now + CouncilSettings.Default.VotingPeriod / 3, voting.EndsAt);
        Assert.Equal(Core.Counting.Threshold.Absolute, Build.Motion(MotionState.Voting) with { Urgent = true } is var m ? m.EffectiveThreshold : default);
    }

    [Fact]
    public void The_default_support_threshold_is_three_or_five_percent_but_never_more_than_the_members()
    {
        Assert.Equal(3, CouncilSettings.Default.SupportNeeded(40));
        Assert.Equal(5, CouncilSettings.Default.SupportNeeded(100));
        Assert.Equal(6, CouncilSettings.Default.SupportNeeded(101));
        Assert.Equal(2, CouncilSettings.Default.SupportNeeded(2));
    }

    [Fact]
    public void Only_the_proposer_adopts_an_amendment()
    {
        var motion = Build.Motion(MotionState.Deliberation);

        Assert.Equal("not-proposer", Core.Motions.MotionRules.Adopt(motion, Build.Babak, 1, amendmentExists: true).Refusal?.Code);
        Assert.IsType<AmendmentAdopted>(Core.Motions.MotionRules.Adopt(motion, Build.Leyla, 1, amendmentExists: true).Events.Single());
    }

    [Fact]
    public void A_non_member_cannot_vote()
    {
        var verdict = Core.Motions.MotionRules.Cast(Build.Motion(MotionState.Voting), Build.Babak, isMember: false, "v", new MotionBallot(Choice: "yes"), Build.Now);

        Assert.Equal("not-a-member", verdict.Refusal?.Code);
    }

    [Fact]
    public void A_passed_settings_motion_changes_the_settings()
    {
        var newSettings = CouncilSettings.Default with { SecretBallots = false };
        var motion = Build.Motion(MotionState.Voting, new MotionSubject.Settings(null, newSettings)) with { VotingEndsAt = Build.Now };

        var verdict = Core.Motions.MotionRules.Close(motion, [(new MotionBallot(Choice: "yes"), 1L)], electorate: 3, seed: "s", CloseContext.None, Build.Now);

        Assert.Equal(MotionState.InForce, Assert.IsType<MotionClosed>(verdict.Events[0]).Outcome);
        Assert.Equal(newSettings, Assert.IsType<SettingsChanged>(verdict.Events[1]).Settings);
    }

    [Fact]
    public void A_passed_repeal_lifts_the_decision_in_force()
    {
        var target = Build.Motion(MotionState.InForce) with { Id = new MotionId(Guid.NewGuid()) };
        var repeal = Build.Motion(MotionState.Voting, new MotionSubject.Repeal(target.Id)) with { VotingEndsAt = Build.Now };

        var verdict = Core.Motions.MotionRules.Close(repeal, [(new MotionBallot(Choice: "yes"), 1L)], 3, "s", new CloseContext { Target = target }, Build.Now);

        Assert.Equal(target.Id, Assert.IsType<MotionRepealed>(verdict.Events[1]).Motion);
    }

    [Fact]
    public void A_passed_admission_makes_the_applicant_a_member()
    {
        var motion = Build.Motion(MotionState.Voting, new MotionSubject.Admission(Build.Babak)) with { VotingEndsAt = Build.Now };

        var verdict = Core.Motions.MotionRules.Close(motion, [(new MotionBallot(Choice: "yes"), 1L)], 3, "s", new CloseContext { ApplicantNameHash = "5eal" }, Build.Now);

        var joined = Assert.IsType<MemberJoined>(verdict.Events[1]);
        Assert.Equal((Build.Babak, JoinedBy.Admission), (joined.Member, joined.By));
        // The log holds the name sealed, never the name itself.
        Assert.Equal(((string?)null, "5eal"), (joined.Name, joined.NameHash));
    }

    [Fact]
    public void A_choice_without_quorum_is_rejected_with_no_winner()
    {
        var motion = Build.Motion(MotionState.Voting, MotionSubject.Choice.Plain) with { Quorum = new Core.Counting.Quorum(1, 2), VotingEndsAt = Build.Now };

        var verdict = Core.Motions.MotionRules.Close(motion, [(new MotionBallot(Ranking: ["Park"]), 1L)], electorate: 10, "s", CloseContext.None, Build.Now);

        var closed = Assert.IsType<MotionClosed>(verdict.Events.Single());
        Assert.Equal(MotionState.Rejected, closed.Outcome);
        Assert.Contains("\"winners\":[]", closed.Result, StringComparison.Ordinal);
    }
}
