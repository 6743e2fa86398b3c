using CsCheck;
using Shura.Core.Ballots;
using Shura.Core.Counting;
using Shura.Core.Tests.Support;

namespace Shura.Core.Tests.Counting;

/// <summary>Properties every count must have, checked on random elections (CsCheck).</summary>
public class TallyProperties
{
    private static readonly TallyMethod[] RankedMethods =
    [
        TallyMethod.Plurality, TallyMethod.Approval, TallyMethod.Irv, TallyMethod.Stv,
        TallyMethod.Meek, TallyMethod.Schulze, TallyMethod.RankedPairs,
    ];

    private static int SeatsFor(TallyMethod method, int candidates) =>
        method == TallyMethod.Irv ? 1 : Math.Max(1, candidates / 2);

    private static int? CondorcetWinner(BallotBox box)
    {
        var d = PairwiseMatrix.Count(box);
        for (int x = 0; x < box.CandidateCount; x++)
        {
            if (Enumerable.Range(0, box.CandidateCount).All(y => y == x || d[x, y] > d[y, x]))
            {
                return x;
            }
        }
        return null;
    }

    [Theory]
    [InlineData(TallyMethod.Schulze)]
    [InlineData(TallyMethod.RankedPairs)]
    public void A_Condorcet_winner_wins(TallyMethod method)
    {
        int found = 0;
        Election.Random(2, 6, ties: true).Sample(election =>
        {
            var box = election.Box();
            if (CondorcetWinner(box) is int winner)
            {
                Interlocked.Increment(ref found);
                Assert.Equal([box.Candidates[winner]], Count.By(method, box).Winners);
            }
        }, iter: 400);
        Assert.True(found > 100, $"only {found} of 400 random elections had a Condorcet winner");
    }

    [Fact]
    public void A_candidate_with_a_majority_of_first_preferences_wins_irv()
    {
        int found = 0;
        Election.Random(2, 6, ties: true, maxBallots: 12).Sample(election =>
        {
            var box = election.Box();
            var result = Count.By(TallyMethod.Irv, box);
            var first = result.Round<RunoffRound>().Totals;
            long valid = box.VoterCount - result.Invalid;
            var majority = first.Where(t => 2 * t.Value > valid).Select(t => t.Key).ToList();
            if (majority.Count == 1)
            {
                Interlocked.Increment(ref found);
                Assert.Equal(majority, result.Winners);
                Assert.Single(result.Rounds);
            }
        }, iter: 400);
        Assert.True(found > 50, $"only {found} of 400 random elections had a first-preference majority");
    }

    [Fact]
    public void Results_do_not_depend_on_the_order_or_grouping_of_ballots()
    {
        var gen = Election.Random(2, 6, ties: true).SelectMany(e =>
            Gen.Shuffle(e.Ballots.SelectMany(Split).ToArray()).Select(shuffled => (e, shuffled)));

        gen.Sample(pair =>
        {
            var (election, shuffled) = pair;
            foreach (var method in RankedMethods)
            {
                int seats = SeatsFor(method, election.Candidates);
                Assert.Equal(
                    Election.Fingerprint(Count.By(method, election.Box(), seats)),
                    Election.Fingerprint(Count.By(method, election.Box(shuffled), seats)));
            }
        }, iter: 200);

        // Each group of n identical ballots split into n single ballots.
        static IEnumerable<Election.Ballot> Split(Election.Ballot b) =>
            Enumerable.Repeat(b with { Count = 1 }, b.Count);
    }

    [Fact]
    public void Renaming_candidates_renames_the_result_and_nothing_else()
    {
        Election.Random(2, 6, ties: true).Sample(election =>
        {
            foreach (var method in RankedMethods)
            {
                int seats = SeatsFor(method, election.Candidates);
                string original = Election.Fingerprint(Count.By(method, election.Box("c"), seats));
                string renamed = Election.Fingerprint(Count.By(method, election.Box("renamed-"), seats));

                Assert.Equal(original, renamed.Replace("<renamed-", "<c"));
            }
        }, iter: 200);
    }

