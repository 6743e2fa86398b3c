using System.Security.Cryptography;
using System.Text;

namespace Shura.Core.Counting;

/// <summary>
/// The lot that settles a tie nothing else can settle (DESIGN §5). It is a permutation of the
/// candidates drawn from a seed published before voting closes, so anyone can redo it.
/// </summary>
/// <remarks>
/// The permutation orders candidates by SHA-256 of the UTF-8 text <c>"{seed}/{n}"</c>, where
/// <c>n</c> is the candidate's 1-based position in the ballot file, smallest digest first
/// (bytes compared in order). Anyone can check it with
/// <c>printf '%s' 'SEED/3' | sha256sum</c>. The first candidate in lot order is the one the lot
/// favours: it is elected, ranked or served first; when the lot must pick someone to exclude,
/// it picks the one that comes last. Positions rather than names are hashed, so renaming the
/// candidates never changes how a lot falls.
/// </remarks>
public sealed class Lot
{
    private readonly int[] _positions;

    public Lot(string seed, int candidateCount)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentOutOfRangeException.ThrowIfNegative(candidateCount);
        Seed = seed;
        var digests = new byte[candidateCount][];
        for (int i = 0; i < candidateCount; i++)
        {
            digests[i] = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}/{i + 1}"));
        }
        var order = Enumerable.Range(0, candidateCount).ToArray();
        Array.Sort(order, (a, b) =>
        {
            int byDigest = digests[a].AsSpan().SequenceCompareTo(digests[b]);
            return byDigest != 0 ? byDigest : a.CompareTo(b);
        });
        Order = order;
        _positions = new int[candidateCount];
        for (int position = 0; position < order.Length; position++)
        {
            _positions[order[position]] = position;
        }
    }

    public string Seed { get; }

    /// <summary>Candidate indices in lot order, the favoured one first.</summary>
    public IReadOnlyList<int> Order { get; }

    /// <summary>0 for the candidate the lot favours most.</summary>
    public int PositionOf(int candidate) => _positions[candidate];

    /// <summary>The candidate the lot favours among <paramref name="tied"/>.</summary>
    public int Favoured(IEnumerable<int> tied) => tied.MinBy(PositionOf);

    /// <summary>The candidate the lot disfavours among <paramref name="tied"/>.</summary>
    public int Disfavoured(IEnumerable<int> tied) => tied.MaxBy(PositionOf);
}
