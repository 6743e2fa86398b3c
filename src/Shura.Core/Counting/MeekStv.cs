namespace Shura.Core.Counting;

/// <summary>
/// Meek's method of single transferable vote (Hill, Wichmann and Woodall, "Algorithm 123",
/// The Computer Journal 30, 1987), in fixed-point arithmetic with nine decimal places, as the
/// New Zealand STV regulations count it.
/// </summary>
/// <remarks>
/// <para>Every candidate has a keep factor: 1 while hopeful, 0 once excluded, and for an elected
/// candidate the share of each vote reaching them that they keep. A ballot gives each candidate
/// it reaches, in order, its remaining weight × that candidate's keep factor (rounded up to nine
/// decimals) and passes the rest on; what remains after its last preference is the excess. Elected
/// candidates stay in the count, so a ballot passes through them rather than skipping them.</para>
/// <para>The quota is the votes held by candidates ÷ (seats + 1), truncated to nine decimals, plus
/// 0.000000001; it falls as ballots exhaust. Each iteration distributes all ballots, elects every
/// hopeful candidate at or above the quota, and otherwise sets each elected candidate's keep factor
/// to keep factor × quota ÷ votes (rounded up). Iterations stop when a candidate is elected, when
/// the total surplus of the elected is at most 0.000001, or when it stops falling; then, if no one
/// was elected, the hopeful candidate with the fewest votes is excluded (ties: earliest earlier round
/// that differed, then the lot, DESIGN §5). When as many hopeful candidates remain as seats, they are
/// all elected.</para>
/// <para>Overvotes follow <see cref="Preferences"/>, with "still in the count" meaning not excluded.
/// Arithmetic is in whole numbers of 10⁻⁹ of a vote, with 128-bit intermediate products, so a
/// recount always gives the same figures.</para>
/// </remarks>
public static class MeekStv
{
    private const long Scale = 1_000_000_000;
    private const long Omega = 1_000; // 0.000001 of a vote

    public static TallyResult Count(BallotBox box, int seats, Lot lot)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seats, 1);
        int m = box.CandidateCount;
        var names = box.Candidates;
        var keep = new long[m];
        Array.Fill(keep, Scale);
        var notExcluded = new bool[m];
        Array.Fill(notExcluded, true);
        var hopeful = new bool[m];
        Array.Fill(hopeful, true);
        var elected = new List<int>();
        var votes = new long[m];
        var ties = new TieBreaker<long>(lot);
        var rounds = new List<MeekRound>();
        long invalid = Preferences.CountInvalid(box);
        var valid = Enumerable.Range(0, box.GroupCount)
            .Where(g => Preferences.IsValid(box.Ranking(g), box.Ranks(g))).ToArray();

        while (elected.Count < seats)
        {
            int hopefulLeft = hopeful.Count(h => h);
            if (hopefulLeft <= seats - elected.Count)
            {
                var last = ties.MostFirst(Enumerable.Range(0, m).Where(c => hopeful[c]), votes);
                foreach (int c in last)
                {
                    hopeful[c] = false;
                    elected.Add(c);
                }
                rounds.Add(Round(rounds.Count + 1, 0, Quota(votes, notExcluded, seats), 0, 0,
                    [.. last], null, Because.LastSeats, TieBreak.None));
                break;
            }

            long lastSurplus = long.MaxValue;
            int iterations = 0;
            long quota, excess, surplus;
            List<int> reached;
            while (true)
            {
                excess = Distribute(box, valid, keep, notExcluded, votes);
                iterations++;
                quota = Quota(votes, notExcluded, seats);
                reached = [.. Enumerable.Range(0, m).Where(c => hopeful[c] && votes[c] >= quota)];
                surplus = elected.Sum(c => votes[c] - quota);
                if (reached.Count > 0 || surplus <= Omega || surplus >= lastSurplus)
                {
                    break;
                }
                lastSurplus = surplus;
                foreach (int c in elected.Where(c => votes[c] > 0))
                {
                    keep[c] = (long)(((Int128)keep[c] * quota + votes[c] - 1) / votes[c]);
                }
            }
            ties.Record(votes);

            if (reached.Count > 0)
            {
                var order = ties.MostFirst(reached, votes).Take(seats - elected.Count).ToList();
                foreach (int c in order)
                {
                    hopeful[c] = false;
                    elected.Add(c);
                }
                rounds.Add(Round(rounds.Count + 1, iterations, quota, excess, surplus, order, null,
                    Because.Quota, TieBreak.None));
                continue;
            }

            var stillHopeful = Enumerable.Range(0, m).Where(c => hopeful[c]).ToList();
            long fewest = stillHopeful.Min(c => votes[c]);
            int excluded = ties.Lowest(stillHopeful.Where(c => votes[c] == fewest).ToList(), out var tie);
            rounds.Add(Round(rounds.Count + 1, iterations, quota, excess, surplus, [], excluded,
                Because.FewestVotes, tie));
            hopeful[excluded] = false;
            notExcluded[excluded] = false;
            keep[excluded] = 0;
        }

        return new TallyResult
        {
            Method = TallyMethod.Meek,
            Seats = seats,
            Ballots = box.VoterCount,
            Invalid = invalid,
            Candidates = names,
            Winners = [.. elected.Select(c => names[c])],
            Rounds = rounds,
            Lot = new LotReport(lot.Seed, ties.LotDrawn),
        };

        MeekRound Round(
            int number, int iterations, long quota, long excess, long surplus, List<int> electedNow,
            int? excludedNow, Because why, TieBreak tie)
        {
            var shown = Enumerable.Range(0, m).Where(c => notExcluded[c])
                .OrderByDescending(c => votes[c]).ThenBy(c => c).ToList();
            return new MeekRound(
                number,
                iterations,
                ToDecimal(quota),
                shown.ToDictionary(c => names[c], c => ToDecimal(votes[c])),
                shown.ToDictionary(c => names[c], c => ToDecimal(keep[c])),
                ToDecimal(excess),
                ToDecimal(Math.Max(surplus, 0)),
                [.. electedNow.Select(c => names[c])],
                excludedNow is int x ? names[x] : null,
                why,
                tie);
        }
    }

    /// <summary>Distributes every valid ballot by the keep factors; returns the excess.</summary>
    private static long Distribute(BallotBox box, int[] valid, long[] keep, bool[] notExcluded, long[] votes)
    {
        Array.Clear(votes);
        long excess = 0;
        foreach (int g in valid)
        {
            var ranking = box.Ranking(g);
            var ranks = box.Ranks(g);
            long n = box.Count(g);
            long weight = Scale;
            int position = 0;
            while (weight > 0)
            {
                int c = Preferences.Next(ranking, ranks, position, notExcluded, out int at);
                if (c < 0)
                {
                    break;
                }
                long kept = (weight * keep[c] + Scale - 1) / Scale;
                votes[c] += kept * n;
                weight -= kept;
                position = at + 1;
            }
            excess += weight * n;
        }
        return excess;
    }

    private static long Quota(long[] votes, bool[] notExcluded, int seats)
    {
        long total = 0;
        for (int c = 0; c < votes.Length; c++)
        {
            if (notExcluded[c])
            {
                total += votes[c];
            }
        }
        return total / (seats + 1) + 1;
    }

    private static decimal ToDecimal(long value) => value / (decimal)Scale;
}
