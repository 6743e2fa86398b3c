using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Shura.Core.Counting;

/// <summary>
/// How many voters rank each candidate above each other one: the input of every pairwise
/// (Condorcet) method.
/// </summary>
/// <remarks>
/// A ranked candidate is above every candidate the ballot leaves unranked; unranked candidates
/// are equal to each other, and so are candidates the voter placed at the same rank. Neither of two
/// equal candidates gains anything from that ballot.
/// </remarks>
public sealed class PairwiseMatrix
{
    private readonly long[] _wins;

    private PairwiseMatrix(int candidates, long[] wins)
    {
        CandidateCount = candidates;
        _wins = wins;
    }

    public int CandidateCount { get; }

    /// <summary>Number of voters who rank <paramref name="winner"/> above <paramref name="loser"/>.</summary>
    public long this[int winner, int loser] => _wins[winner * CandidateCount + loser];

    public IReadOnlyList<IReadOnlyList<long>> ToRows() =>
        [.. Enumerable.Range(0, CandidateCount)
            .Select(x => (IReadOnlyList<long>)_wins.AsSpan(x * CandidateCount, CandidateCount).ToArray())];

    /// <summary>Counts the matrix from grouped ballots, each distinct ballot once, weighted by its count.</summary>
    /// <remarks>
    /// For up to 126 candidates on a machine with 256-bit vectors, a ballot is turned into a vector
    /// holding each candidate's rank (unranked = 127), and the row of each candidate the ballot
    /// ranks gains 1 in every column whose rank is worse: one vector comparison per ranked candidate
    /// instead of one comparison per pair. Ballots cast by one voter add into 8-bit counters that
    /// are widened every 255 ballots; groups cast by several voters add their count directly.
    /// Large boxes are split over the processor's cores. Other machines use a plain loop over the
    /// pairs each ballot orders.
    /// </remarks>
    public static PairwiseMatrix Count(BallotBox box)
    {
        int m = box.CandidateCount;
        bool vectors = m <= MaxVectorCandidates && Vector256.IsHardwareAccelerated;
        int parts = box.GroupCount >= 65_536 ? Math.Min(Environment.ProcessorCount, 8) : 1;
        var partial = new long[parts][];
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            int from = (int)((long)box.GroupCount * part / parts);
            int to = (int)((long)box.GroupCount * (part + 1) / parts);
            partial[part] = vectors ? CountWithVectors(box, from, to) : CountPairs(box, from, to);
        });

        var wins = new long[m * m];
        int stride = vectors ? Stride(m) : m;
        foreach (var sums in partial)
        {
            for (int x = 0; x < m; x++)
            {
                for (int y = 0; y < m; y++)
                {
                    wins[x * m + y] += sums[x * stride + y];
                }
            }
        }
        for (int x = 0; x < m; x++)
        {
            wins[x * m + x] = 0;
        }
        return new PairwiseMatrix(m, wins);
    }

    /// <summary>Builds a matrix from given counts (row beats column), for tests and recounts.</summary>
    public static PairwiseMatrix FromCounts(long[,] wins)
    {
        int m = wins.GetLength(0);
        var flat = new long[m * m];
        for (int x = 0; x < m; x++)
        {
            for (int y = 0; y < m; y++)
            {
                flat[x * m + y] = x == y ? 0 : wins[x, y];
            }
        }
        return new PairwiseMatrix(m, flat);
    }

    private const int MaxVectorCandidates = 126;
    private const sbyte Unranked = sbyte.MaxValue;

    private static int Stride(int m) => (m + 31) / 32 * 32;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long[] CountWithVectors(BallotBox box, int from, int to)
    {
        int m = box.CandidateCount;
        int stride = Stride(m);
        int width = stride / 32;
        var sums = new long[m * stride];
        var counters = new Vector256<sbyte>[m * width];
        var rankOf = new sbyte[stride];
        Array.Fill(rankOf, Unranked);
        var levels = new Vector256<sbyte>[MaxVectorCandidates];
        for (int level = 0; level < levels.Length; level++)
        {
            levels[level] = Vector256.Create((sbyte)level);
        }

        var counts = box.Counts;
        var starts = box.Starts;
        var entries = box.Entries;
        bool strict = !box.HasTies;
        var allLevels = box.Levels;
        // This loop runs once per distinct ballot, millions of times: it reads through refs
        // rather than spans to drop bounds checks. Every index is in range by construction:
        // candidates < m (checked when the box was built), ranks < m <= 126, w < width.
        ref var counter0 = ref MemoryMarshal.GetArrayDataReference(counters);
        ref var level0 = ref MemoryMarshal.GetArrayDataReference(levels);
        ref sbyte rank0 = ref MemoryMarshal.GetArrayDataReference(rankOf);
        int pending = 0;
        for (int g = from; g < to; g++)
        {
            int start = starts[g];
            var ranking = entries[start..starts[g + 1]];
            var ranks = strict ? default : allLevels[start..starts[g + 1]];
            for (int k = 0; k < ranking.Length; k++)
            {
                Unsafe.Add(ref rank0, ranking[k]) = (sbyte)(strict ? k : ranks[k]);
            }

            int n = counts[g];
            if (n == 1 && width == 1)
            {
                // One rank vector holds the whole ballot; it stays in a register.
                var rankVector = Vector256.LoadUnsafe(ref rank0);
                for (int k = 0; k < ranking.Length; k++)
                {
                    var level = Unsafe.Add(ref level0, strict ? k : ranks[k]);
                    // All bits set (-1) where the column's rank is worse: subtracting adds one.
                    Unsafe.Add(ref counter0, ranking[k]) -= Vector256.GreaterThan(rankVector, level);
                }
            }
            else if (n == 1)
            {
                for (int k = 0; k < ranking.Length; k++)
                {
                    var level = Unsafe.Add(ref level0, strict ? k : ranks[k]);
                    ref var row = ref Unsafe.Add(ref counter0, ranking[k] * width);
                    for (int w = 0; w < width; w++)
                    {
                        var rankVector = Vector256.LoadUnsafe(ref rank0, (nuint)(w * 32));
                        Unsafe.Add(ref row, w) -= Vector256.GreaterThan(rankVector, level);
                    }
                }
            }
            else
            {
                for (int k = 0; k < ranking.Length; k++)
                {
                    var level = Unsafe.Add(ref level0, strict ? k : ranks[k]);
                    int row = ranking[k] * stride;
                    for (int w = 0; w < width; w++)
                    {
                        var rankVector = Vector256.LoadUnsafe(ref rank0, (nuint)(w * 32));
                        uint bits = Vector256.GreaterThan(rankVector, level).ExtractMostSignificantBits();
                        while (bits != 0)
                        {
                            sums[row + w * 32 + BitOperations.TrailingZeroCount(bits)] += n;
                            bits &= bits - 1;
                        }
                    }
                }
            }
            if (n == 1 && ++pending == byte.MaxValue)
            {
                Widen(counters, sums, m, width);
                pending = 0;
            }

            foreach (ushort c in ranking)
            {
                Unsafe.Add(ref rank0, c) = Unranked;
            }
        }
        Widen(counters, sums, m, width);
        return sums;
    }

    /// <summary>Adds the 8-bit counters (read as unsigned) into the sums and clears them.</summary>
    private static void Widen(Vector256<sbyte>[] counters, long[] sums, int m, int width)
    {
        for (int x = 0; x < m; x++)
        {
            for (int w = 0; w < width; w++)
            {
                var counter = counters[x * width + w].AsByte();
                if (counter == Vector256<byte>.Zero)
                {
                    continue;
                }
                var row = sums.AsSpan(x * width * 32 + w * 32, 32);
                for (int i = 0; i < 32; i++)
                {
                    row[i] += counter.GetElement(i);
                }
                counters[x * width + w] = Vector256<sbyte>.Zero;
            }
        }
    }

    /// <summary>The plain loop: for each ranked candidate, every candidate ranked worse or not at all.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long[] CountPairs(BallotBox box, int from, int to)
    {
        int m = box.CandidateCount;
        var sums = new long[m * m];
        var rankOf = new int[m];
        Array.Fill(rankOf, int.MaxValue);
        for (int g = from; g < to; g++)
        {
            var ranking = box.Ranking(g);
            var ranks = box.Ranks(g);
            for (int k = 0; k < ranking.Length; k++)
            {
                rankOf[ranking[k]] = ranks[k];
            }
            int n = box.Count(g);
            for (int k = 0; k < ranking.Length; k++)
            {
                var row = sums.AsSpan(ranking[k] * m, m);
                int level = ranks[k];
                for (int y = 0; y < m; y++)
                {
                    if (rankOf[y] > level)
                    {
                        row[y] += n;
                    }
                }
            }
            foreach (ushort c in ranking)
            {
                rankOf[c] = int.MaxValue;
            }
        }
        return sums;
    }
}
