using System.Collections.Immutable;

namespace Shura.Core.Ballots;

/// <summary>
/// Ranked ballots, kept grouped: each distinct ballot is stored once with the number of
/// voters who cast exactly it, so a million identical ballots cost one row.
/// </summary>
/// <remarks>
/// A ballot is an ordered list of ranks, best first. A rank holds one candidate, or several
/// that the voter placed equal (a tie group; in US ranked-choice files this is an overvote).
/// Candidates missing from a ballot are unranked. A ballot may be empty (a blank ballot).
/// Internally the groups are flattened into parallel arrays, which is what lets the pairwise
/// count run at memory speed over millions of ballots.
/// </remarks>
public sealed class BallotBox
{
    private readonly int[] _counts;
    private readonly int[] _starts;
    private readonly ushort[] _entries;
    private readonly ushort[]? _levels;

    internal BallotBox(
        ImmutableArray<string> candidates, int[] counts, int[] starts, ushort[] entries, ushort[]? levels)
    {
        Candidates = candidates;
        _counts = counts;
        _starts = starts;
        _entries = entries;
        _levels = levels;
        long voters = 0;
        foreach (int count in counts)
        {
            voters += count;
        }
        VoterCount = voters;
    }

    /// <summary>The most candidates a box can hold (indices are stored in 16 bits).</summary>
    public const int MaxCandidates = ushort.MaxValue;

    /// <summary>Candidate names, in the order the source gave them. Ballots refer to them by index.</summary>
    public ImmutableArray<string> Candidates { get; }

    public int CandidateCount => Candidates.Length;

    /// <summary>Number of distinct ballots.</summary>
    public int GroupCount => _counts.Length;

    /// <summary>Number of voters: the sum of all group counts.</summary>
    public long VoterCount { get; }

    /// <summary>True when some ballot places two candidates at the same rank.</summary>
    public bool HasTies => _levels is not null;

    /// <summary>How many voters cast ballot <paramref name="group"/>.</summary>
    public int Count(int group) => _counts[group];

    /// <summary>The candidates of ballot <paramref name="group"/>, best first.</summary>
    public ReadOnlySpan<ushort> Ranking(int group) =>
        _entries.AsSpan(_starts[group], _starts[group + 1] - _starts[group]);

    /// <summary>
    /// The rank of each entry of <see cref="Ranking"/>: 0 for the first rank, and equal numbers
    /// for candidates the voter placed equal. Without ties, the rank is the position.
    /// </summary>
    public ReadOnlySpan<ushort> Ranks(int group) =>
        _levels is null
            ? Positions.AsSpan(0, _starts[group + 1] - _starts[group])
            : _levels.AsSpan(_starts[group], _starts[group + 1] - _starts[group]);

    /// <summary>The whole flattened store, for counting loops that walk every ballot once.</summary>
    internal ReadOnlySpan<int> Counts => _counts;
    internal ReadOnlySpan<int> Starts => _starts;
    internal ReadOnlySpan<ushort> Entries => _entries;
    internal ReadOnlySpan<ushort> Levels => _levels;

    /// <summary>The length of the longest ballot.</summary>
    public int LongestBallot
    {
        get
        {
            int longest = 0;
            for (int g = 0; g < _counts.Length; g++)
            {
                longest = Math.Max(longest, _starts[g + 1] - _starts[g]);
            }
            return longest;
        }
    }

    /// <summary>A copy of this box with candidates renamed; ballots are unchanged.</summary>
    public BallotBox WithCandidates(ImmutableArray<string> names)
    {
        if (names.Length != Candidates.Length)
        {
            throw new ArgumentException(
                $"Expected {Candidates.Length} names, got {names.Length}.", nameof(names));
        }
        return new BallotBox(names, _counts, _starts, _entries, _levels);
    }

    /// <summary>0, 1, 2, …: the ranks of a ballot without ties.</summary>
    internal static readonly ushort[] Positions = CreatePositions();

    private static ushort[] CreatePositions()
    {
        var positions = new ushort[MaxCandidates];
        for (int i = 0; i < positions.Length; i++)
        {
            positions[i] = (ushort)i;
        }
        return positions;
    }
}