    [Theory]
    [InlineData(TallyMethod.Stv)]
    [InlineData(TallyMethod.Meek)]
    public void Stv_elects_exactly_as_many_as_seats_or_candidates(TallyMethod method)
    {
        Gen.Select(Election.Random(1, 7, ties: false), Gen.Int[1, 8]).Sample(pair =>
        {
            var (election, seats) = pair;

            var result = Count.By(method, election.Box(), seats);

            Assert.Equal(Math.Min(seats, election.Candidates), result.Winners.Count);
            Assert.Equal(result.Winners.Count, result.Winners.Distinct().Count());
        }, iter: 300);
    }

    [Fact]
    public void Every_stv_stage_conserves_the_valid_votes()
    {
        Gen.Select(Election.Random(2, 7, ties: true, maxBallots: 40), Gen.Int[1, 4]).Sample(pair =>
        {
            var (election, seats) = pair;
            var box = election.Box();

            var result = Count.By(TallyMethod.Stv, box, seats);

            long valid = box.VoterCount - result.Invalid;
            Assert.All(result.RoundsOf<StvStage>(), stage =>
                Assert.Equal(valid, stage.Totals.Values.Sum() + stage.TotalNonTransferable + stage.TotalLost));
        }, iter: 300);
    }

    [Fact]
    public void The_same_seed_gives_the_same_result()
    {
        Gen.Select(Election.Random(2, 6, ties: true), Gen.String).Sample(pair =>
        {
            var (election, seed) = pair;
            foreach (var method in RankedMethods)
            {
                int seats = SeatsFor(method, election.Candidates);
                Assert.Equal(
                    Election.Fingerprint(Count.By(method, election.Box(), seats, seed)),
                    Election.Fingerprint(Count.By(method, election.Box(), seats, seed)));
            }
        }, iter: 100);
    }

    [Fact]
    public void The_seed_matters_only_when_a_lot_is_drawn()
    {
        int drawn = 0, notDrawn = 0;
        Election.Random(2, 5, ties: true, maxBallots: 6).Sample(election =>
        {
            foreach (var method in RankedMethods)
            {
                int seats = SeatsFor(method, election.Candidates);
                var a = Count.By(method, election.Box(), seats, "seed-a");
                var b = Count.By(method, election.Box(), seats, "seed-b");

                Assert.Equal(a.Lot.Drawn, b.Lot.Drawn);
                if (!a.Lot.Drawn)
                {
                    Interlocked.Increment(ref notDrawn);
                    Assert.Equal(Election.Fingerprint(a, withSeed: false), Election.Fingerprint(b, withSeed: false));
                }
                else
                {
                    Interlocked.Increment(ref drawn);
                }
            }
        }, iter: 300);
        Assert.True(drawn > 50 && notDrawn > 50, $"lots drawn in {drawn} counts and not in {notDrawn}: too few of one kind");
    }

    /// <summary>
    /// Found by <see cref="The_seed_matters_only_when_a_lot_is_drawn"/>: two candidates fill the
    /// last seats with equal votes, and the order in which they are listed as elected came from
    /// the lot without the result saying so.
    /// </summary>
    [Theory]
    [InlineData(TallyMethod.Stv)]
    [InlineData(TallyMethod.Meek)]
    public void Equal_candidates_elected_together_are_ordered_by_a_reported_lot(TallyMethod method)
    {
        var box = TestBallots.Of("c0 c1 c2 c3", "3: c3>c0=c2", "4: c2", "1: c0>c3", "4: c1>c2=c0");

        var a = Count.By(method, box, seats: 2, seed: "seed-a");
        var b = Count.By(method, box, seats: 2, seed: "seed-b");

        Assert.Equal(a.Winners.Order(), b.Winners.Order());
        if (!a.Winners.SequenceEqual(b.Winners))
        {
            Assert.True(a.Lot.Drawn && b.Lot.Drawn);
        }
        Assert.Equal(a.Lot.Drawn, b.Lot.Drawn);
    }
}
