using CsCheck;
using Shura.Core.Counting;

namespace Shura.Core.Tests.Counting;

/// <summary>
/// Ranked pairs asks, for each majority in turn, whether locking it would close a cycle. The count
/// keeps the locked paths whole instead of searching them each time; these tests hold it to the
/// plain search, on matrices full of cycles.
/// </summary>
public class RankedPairsLockingTests
{
    [Fact]
    public void The_locked_majorities_are_those_a_plain_search_for_cycles_locks()
    {
        var matrices = Gen.Int[2, 24].SelectMany(m => Gen.Long[0, 9].Array[m * m].Select(cells => (m, cells)));

        matrices.Sample(pair =>
        {
            var (m, cells) = pair;
            var wins = new long[m, m];
            for (int x = 0; x < m; x++)
            {
                for (int y = 0; y < m; y++)
                {
                    wins[x, y] = x == y ? 0 : cells[x * m + y];
                }
            }
            var names = Enumerable.Range(0, m).Select(i => $"C{i}").ToArray();
            var result = RankedPairs.Count(PairwiseMatrix.FromCounts(wins), names, 10, 1, new Lot("seed", m));
            var pairs = ((RankedPairsRound)result.Rounds[0]).Pairs;

            var locked = new bool[m, m];
            foreach (var majority in pairs)
            {
                int winner = Array.IndexOf(names, majority.Winner), loser = Array.IndexOf(names, majority.Loser);
                bool closes = Reaches(locked, loser, winner);
                Assert.Equal(!closes, majority.Locked);
                if (!closes)
                {
                    locked[winner, loser] = true;
                }
            }
        }, iter: 2000);
    }

    private static bool Reaches(bool[,] locked, int from, int to)
    {
        int m = locked.GetLength(0);
        var seen = new bool[m];
        var stack = new Stack<int>([from]);
        seen[from] = true;
        while (stack.TryPop(out int x))
        {
            if (x == to)
            {
                return true;
            }
            for (int y = 0; y < m; y++)
            {
                if (locked[x, y] && !seen[y])
                {
                    seen[y] = true;
                    stack.Push(y);
                }
            }
        }
        return false;
    }
}
