using BenchmarkDotNet.Attributes;
using Shura.Core.Ballots;
using Shura.Core.Counting;

namespace Shura.Benchmarks;

/// <summary>
/// Schulze and ranked pairs on 1,000,000 random full rankings, against the naive loop that only
/// counts the pairwise matrix: for each ballot, for every ordered pair of candidates, compare
/// their positions. Reading the ballots into a grouped <see cref="BallotBox"/> is part of parsing
/// and is measured on its own (<see cref="Group_1M_rankings_into_a_ballot_box"/>).
/// </summary>
[MemoryDiagnoser]
public class PairwiseBenchmarks
{
    private const int Voters = 1_000_000;

    [Params(5, 20)]
    public int Candidates;

    private int[] _rankings = [];
    private BallotBox _box = null!;
    private Lot _lot = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2026);
        _rankings = new int[Voters * Candidates];
        var order = new int[Candidates];
        for (int v = 0; v < Voters; v++)
        {
            for (int i = 0; i < Candidates; i++)
            {
                order[i] = i;
            }
            random.Shuffle(order);
            order.CopyTo(_rankings, v * Candidates);
        }
        _box = Group_1M_rankings_into_a_ballot_box();
        _lot = new Lot("benchmark", Candidates);
    }

    [Benchmark(Baseline = true, Description = "naive pairwise loop (matrix only, single thread)")]
    public long[] Naive_pairwise_loop()
    {
        int m = Candidates;
        var wins = new long[m * m];
        var position = new int[m];
        for (int v = 0; v < Voters; v++)
        {
            var ballot = _rankings.AsSpan(v * m, m);
            for (int k = 0; k < m; k++)
            {
                position[ballot[k]] = k;
            }
            for (int x = 0; x < m; x++)
            {
                for (int y = 0; y < m; y++)
                {
                    if (x != y && position[x] < position[y])
                    {
                        wins[x * m + y]++;
                    }
                }
            }
        }
        return wins;
    }

    [Benchmark(Description = "schulze: matrix + strongest paths + ranking")]
    public TallyResult Schulze_full() => Schulze.Count(_box, 1, _lot);

    [Benchmark(Description = "ranked-pairs: matrix + locking + ranking")]
    public TallyResult RankedPairs_full() => RankedPairs.Count(_box, 1, _lot);

    [Benchmark(Description = "pairwise matrix only")]
    public PairwiseMatrix Pairwise_matrix() => PairwiseMatrix.Count(_box);

    [Benchmark(Description = "parse step: group 1M rankings into a ballot box")]
    public BallotBox Group_1M_rankings_into_a_ballot_box()
    {
        int m = Candidates;
        var builder = new BallotBoxBuilder([.. Enumerable.Range(0, m).Select(i => $"candidate {i}")]);
        var ballot = new ushort[m];
        for (int v = 0; v < Voters; v++)
        {
            for (int k = 0; k < m; k++)
            {
                ballot[k] = (ushort)_rankings[v * m + k];
            }
            builder.Add(ballot, 1);
        }
        return builder.Build();
    }
}
