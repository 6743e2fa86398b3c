using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Shura.Core.Ballots.Files;

/// <summary>
/// The quick reading of delegated ballot files of the shape that member registers export: every
/// member named by a number ("1047"), no quotes, no spaces around cells, no tied options, rankings
/// of at most eight options. Members are numbered by first appearance through an array indexed by
/// their number rather than a hash table, and the two files are read on two cores. Any other file,
/// and every file with a mistake, is left to the general reading (<see cref="DelegatedBallots.TryRead"/>
/// falls back to it), which reads every file and names every mistake; this one only has to be
/// right about the files it takes, and give exactly what the general one would.
/// </summary>
internal static class NumberedMembers
{
    /// <summary>
    /// The largest member number taken is below this many per byte of the files, plus
    /// <see cref="NumbersBeyond"/>: it sizes an array of four bytes a number, so sparse numbers (a
    /// small council with numbers in the millions) are left to the general reading.
    /// </summary>
    private const int NumbersPerByte = 1;

    private const int NumbersBeyond = 65_536;

    private const int MaxOptions = 64;
    private const int MaxRanking = 8;

    /// <summary>What the two passes give <see cref="DelegatedBallots"/>: as its general reading gives it.</summary>
    internal sealed record Reading(
        int MemberCount, Func<int, string> MemberName, List<(int Truster, int Trustee)> Trustees, List<int> Voters,
        ImmutableArray<string> Options, List<int> Starts, List<ushort> Entries, List<ushort> Ranks, List<int> RankingOf);

    /// <summary>The reading of both files, or null when they are not of the shape read here.</summary>
    /// <remarks>
    /// Two cores: one reads the delegations and the second half of the ballots, the other the first
    /// half; the halves are joined in file order, so members, options and rankings are numbered by
    /// first appearance in the files, as the general reading numbers them.
    /// </remarks>
    public static Reading? TryRead(ReadOnlyMemory<byte> delegations, ReadOnlyMemory<byte> ballots)
    {
        // A quote makes a cell no number, and a ranking cell with one is refused below: quoted
        // fields are the general reading's.
        long limit = (long)NumbersPerByte * (delegations.Length + ballots.Length) + NumbersBeyond;
        int cut = ballots.Length;
        if (ballots.Length >= 1 << 16)
        {
            int newline = ballots.Span[(ballots.Length / 2)..].IndexOf((byte)'\n');
            cut = newline < 0 ? ballots.Length : ballots.Length / 2 + newline + 1;
        }
        var otherCore = Task.Run(() => (ReadDelegations(delegations, limit), BallotsPart.Read(ballots[cut..], limit, atFileStart: false)));
        var first = BallotsPart.Read(ballots[..cut], limit, atFileStart: true);
        var (pairs, second) = otherCore.GetAwaiter().GetResult();
        if (pairs is null || first is null || second is null || !first.TakeIn(second))
        {
            return null;
        }
        var (count, name, trustees, voters) = Numbered(pairs.Value.Pairs, first.Voters, Math.Max(pairs.Value.Largest, first.Largest));
        return new Reading(count, name, trustees, voters, [.. first.Options], first.Starts, first.Entries, first.Ranks, first.RankingOf);
    }

