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

    /// <summary>
    /// A builder with room for about <paramref name="groups"/> distinct ballots holding
    /// <paramref name="entries"/> entries in all, so a reader that knows how many to expect
    /// grows nothing while it reads. Only a hint: the builder still grows past it.
    /// </summary>
    public BallotBoxBuilder(ImmutableArray<string> candidates, int groups, int entries)
        : this(candidates)
    {
        groups = Math.Clamp(groups, 0, 1 << 27);
        _counts.Capacity = groups;
        _hashes.Capacity = groups;
        _starts.Capacity = groups + 1;
        // Not cleared: the kernel hands out zeroed pages, and only what Add writes is ever read.
        _entries = GC.AllocateUninitializedArray<ushort>(Math.Clamp(entries, 256, Array.MaxLength));
        _slots = new int[Math.Max(1024, (int)BitOperations.RoundUpToPowerOf2((uint)groups * 2 + 1))];
        // Written once now: a fresh page first read is the system's shared zero page, and the first
        // write to it then costs a copy and a flush of every core's address cache, which took a
        // tenth of a million-ballot read.
        _slots.AsSpan().Clear();
    }

    /// <summary>
    /// The box of ballots added to <paramref name="parts"/> one after the other: each distinct
    /// ballot once, in order of first appearance, with its voters from every part. How the parts of
    /// a file read on several cores become one box. Finding which ballots of a part an earlier part
    /// holds is most of the work; it runs on every core, as the earlier parts only are read.
    /// The parts are used up: the first one's arrays become the box's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static BallotBox Join(IReadOnlyList<BallotBoxBuilder> parts)
    {
        if (parts.Count == 1)
        {
            return parts[0].Build();
        }
        var first = parts[0];
        if (parts.Any(part => part._candidates.Length != first._candidates.Length))
        {
            throw new ArgumentException("Every part must count the same candidates.", nameof(parts));
        }

        // 1. For each ballot of a later part, the earlier part and group that first hold it, if any.
        var seenIn = new long[parts.Count][];
        var work = new List<(int Part, int From, int To)>();
        for (int k = 1; k < parts.Count; k++)
        {
            seenIn[k] = new long[parts[k].GroupCount];
            for (int from = 0; from < parts[k].GroupCount; from += 65_536)
            {
                work.Add((k, from, Math.Min(from + 65_536, parts[k].GroupCount)));
            }
        }
        Parallel.ForEach(work, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            range => FindInEarlierParts(parts, range.Part, range.From, range.To, seenIn[range.Part]));

        // 2. The first part takes in the ballots it does not hold, in file order, and the voters of
        //    those it does; its arrays become the box's, with no copy.
        var place = new int[parts.Count][];
        for (int k = 1; k < parts.Count; k++)
        {
            var part = parts[k];
            place[k] = new int[part.GroupCount];
            for (int g = 0; g < part.GroupCount; g++)
            {
                long where = seenIn[k][g];
                int to = where < 0 ? first.Append(part.EntriesOf(g), part.LevelsOf(g))
                    : where >> 32 == 0 ? (int)where
                    : place[(int)(where >> 32)][(int)where];
                place[k][g] = to;
                first._counts[to] = checked(first._counts[to] + part._counts[g]);
            }
        }
        return new BallotBox(first._candidates, [.. first._counts], [.. first._starts], first._entries, first._levels);
    }

    /// <summary>Stores a new group with no voters yet, without hashing it: no more lookups follow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Append(ReadOnlySpan<ushort> entries, ReadOnlySpan<ushort> levels)
    {
        if (_levels is null && !levels.SequenceEqual(BallotBox.Positions.AsSpan(0, levels.Length)))
        {
            StoreRanks();
        }
        EnsureCapacity(_length + entries.Length);
        entries.CopyTo(_entries.AsSpan(_length));
        if (_levels is not null)
        {
            levels.CopyTo(_levels.AsSpan(_length));
        }
        _length += entries.Length;
        _starts.Add(_length);
        _counts.Add(0);
        return _counts.Count - 1;
    }

    /// <summary>For groups <paramref name="from"/> to <paramref name="to"/> of part <paramref name="k"/>: the earlier part and group holding each (part in the high half), or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FindInEarlierParts(IReadOnlyList<BallotBoxBuilder> parts, int k, int from, int to, long[] seenIn)
    {
        var part = parts[k];
        for (int g = from; g < to; g++)
        {
            var entries = part.EntriesOf(g);
            var levels = part.LevelsOf(g);
            long where = -1;
            for (int j = 0; j < k && where < 0; j++)
            {
                int found = parts[j].Find(entries, levels, part._hashes[g]);
                where = found < 0 ? -1 : (long)j << 32 | (uint)found;
            }
            seenIn[g] = where;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<ushort> EntriesOf(int group) => _entries.AsSpan(_starts[group], _starts[group + 1] - _starts[group]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<ushort> LevelsOf(int group) =>
        _levels is null
            ? BallotBox.Positions.AsSpan(0, _starts[group + 1] - _starts[group])
            : _levels.AsSpan(_starts[group], _starts[group + 1] - _starts[group]);

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
        Insert(entries, levels, Hash(entries, ties ? levels : default), count);
    }

    /// <summary>
    /// Adds <paramref name="count"/> voters who each cast the strict ranking
    /// <paramref name="ranking"/>, which the caller has already checked: every index below the
    /// number of candidates, none twice. What a file reader that checks each number as it reads
    /// calls, so the check is not made twice.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void AddCheckedStrict(ReadOnlySpan<ushort> ranking, int count)
    {
        Insert(ranking, BallotBox.Positions.AsSpan(0, ranking.Length), Hash(ranking, default), count);
    }

    /// <summary>
    /// Counts a checked, canonical ballot: <paramref name="count"/> more voters for its group, or
    /// a new group. <paramref name="entries"/> may already sit where a new group would be stored.
    /// </summary>
    /// <summary>The group holding a checked, canonical ballot, or -1; reads only, so several threads may ask at once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Find(ReadOnlySpan<ushort> entries, ReadOnlySpan<ushort> levels, int hash)
    {
        int mask = _slots.Length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            int found = _slots[slot] - 1;
            if (found < 0 || (_hashes[found] == hash && SameBallot(found, entries, levels)))
            {
                return found;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Insert(ReadOnlySpan<ushort> entries, ReadOnlySpan<ushort> levels, int hash, int count)
    {
        int mask = _slots.Length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            int found = _slots[slot] - 1;
            if (found < 0)
            {
                EnsureCapacity(_length + entries.Length);
                entries.CopyTo(_entries.AsSpan(_length));
                if (_levels is not null)
                {
                    levels.CopyTo(_levels.AsSpan(_length));
                }
                _slots[slot] = _counts.Count + 1;
                _counts.Add(count);
                _hashes.Add(hash);
                _length += entries.Length;
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

    /// <summary>
    /// A multiplicative hash over the entries, four at a time; the ranks are folded in only for a
    /// ballot with ties (<paramref name="tieLevels"/> not empty), so "a, b" and "{a, b}" land in
    /// different buckets while a strict ballot's ranks, its positions, cost nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Hash(ReadOnlySpan<ushort> entries, ReadOnlySpan<ushort> tieLevels)
    {
        ulong h = Fold(0x9E3779B97F4A7C15UL ^ (ulong)entries.Length, entries);
        if (!tieLevels.IsEmpty)
        {
            h = Fold(h ^ 0xA0761D6478BD642FUL, tieLevels);
        }
        return (int)(h ^ (h >> 32));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Fold(ulong h, ReadOnlySpan<ushort> values)
    {
        var quads = MemoryMarshal.Cast<ushort, ulong>(values);
        foreach (ulong quad in quads)
        {
            h = BitOperations.RotateLeft((h ^ quad) * 0x100000001B3UL, 29);
        }
        for (int i = quads.Length * 4; i < values.Length; i++)
        {
            h = BitOperations.RotateLeft((h ^ values[i]) * 0x100000001B3UL, 29);
        }
        return h * 0xBF58476D1CE4E5B9UL;
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
