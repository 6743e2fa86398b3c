using System.Runtime.CompilerServices;
using System.Collections.Immutable;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Shura.Core.Ballots;

/// <summary>
/// Collects ranked ballots and merges identical ones into a single group, so memory grows with
/// the number of distinct ballots, not with the number of voters.
/// </summary>
/// <remarks>
/// Ballots are stored in a canonical form: inside a tie group the candidates are sorted by
/// index, so "{1,6}" and "{6,1}" are the same ballot. Callers (the file readers) report bad
/// input with its position; this class only guards its own invariants.
/// </remarks>
public sealed class BallotBoxBuilder
{
    private readonly ImmutableArray<string> _candidates;
    private readonly List<int> _counts = [];
    private readonly List<int> _starts = [0];
    private readonly List<int> _hashes = [];
    private ushort[] _entries = new ushort[256];
    // Ranks are stored only once some ballot has a tie; until then a rank is its position.
    private ushort[]? _levels;
    private ushort[] _scratch = new ushort[256];
    private int _length;
    private int[] _slots = new int[1024]; // group index + 1; 0 is empty
    private readonly bool[] _seen;

    public BallotBoxBuilder(ImmutableArray<string> candidates)
    {
        if (candidates.Length > BallotBox.MaxCandidates)
        {
            throw new ArgumentOutOfRangeException(
                nameof(candidates), $"At most {BallotBox.MaxCandidates} candidates are supported.");
        }
        _candidates = candidates;
        _seen = new bool[candidates.Length];
    }

    public int CandidateCount => _candidates.Length;

    public int GroupCount => _counts.Count;

    /// <summary>Adds <paramref name="count"/> voters who each cast a strict ranking (no ties).</summary>
    public void Add(ReadOnlySpan<ushort> ranking, int count) => Add(ranking, ranks: default, count);

    /// <summary>
    /// Adds <paramref name="count"/> voters who each cast the ballot given by
    /// <paramref name="ranking"/> (candidate indices, best first) and <paramref name="ranks"/>
    /// (rank of each entry: starts at 0, stays equal inside a tie group, else grows by one).
    /// An empty <paramref name="ranks"/> means a strict ranking.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(ReadOnlySpan<ushort> ranking, ReadOnlySpan<ushort> ranks, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        bool strict = ranks.IsEmpty;
        if (!strict && ranks.Length != ranking.Length)
        {
            throw new ArgumentException("One rank per entry is needed.", nameof(ranks));
        }

        EnsureCapacity(_length + ranking.Length);
        var entries = _entries.AsSpan(_length, ranking.Length);
        if (_scratch.Length < ranking.Length)
        {
            _scratch = new ushort[ranking.Length];
        }
        var levels = _scratch.AsSpan(0, ranking.Length);
        ranking.CopyTo(entries);
        bool ties = false;
        for (int i = 0; i < ranking.Length; i++)
        {
            ushort candidate = ranking[i];
            if (candidate >= _candidates.Length)
            {
                ClearSeen(ranking);
                throw new ArgumentOutOfRangeException(
                    nameof(ranking), $"Candidate index {candidate} is not below {_candidates.Length}.");
            }
            if (_seen[candidate])
            {
                ClearSeen(ranking);
                throw new ArgumentException($"Candidate index {candidate} appears twice.", nameof(ranking));
            }
            _seen[candidate] = true;
            ushort level = strict ? (ushort)i : ranks[i];
            if (i == 0 ? level != 0 : level != levels[i - 1] && level != levels[i - 1] + 1)
            {
                ClearSeen(ranking);
                throw new ArgumentException("Ranks must start at 0 and rise by at most one.", nameof(ranks));
            }
            ties |= i > 0 && level == levels[i - 1];
            levels[i] = level;
        }
        ClearSeen(ranking);
        if (ties)
        {
            SortInsideTieGroups(entries, levels);
            StoreRanks();
        }
        if (_levels is not null)
        {
            levels.CopyTo(_levels.AsSpan(_length));
        }

        int hash = Hash(entries, levels);
        int mask = _slots.Length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            int found = _slots[slot] - 1;
            if (found < 0)
            {
                _slots[slot] = _counts.Count + 1;
                _counts.Add(count);
                _hashes.Add(hash);
                _length += ranking.Length;
                _starts.Add(_length);
                if (_counts.Count * 2 > _slots.Length)
                {
                    Rehash();
                }
                return;
            }
            if (_hashes[found] == hash && SameBallot(found, entries, levels))
            {
                _counts[found] = checked(_counts[found] + count);
                return;
            }
        }
    }

    public BallotBox Build()
    {
        var entries = _entries.AsSpan(0, _length).ToArray();
        var levels = _levels?.AsSpan(0, _length).ToArray();
        return new BallotBox(_candidates, [.. _counts], [.. _starts], entries, levels);
    }

    /// <summary>Starts storing ranks: the ballots so far are strict, so each rank is the position.</summary>
    private void StoreRanks()
    {
        if (_levels is not null)
        {
            return;
        }
        _levels = new ushort[_entries.Length];
        for (int g = 0; g < _counts.Count; g++)
        {
            for (int i = _starts[g]; i < _starts[g + 1]; i++)
            {
                _levels[i] = (ushort)(i - _starts[g]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ClearSeen(ReadOnlySpan<ushort> ranking)
    {
        foreach (ushort candidate in ranking)
        {
            if (candidate < _seen.Length)
            {
                _seen[candidate] = false;
            }
        }
    }

    private static void SortInsideTieGroups(Span<ushort> entries, ReadOnlySpan<ushort> levels)
    {
        int start = 0;
        while (start < entries.Length)
        {
            int end = start + 1;
            while (end < entries.Length && levels[end] == levels[start])
            {
                end++;
            }
            if (end - start > 1)
            {
                entries[start..end].Sort();
            }
            start = end;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool SameBallot(int group, ReadOnlySpan<ushort> entries, ReadOnlySpan<ushort> levels)
    {
        int start = _starts[group];
        int length = _starts[group + 1] - start;
        if (length != entries.Length || !_entries.AsSpan(start, length).SequenceEqual(entries))
        {
            return false;
        }
        if (_levels is not null)
        {
            return _levels.AsSpan(start, length).SequenceEqual(levels);
        }
        for (int i = 0; i < levels.Length; i++)
        {
            if (levels[i] != i)
            {
                return false;
            }
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Hash(ReadOnlySpan<ushort> entries, ReadOnlySpan<ushort> levels)
    {
        // A multiplicative hash over the 16-bit values; tie information is folded in so that
        // "a, b" and "{a, b}" land in different buckets.
        ulong h = 0x9E3779B97F4A7C15UL ^ (ulong)entries.Length;
        for (int i = 0; i < entries.Length; i++)
        {
            h = (h ^ ((ulong)entries[i] << 16 | levels[i])) * 0x100000001B3UL;
            h = BitOperations.RotateLeft(h, 23);
        }
        return (int)(h ^ (h >> 32));
    }

    private void Rehash()
    {
        var slots = new int[_slots.Length * 2];
        int mask = slots.Length - 1;
        var hashes = CollectionsMarshal.AsSpan(_hashes);
        for (int group = 0; group < hashes.Length; group++)
        {
            int slot = hashes[group] & mask;
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }
            slots[slot] = group + 1;
        }
        _slots = slots;
    }

    private void EnsureCapacity(int length)
    {
        if (length > _entries.Length)
        {
            int size = Math.Max(length, _entries.Length * 2);
            Array.Resize(ref _entries, size);
            if (_levels is not null)
            {
                Array.Resize(ref _levels, size);
            }
        }
    }
}