    /// <summary>The records of a file: lines without their break, blank ones left out, after a byte order mark.</summary>
    private ref struct Records(ReadOnlySpan<byte> text, bool atFileStart = true)
    {
        private ReadOnlySpan<byte> _rest = atFileStart && text.StartsWith("\uFEFF"u8) ? text[3..] : text;
        private int _line = atFileStart ? 0 : 1; // a part after the start has no first line

        public ReadOnlySpan<byte> Current { get; private set; }

        /// <summary>Whether the current record is the file's first line, the only one that may be a header.</summary>
        public readonly bool OnFirstLine => _line == 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool MoveNext()
        {
            while (!_rest.IsEmpty)
            {
                _line++;
                int end = Find(_rest, (byte)'\n');
                var line = end < 0 ? _rest : _rest[..end];
                _rest = end < 0 ? default : _rest[(end + 1)..];
                if (!line.IsEmpty && line[^1] == (byte)'\r')
                {
                    line = line[..^1];
                }
                if (!line.IsEmpty)
                {
                    Current = line;
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>
    /// Where <paramref name="value"/> first is in <paramref name="text"/>, or -1, by a plain loop: the
    /// records and cells here are a few bytes long, and the library's vectorised search costs more
    /// to set up than it saves on them (and runs as precompiled code for the first hundred
    /// milliseconds, the whole of a count).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Find(ReadOnlySpan<byte> text, byte value)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == value)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>A member number as written by a register: "0", or digits without a leading zero; -1 for anything else.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Number(ReadOnlySpan<byte> cell, long limit)
    {
        if (cell.IsEmpty || cell.Length > 9 || (cell[0] == (byte)'0' && cell.Length > 1))
        {
            return -1;
        }
        long number = 0;
        foreach (byte b in cell)
        {
            uint digit = (uint)(b - '0');
            if (digit > 9)
            {
                return -1;
            }
            number = number * 10 + digit;
        }
        return number < limit ? number : -1;
    }

    /// <summary>The member numbers of each line "truster,trustee", as written; null when a line is not two different numbers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (List<long> Pairs, long Largest)? ReadDelegations(ReadOnlyMemory<byte> delegations, long limit)
    {
        var pairs = new List<long>();
        long largest = -1;
        var lines = new Records(delegations.Span);
        while (lines.MoveNext())
        {
            var record = lines.Current;
            int comma = Find(record, (byte)',');
            if (comma < 0)
            {
                return null;
            }
            if (lines.OnFirstLine && System.Text.Ascii.EqualsIgnoreCase(record[..comma], "truster"u8))
            {
                continue;
            }
            long truster = Number(record[..comma], limit);
            long trustee = Number(record[(comma + 1)..], limit);
            if (truster < 0 || trustee < 0 || truster == trustee)
            {
                return null;
            }
            pairs.Add(truster);
            pairs.Add(trustee);
            largest = Math.Max(largest, Math.Max(truster, trustee));
        }
        return (pairs, largest);
    }

    /// <summary>
    /// Numbers the members in order of first appearance (trusters and trustees, then voters), as the
    /// general reading does, through an array indexed by the numbers as written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int Count, Func<int, string> Name, List<(int, int)> Trustees, List<int> Voters) Numbered(
        List<long> pairs, List<long> voted, long largest)
    {
        var memberOf = new int[largest + 1]; // member number + 1; 0 for a number not seen yet
        memberOf.AsSpan().Clear(); // written once now, not first read from the system's zero page
        var numbers = new List<int>();
        var trustees = new List<(int, int)>(pairs.Count / 2);
        for (int i = 0; i < pairs.Count; i += 2)
        {
            trustees.Add((MemberOf(memberOf, numbers, pairs[i]), MemberOf(memberOf, numbers, pairs[i + 1])));
        }
        var voters = new List<int>(voted.Count);
        foreach (long voter in voted)
        {
            voters.Add(MemberOf(memberOf, numbers, voter));
        }
        return (numbers.Count, member => numbers[member].ToString(CultureInfo.InvariantCulture), trustees, voters);
    }

    /// <summary>The member number of a number as written, given the next one if it is new.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MemberOf(int[] memberOf, List<int> numbers, long number)
    {
        ref int member = ref memberOf[number];
        if (member == 0)
        {
            numbers.Add((int)number);
            member = numbers.Count;
        }
        return member - 1;
    }

    /// <summary>
    /// Whether a cell has nothing to trim: its first and last bytes are visible ASCII, or else the
    /// general trimming (which knows the spaces beyond ASCII) leaves it whole.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Untrimmed(ReadOnlySpan<byte> cell) =>
        (cell[0] is > (byte)' ' and < 0x80 && cell[^1] is > (byte)' ' and < 0x80) || Csv.Trim(cell).Length == cell.Length;

    /// <summary>
    /// Rankings as written (up to 15 bytes, packed with their length into two numbers) and the group
    /// each was read into: a line written as an earlier one is not read again.
    /// </summary>
    private sealed class WrittenRankings
    {
        private ulong[] _low = new ulong[1024];
        private ulong[] _high = new ulong[1024];
        private int[] _groups = new int[1024]; // group + 1; 0 is empty
        private int _count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int SlotOf(ulong low, ulong high)
        {
            int mask = _low.Length - 1;
            int slot = (int)(((low ^ BitOperations.RotateLeft(high, 31)) * 0x9E3779B97F4A7C15UL) >> 40) & mask;
            while (_groups[slot] != 0 && (_low[slot] != low || _high[slot] != high))
            {
                slot = (slot + 1) & mask;
            }
            return slot;
        }

        /// <summary>The group of a ranking written this way before, or -1.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int GroupOf(ulong low, ulong high) => _groups[SlotOf(low, high)] - 1;

        public void Add(ulong low, ulong high, int group)
        {
            int slot = SlotOf(low, high);
            (_low[slot], _high[slot], _groups[slot]) = (low, high, group + 1);
            if (++_count * 2 > _low.Length)
            {
                var (lows, highs, groups) = (_low, _high, _groups);
                (_low, _high, _groups, _count) = (new ulong[lows.Length * 2], new ulong[lows.Length * 2], new int[lows.Length * 2], 0);
                for (int i = 0; i < lows.Length; i++)
                {
                    if (groups[i] > 0)
                    {
                        Add(lows[i], highs[i], groups[i] - 1);
                    }
                }
            }
        }
    }

    /// <summary>Packed rankings and the group each was given: an open-addressing table, as the few thousand kept fit in a cache.</summary>
    private sealed class Rankings
    {
        private ulong[] _keys = new ulong[1024];
        private int[] _groups = new int[1024]; // group + 1; 0 is empty
        private int _count;

        /// <summary>The group of <paramref name="key"/>, or <paramref name="next"/> when it is new (and then kept).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int GroupOf(ulong key, int next)
        {
            int mask = _keys.Length - 1;
            for (int slot = (int)((key * 0x9E3779B97F4A7C15UL) >> 40) & mask; ; slot = (slot + 1) & mask)
            {
                int group = _groups[slot] - 1;
                if (group < 0)
                {
                    _keys[slot] = key;
                    _groups[slot] = next + 1;
                    if (++_count * 2 > _keys.Length)
                    {
                        Grow();
                    }
                    return next;
                }
                if (_keys[slot] == key)
                {
                    return group;
                }
            }
        }

        private void Grow()
        {
            var (keys, groups) = (_keys, _groups);
            _keys = new ulong[keys.Length * 2];
            _groups = new int[keys.Length * 2];
            _count = 0;
            for (int i = 0; i < keys.Length; i++)
            {
                if (groups[i] > 0)
                {
                    GroupOf(keys[i], groups[i] - 1);
                }
            }
        }
    }

    /// <summary>
    /// A run of ballot lines: each voter's number as written, and each distinct ranking kept once,
    /// with the options numbered by first appearance in the run.
    /// </summary>
    private sealed class BallotsPart
    {
        public readonly List<long> Voters = [];
        public long Largest = -1;
        public readonly List<string> Options = [];
        public readonly List<int> Starts = [0];
        public readonly List<ushort> Entries = [];
        public readonly List<ushort> Ranks = [];
        public readonly List<int> RankingOf = [];
        private readonly Rankings _distinct = new();
        private readonly List<ulong> _keys = []; // each group's packed ranking
        private readonly ulong[] _labels = new ulong[MaxOptions];
        private readonly int[] _widths = new int[MaxOptions];

        /// <summary>
        /// Reads the lines; null for a voter who is not a number, a tie, an option named twice, a
        /// cell with spaces around it, or more options than kept here.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static BallotsPart? Read(ReadOnlyMemory<byte> ballots, long limit, bool atFileStart)
        {
            var part = new BallotsPart();
            var written = new WrittenRankings();
            Span<byte> text = stackalloc byte[16];
            var lines = new Records(ballots.Span, atFileStart);
            while (lines.MoveNext())
            {
                var record = lines.Current;
                int comma = Find(record, (byte)',');
                var cell = comma < 0 ? record : record[..comma];
                if (lines.OnFirstLine && System.Text.Ascii.EqualsIgnoreCase(cell, "voter"u8))
                {
                    continue;
                }
                long voter = Number(cell, limit);
                if (voter < 0)
                {
                    return null;
                }
                part.Voters.Add(voter);
                part.Largest = Math.Max(part.Largest, voter);
                var rest = comma < 0 ? default : record[(comma + 1)..];
                // A ranking written exactly as one before is that one's group: most lines end here.
                bool short_ = rest.Length <= 15;
                ulong low = 0, high = 0;
                if (short_)
                {
                    text.Clear();
                    rest.CopyTo(text);
                    text[15] = (byte)rest.Length;
                    low = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(text);
                    high = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(text[8..]);
                    if (written.GroupOf(low, high) is int known and >= 0)
                    {
                        part.RankingOf.Add(known);
                        continue;
                    }
                }
                if (part.ReadRanking(rest) is not ulong key)
                {
                    return null;
                }
                int group = part.GroupOf(key);
                part.RankingOf.Add(group);
                if (short_)
                {
                    written.Add(low, high, group);
                }
            }
            return part;
        }

        /// <summary>
        /// The cells of a ranking packed into a number (six bits an option, best first, the length in
        /// the top four), in one pass over the bytes: the cells are a few bytes each, too short to
        /// search for their commas with a vectorised search. Null for what is not read here.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private ulong? ReadRanking(ReadOnlySpan<byte> rest)
        {
            ulong key = 0;
            ulong used = 0;
            int length = 0;
            for (int i = 0; ; i++)
            {
                int start = i;
                ulong label = 0;
                for (; i < rest.Length && rest[i] != (byte)','; i++)
                {
                    if (rest[i] is (byte)'=' or (byte)'"' || i - start == 8)
                    {
                        return null;
                    }
                    label |= (ulong)rest[i] << (8 * (i - start));
                }
                int width = i - start;
                if (width > 0)
                {
                    if (length == MaxRanking || !Untrimmed(rest.Slice(start, width)))
                    {
                        return null;
                    }
                    int option = OptionOf(label, width);
                    if (option < 0)
                    {
                        option = Options.Count;
                        if (option == MaxOptions)
                        {
                            return null;
                        }
                        _labels[option] = label;
                        _widths[option] = width;
                        Options.Add(System.Text.Encoding.UTF8.GetString(rest.Slice(start, width)));
                    }
                    if ((used & (1UL << option)) != 0)
                    {
                        return null;
                    }
                    used |= 1UL << option;
                    key |= (ulong)option << (6 * length);
                    length++;
                }
                if (i >= rest.Length)
                {
                    return key | (ulong)length << 60;
                }
            }
        }

        private int OptionOf(ulong label, int width)
        {
            for (int option = 0; option < Options.Count; option++)
            {
                if (_labels[option] == label && _widths[option] == width)
                {
                    return option;
                }
            }
            return -1;
        }

        /// <summary>The group of a packed ranking, kept as a new group if it is new.</summary>
        private int GroupOf(ulong key)
        {
            int group = _distinct.GroupOf(key, _keys.Count);
            if (group == _keys.Count)
            {
                _keys.Add(key);
                int length = (int)(key >> 60);
                for (int i = 0; i < length; i++)
                {
                    Entries.Add((ushort)((key >> (6 * i)) & 63));
                    Ranks.Add((ushort)i);
                }
                Starts.Add(Entries.Count);
            }
            return group;
        }

        /// <summary>
        /// Takes in the run that follows this one in the file: its options and rankings are
        /// renumbered as if this part had read on. False when the two together have more options
        /// than kept here.
        /// </summary>
        public bool TakeIn(BallotsPart next)
        {
            var optionOf = new int[next.Options.Count];
            for (int option = 0; option < optionOf.Length; option++)
            {
                int known = OptionOf(next._labels[option], next._widths[option]);
                if (known < 0)
                {
                    known = Options.Count;
                    if (known == MaxOptions)
                    {
                        return false;
                    }
                    _labels[known] = next._labels[option];
                    _widths[known] = next._widths[option];
                    Options.Add(next.Options[option]);
                }
                optionOf[option] = known;
            }
            var groupOf = new int[next._keys.Count];
            for (int group = 0; group < groupOf.Length; group++)
            {
                ulong key = next._keys[group];
                int length = (int)(key >> 60);
                ulong renumbered = (ulong)length << 60;
                for (int i = 0; i < length; i++)
                {
                    renumbered |= (ulong)optionOf[(int)((key >> (6 * i)) & 63)] << (6 * i);
                }
                groupOf[group] = GroupOf(renumbered);
            }
            foreach (int group in next.RankingOf)
            {
                RankingOf.Add(groupOf[group]);
            }
            Voters.AddRange(next.Voters);
            Largest = Math.Max(Largest, next.Largest);
            return true;
        }
    }
}
