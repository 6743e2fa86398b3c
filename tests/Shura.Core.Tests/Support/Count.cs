using Shura.Core.Ballots;
using Shura.Core.Counting;

namespace Shura.Core.Tests.Support;

/// <summary>Short ways to count in tests.</summary>
public static class Count
{
    public const string Seed = "shura-tests";

    public static TallyResult By(TallyMethod method, BallotBox box, int seats = 1, string seed = Seed) =>
        Tally.Count(box, new TallyRules(method, seats, new Lot(seed, box.CandidateCount)));

    public static T Round<T>(this TallyResult result, int index = 0) where T : TallyRound =>
        Assert.IsType<T>(result.Rounds[index]);

    public static IEnumerable<T> RoundsOf<T>(this TallyResult result) where T : TallyRound =>
        result.Rounds.Cast<T>();
}
