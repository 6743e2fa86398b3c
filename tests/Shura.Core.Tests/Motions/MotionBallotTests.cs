using Shura.Core.Counting;
using Shura.Core.Motions;
using Shura.Core.Tests.Support;

namespace Shura.Core.Tests.Motions;

public class MotionBallotTests
{
    private static Motion Choice(TallyMethod method) =>
        Build.Motion(MotionState.Voting, MotionSubject.Choice.Plain) with { Method = method };

    [Theory]
    [InlineData("{\"choice\":\"yes\"}", null)]
    [InlineData("{\"choice\":\"Yes\"}", null)]
    [InlineData("{\"choice\":\"maybe\"}", "wrong-ballot-kind")]
    [InlineData("{\"ranking\":[\"Park\"]}", "wrong-ballot-kind")]
    [InlineData("{}", "invalid-ballot")]
    [InlineData("{\"choice\":\"yes\",\"ranking\":[\"Park\"]}", "invalid-ballot")]
    public void A_decision_takes_yes_no_or_abstain(string ballot, string? refusal) =>
        Assert.Equal(refusal, Parse(ballot).Validate(Build.Motion(MotionState.Voting)).Refusal?.Code);

    [Theory]
    [InlineData(TallyMethod.Schulze, "{\"ranking\":[\"Park\",\"Cafe\"]}", null)]
    [InlineData(TallyMethod.Schulze, "{\"ranking\":[\"Park\",\"Park\"]}", "duplicate-ranking")]
    [InlineData(TallyMethod.Irv, "{\"ranking\":[\"Beach\"]}", "unknown-option")]
    [InlineData(TallyMethod.Irv, "{\"ranking\":[]}", "invalid-ballot")]
    [InlineData(TallyMethod.Approval, "{\"approvals\":[\"Park\",\"Cafe\"]}", null)]
    [InlineData(TallyMethod.Approval, "{\"approvals\":[]}", null)]
    [InlineData(TallyMethod.Approval, "{\"approvals\":[\"Zoo\"]}", "unknown-option")]
    [InlineData(TallyMethod.Score, "{\"scores\":{\"Park\":5,\"Cafe\":0}}", null)]
    [InlineData(TallyMethod.Score, "{\"scores\":{\"Park\":6}}", "score-out-of-range")]
    [InlineData(TallyMethod.Score, "{\"scores\":{\"Park\":-1}}", "score-out-of-range")]
    [InlineData(TallyMethod.Plurality, "{\"choice\":\"Cafe\"}", null)]
    [InlineData(TallyMethod.Plurality, "{\"choice\":\"Zoo\"}", "unknown-option")]
    public void A_choice_ballot_is_checked_against_the_method_and_options(TallyMethod method, string ballot, string? refusal) =>
        Assert.Equal(refusal, Parse(ballot).Validate(Choice(method)).Refusal?.Code);

    [Fact]
    public void A_plurality_choice_is_counted_as_a_one_option_ranking()
    {
        var (valid, _) = new MotionBallot(Choice: "Cafe").Validate(Choice(TallyMethod.Plurality));

        Assert.Equal(["Cafe"], valid!.Ranking!);
    }

    private static MotionBallot Parse(string json) =>
        System.Text.Json.JsonSerializer.Deserialize<MotionBallot>(json, Core.Log.EventJson.Options)!;
}
