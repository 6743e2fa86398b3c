using Shura.Core.Counting;
using Shura.Core.Motions;
using Shura.Core.Tests.Support;

namespace Shura.Core.Tests.Motions;

/// <summary>
/// A motion's result is one typed record, written into the log as JSON by one writer and read
/// back by one reader: reading what was written and writing it again gives the same bytes, for
/// every method, with and without a quorum, live and final.
/// </summary>
public class MotionResultTests
{
    private static readonly string[] Options = ["Park", "Library", "Cafe", "School", "Mosque"];

    public static TheoryData<string> Methods => [.. TallyMethods.Names.Where(n => n != "decision")];

    [Theory]
    [MemberData(nameof(Methods))]
    public void A_choice_result_reads_back_to_the_same_bytes(string method)
    {
        TallyMethods.TryParse(method, out var tally);
        var random = new Random(method.Length);
        for (int trial = 0; trial < 200; trial++)
        {
            int seats = tally.IsSingleSeat() || tally is TallyMethod.Schulze or TallyMethod.RankedPairs ? 1 : random.Next(1, 4);
            var motion = Build.Motion(MotionState.Voting, MotionSubject.Choice.Plain) with
            {
                Options = [.. Options], Method = tally, Seats = seats, Quorum = random.Next(3) == 0 ? new Quorum(1, 3) : null,
            };
            var ballots = Enumerable.Range(0, random.Next(0, 30)).Select(_ => (Ballot(random, tally), (long)random.Next(1, 4))).ToList();

            var result = MotionTally.Count(motion, ballots, electorate: 60, seed: $"seed {trial}", final: random.Next(2) == 0);
            string written = result.Write();

            Assert.Equal(written, MotionResult.Read(written).Write());
            Assert.Equal(result.Winners, MotionResult.Read(written).Winners);
        }
    }

    [Theory]
    [InlineData(Threshold.Simple)]
    [InlineData(Threshold.Absolute)]
    [InlineData(Threshold.TwoThirds)]
    public void A_decision_result_reads_back_to_the_same_bytes(Threshold threshold)
    {
        var random = new Random((int)threshold);
        for (int trial = 0; trial < 100; trial++)
        {
            var motion = Build.Motion(MotionState.Voting) with { Threshold = threshold, Quorum = random.Next(2) == 0 ? new Quorum(1, 2) : null };
            var ballots = Enumerable.Range(0, random.Next(0, 20))
                .Select(_ => (new MotionBallot(Choice: new[] { "yes", "no", "abstain" }[random.Next(3)]), 1L)).ToList();

            var result = MotionTally.Count(motion, ballots, electorate: 25, seed: "seed", final: true);
            string written = result.Write();

            Assert.Equal(written, MotionResult.Read(written).Write());
            Assert.Equal(result.Passed, MotionResult.Read(written).Passed);
        }
    }

    private static MotionBallot Ballot(Random random, TallyMethod method)
    {
        var shuffled = Options.OrderBy(_ => random.Next()).Take(random.Next(1, Options.Length + 1)).ToList();
        return method switch
        {
            TallyMethod.Approval => new MotionBallot(Approvals: shuffled),
            TallyMethod.Score => new MotionBallot(Scores: shuffled.ToDictionary(o => o, _ => random.Next(0, 6))),
            _ => new MotionBallot(Ranking: shuffled),
        };
    }
}
