using Shura.Core.Ballots;
using Shura.Core.Counting;
using Shura.Core.Tests.Support;

namespace Shura.Core.Tests.Counting;

public class PairwiseMatrixTests
{
    [Fact]
    public void Ranked_candidates_beat_unranked_ones_and_equal_candidates_gain_nothing()
    {
        var box = TestBallots.Of("A B C D", "2: A=B>C");

        var d = PairwiseMatrix.Count(box);

        Assert.Equal(0, d[0, 1]);
        Assert.Equal(0, d[1, 0]);
        Assert.Equal(2, d[0, 2]);
        Assert.Equal(2, d[2, 3]); // C ranked, D not
        Assert.Equal(0, d[3, 2]);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(33)]  // more than one 32-lane vector per row
    [InlineData(130)] // beyond the vector path: the plain loop
    public void The_fast_count_equals_a_direct_count_of_every_pair(int candidates)
    {
        var random = new Random(candidates);
        var builder = new BallotBoxBuilder([.. Enumerable.Range(0, candidates).Select(i => $"c{i}")]);
        var ballots = new List<(ushort[] Ranking, ushort[] Ranks, int Count)>();
        for (int b = 0; b < 2_000; b++)
        {
            var order = Enumerable.Range(0, candidates).Select(i => (ushort)i).OrderBy(_ => random.Next()).ToArray();
            int length = random.Next(0, candidates + 1);
            var ranking = order[..length];
            var ranks = new ushort[length];
            for (int i = 1; i < length; i++)
            {
                ranks[i] = (ushort)(ranks[i - 1] + (random.Next(4) == 0 ? 0 : 1));
            }
            int count = random.Next(3) == 0 ? random.Next(2, 1000) : 1;
            builder.Add(ranking, ranks, count);
            ballots.Add((ranking, ranks, count));
        }

        var d = PairwiseMatrix.Count(builder.Build());

        var expected = new long[candidates, candidates];
        foreach (var (ranking, ranks, count) in ballots)
        {
            var rank = Enumerable.Repeat(int.MaxValue, candidates).ToArray();
            for (int i = 0; i < ranking.Length; i++)
            {
                rank[ranking[i]] = ranks[i];
            }
            for (int x = 0; x < candidates; x++)
            {
                for (int y = 0; y < candidates; y++)
                {
                    if (rank[x] < rank[y])
                    {
                        expected[x, y] += count;
                    }
                }
            }
        }
        for (int x = 0; x < candidates; x++)
        {
            for (int y = 0; y < candidates; y++)
            {
                Assert.Equal(expected[x, y], d[x, y]);
            }
        }
    }
}
