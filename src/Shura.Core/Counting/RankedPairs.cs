namespace Shura.Core.Counting;

/// <summary>
/// Ranked pairs (Tideman), with majorities measured in winning votes.
/// </summary>
/// <remarks>
/// <para>Every pair where more voters rank x above y than y above x is a majority for x over y. The
/// majorities are taken strongest first: more votes for the winner first; equal winning votes, fewer
/// votes against first; still equal, the lot's order decides (the pair whose winner comes first in
/// lot order, then the pair whose loser comes last). Each majority is locked unless it would close a
/// cycle with majorities locked before it.</para>
/// <para>The ranking follows the locked majorities: repeatedly, the candidate no remaining candidate
/// is locked over comes next. Where several could come next (candidates tied head to head, or not
/// ordered by any locked majority), the lot's order decides, and the count says the lot was drawn.
/// With k seats the winners are the first k of the ranking.</para>
/// </remarks>
public static class RankedPairs
{
    public static TallyResult Count(BallotBox box, int seats, Lot lot) =>
        Count(PairwiseMatrix.Count(box), box.Candidates, box.VoterCount, seats, lot);

    public static TallyResult Count(
        PairwiseMatrix d, IReadOnlyList<string> names, long ballots, int seats, Lot lot)
    {
        int m = d.CandidateCount;
        var majorities = new List<(int Winner, int Loser)>();
        for (int x = 0; x < m; x++)
        {
            for (int y = 0; y < m; y++)
            {
                if (d[x, y] > d[y, x])
                {
                    majorities.Add((x, y));
                }
            }
        }
        majorities.Sort((a, b) =>
        {
            int order = d[b.Winner, b.Loser].CompareTo(d[a.Winner, a.Loser]);
            if (order == 0)
            {
                order = d[a.Loser, a.Winner].CompareTo(d[b.Loser, b.Winner]);
            }
            if (order == 0)
            {
                order = lot.PositionOf(a.Winner).CompareTo(lot.PositionOf(b.Winner));
            }
            if (order == 0)
            {
                order = lot.PositionOf(b.Loser).CompareTo(lot.PositionOf(a.Loser));
            }
            return order;
        });
        bool drawn = false;
        for (int i = 1; i < majorities.Count; i++)
        {
            var (a, b) = (majorities[i - 1], majorities[i]);
            drawn |= d[a.Winner, a.Loser] == d[b.Winner, b.Loser] && d[a.Loser, a.Winner] == d[b.Loser, b.Winner];
        }

        var locked = new bool[m, m];
        var reach = new Reach(m);
        var pairs = new List<RankedPair>(majorities.Count);
        foreach (var (winner, loser) in majorities)
        {
            bool closesCycle = reach.Has(loser, winner);
            if (!closesCycle)
            {
                locked[winner, loser] = true;
                reach.Lock(winner, loser);
            }
            pairs.Add(new RankedPair(names[winner], names[loser], d[winner, loser], d[loser, winner], !closesCycle));
        }

        var ranking = new List<int>(m);
        var left = Enumerable.Range(0, m).ToList();
        while (left.Count > 0)
        {
            var sources = left.Where(x => !left.Any(y => locked[y, x])).ToList();
            drawn |= sources.Count > 1;
            int next = lot.Favoured(sources);
            ranking.Add(next);
            left.Remove(next);
        }

        return new TallyResult
        {
            Method = TallyMethod.RankedPairs,
            Seats = seats,
            Ballots = ballots,
            Invalid = 0,
            Candidates = names,
            Winners = [.. ranking.Take(seats).Select(c => names[c])],
            Ranking = [.. ranking.Select(c => names[c])],
            Rounds = [new RankedPairsRound(d.ToRows(), pairs)],
            Lot = new LotReport(lot.Seed, drawn),
        };
    }

    /// <summary>
    /// Which candidate a path of locked majorities leads to from which, kept whole as majorities are
    /// locked (a row of bits per candidate), so that asking whether a majority would close a cycle
    /// costs one look instead of a search: with 200 options there are 19,900 majorities to ask about.
    /// </summary>
    private sealed class Reach(int candidates)
    {
        private readonly int _words = (candidates + 63) / 64;
        private readonly ulong[] _bits = new ulong[candidates * ((candidates + 63) / 64)];

        public bool Has(int from, int to) => (_bits[from * _words + to / 64] & (1UL << (to % 64))) != 0;

        /// <summary>Locks winner over loser: whoever reaches the winner (and the winner) now reaches the loser and all the loser reaches.</summary>
        public void Lock(int winner, int loser)
        {
            for (int a = 0; a < candidates; a++)
            {
                if (a != winner && !Has(a, winner))
                {
                    continue;
                }
                int row = a * _words;
                _bits[row + loser / 64] |= 1UL << (loser % 64);
                for (int w = 0; w < _words; w++)
                {
                    _bits[row + w] |= _bits[loser * _words + w];
                }
            }
        }
    }
}
