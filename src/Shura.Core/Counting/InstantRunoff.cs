namespace Shura.Core.Counting;

/// <summary>
/// Instant-runoff voting for one seat.
/// </summary>
/// <remarks>
/// <para>Each round, every valid ballot counts for its highest-ranked candidate still in the count
/// (overvotes as in <see cref="Preferences"/>). A candidate with more than half of the ballots
/// still counting in that round is elected. Otherwise the candidate with the fewest votes is
/// excluded — one at a time, never in a batch — and the next round begins. When one candidate
/// is left, that candidate is elected.</para>
/// <para>A tie for fewest votes goes to the earliest earlier round in which the tied candidates'
/// totals differed (the one with fewer votes then is excluded), then to the lot (DESIGN §5).</para>
/// <para>Excluding one at a time gives the same final round as the batch exclusions some cities use;
/// only the number of rounds differs.</para>
/// </remarks>
public static class InstantRunoff
{
    public static TallyResult Count(BallotBox box, Lot lot)
    {
        int m = box.CandidateCount;
        var names = box.Candidates;
        var inCount = new bool[m];
        Array.Fill(inCount, true);
        int left = m;
        long invalid = Preferences.CountInvalid(box);
        var ties = new TieBreaker<long>(lot);
        var rounds = new List<RunoffRound>();
        long[]? previous = null;
        string? winner = null;

        for (int number = 1; winner is null && left > 0; number++)
        {
            var totals = new long[m];
            long exhausted = 0;
            for (int g = 0; g < box.GroupCount; g++)
            {
                var ranking = box.Ranking(g);
                var ranks = box.Ranks(g);
                if (!Preferences.IsValid(ranking, ranks))
                {
                    continue;
                }
                int c = Preferences.Next(ranking, ranks, 0, inCount, out _);
                if (c < 0)
                {
                    exhausted += box.Count(g);
                }
                else
                {
                    totals[c] += box.Count(g);
                }
            }
            ties.Record(totals);
            long counting = totals.Sum();
            var inCountNow = Enumerable.Range(0, m).Where(c => inCount[c]).ToList();

            string? elected = null, excluded = null;
            Because? why = null;
            var tie = TieBreak.None;
            int leader = inCountNow.MaxBy(c => totals[c]);
            if (left == 1)
            {
                elected = names[leader];
                why = Because.LastSeats;
            }
            else if (2 * totals[leader] > counting)
            {
                elected = names[leader];
                why = Because.Majority;
            }
            else
            {
                long fewest = inCountNow.Min(c => totals[c]);
                int loser = ties.Lowest(inCountNow.Where(c => totals[c] == fewest).ToList(), out tie);
                inCount[loser] = false;
                left--;
                excluded = names[loser];
                why = Because.FewestVotes;
            }

            rounds.Add(new RunoffRound(
                number,
                Totals(names, inCountNow, totals),
                exhausted,
                previous is null ? null : Transfers(names, inCountNow, previous, totals),
                elected,
                excluded,
                why,
                tie));
            winner = elected;
            previous = totals;
        }

        return new TallyResult
        {
            Method = TallyMethod.Irv,
            Seats = 1,
            Ballots = box.VoterCount,
            Invalid = invalid,
            Candidates = names,
            Winners = winner is null ? [] : [winner],
            Rounds = rounds,
            Lot = new LotReport(lot.Seed, ties.LotDrawn),
        };
    }

    private static Dictionary<string, long> Totals(IReadOnlyList<string> names, List<int> candidates, long[] totals)
    {
        var map = new Dictionary<string, long>(candidates.Count);
        foreach (int c in candidates.OrderByDescending(c => totals[c]).ThenBy(c => c))
        {
            map[names[c]] = totals[c];
        }
        return map;
    }

    private static Dictionary<string, long> Transfers(
        IReadOnlyList<string> names, List<int> candidates, long[] before, long[] after)
    {
        var map = new Dictionary<string, long>();
        foreach (int c in candidates)
        {
            if (after[c] != before[c])
            {
                map[names[c]] = after[c] - before[c];
            }
        }
        return map;
    }
}
