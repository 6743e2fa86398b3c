namespace Shura.Core.Counting;

/// <summary>
/// The Schulze method (beat-path), with link strength measured in winning votes.
/// </summary>
/// <remarks>
/// <para>From the pairwise matrix d (see <see cref="PairwiseMatrix"/> for unranked and equal
/// candidates), the link from x to y has strength d[x,y] when d[x,y] &gt; d[y,x], and 0 otherwise.
/// The strength of a path is its weakest link; p[x,y] is the strength of the strongest path from x
/// to y (computed by the Floyd–Warshall widest-path recurrence). x is placed above y when
/// p[x,y] &gt; p[y,x]; Schulze proved this relation transitive.</para>
/// <para>The full ranking is built in tiers: the first tier is every candidate no other candidate is
/// placed above, the next tier the same among those left, and so on. Candidates in one tier are
/// tied by the method; the lot orders them in the ranking (and so decides the winner when the first
/// tier has several), and the tiers are reported so the tie stays visible. With k seats the winners
/// are the first k of the ranking.</para>
/// </remarks>
public static class Schulze
{
    public static TallyResult Count(BallotBox box, int seats, Lot lot) =>
        Count(PairwiseMatrix.Count(box), box.Candidates, box.VoterCount, seats, lot);

    public static TallyResult Count(
        PairwiseMatrix d, IReadOnlyList<string> names, long ballots, int seats, Lot lot)
    {
        int m = d.CandidateCount;
        var p = StrongestPaths(d);

        var tiers = new List<List<int>>();
        var left = Enumerable.Range(0, m).ToList();
        while (left.Count > 0)
        {
            var tier = left.Where(x => !left.Any(y => p[y * m + x] > p[x * m + y])).ToList();
            tiers.Add(tier);
            left.RemoveAll(tier.Contains);
        }

        bool drawn = tiers.Any(t => t.Count > 1);
        var ranking = tiers.SelectMany(t => t.OrderBy(lot.PositionOf)).ToList();
        return new TallyResult
        {
            Method = TallyMethod.Schulze,
            Seats = seats,
            Ballots = ballots,
            Invalid = 0,
            Candidates = names,
            Winners = [.. ranking.Take(seats).Select(c => names[c])],
            Ranking = [.. ranking.Select(c => names[c])],
            Rounds =
            [
                new SchulzeRound(
                    d.ToRows(),
                    [.. Enumerable.Range(0, m).Select(x => (IReadOnlyList<long>)p.AsSpan(x * m, m).ToArray())],
                    [.. tiers.Select(t => (IReadOnlyList<string>)[.. t.Select(c => names[c])])]),
            ],
            Lot = new LotReport(lot.Seed, drawn),
        };
    }

    /// <summary>p[x * m + y]: the strength of the strongest path from x to y.</summary>
    private static long[] StrongestPaths(PairwiseMatrix d)
    {
        int m = d.CandidateCount;
        var p = new long[m * m];
        for (int x = 0; x < m; x++)
        {
            for (int y = 0; y < m; y++)
            {
                if (x != y && d[x, y] > d[y, x])
                {
                    p[x * m + y] = d[x, y];
                }
            }
        }
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                long ji = p[j * m + i];
                if (j == i || ji == 0)
                {
                    continue;
                }
                for (int k = 0; k < m; k++)
                {
                    if (k != i && k != j)
                    {
                        long through = Math.Min(ji, p[i * m + k]);
                        if (through > p[j * m + k])
                        {
                            p[j * m + k] = through;
                        }
                    }
                }
            }
        }
        return p;
    }
}
