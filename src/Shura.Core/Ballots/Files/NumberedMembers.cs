using System.Collections.Immutable;
using System.Globalization;
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
    /// The largest member number taken is below this many per line, plus <see cref="NumbersBeyond"/>: it
    /// sizes an array of four bytes a number, so sparse numbers (a small council with numbers in the
    /// millions) are left to the general reading.
    /// </summary>
    private const int NumbersPerLine = 8;

    private const int NumbersBeyond = 65_536;

    private const int MaxOptions = 64;
    private const int MaxRanking = 8;

    /// <summary>What the two passes give <see cref="DelegatedBallots"/>: as its general reading gives it.</summary>
    internal sealed record Reading(
        int MemberCount, Func<int, string> MemberName, List<(int Truster, int Trustee)> Trustees, List<int> Voters,
        ImmutableArray<string> Options, List<int> Starts, List<ushort> Entries, List<ushort> Ranks, List<int> RankingOf);

    /// <summary>The reading of both files, or null when they are not of the shape read here.</summary>
    public static Reading? TryRead(byte[] delegations, byte[] ballots)
    {
        if (delegations.AsSpan().Contains((byte)'"') || ballots.AsSpan().Contains((byte)'"'))
        {
            return null;
        }
        long limit = (long)NumbersPerLine * (Lines(delegations) + Lines(ballots)) + NumbersBeyond;
        var membersPass = Task.Run(() => ReadMembers(delegations, ballots, limit));
        var rankings = ReadRankings(ballots);
        var members = membersPass.GetAwaiter().GetResult();
        if (members is null || rankings is null)
        {
            return null;
        }
        var (count, name, trustees, voters) = members.Value;
        var (options, starts, entries, ranks, rankingOf) = rankings.Value;
        return rankingOf.Count == voters.Count
            ? new Reading(count, name, trustees, voters, options, starts, entries, ranks, rankingOf)
            : null;
    }

    private static int Lines(byte[] text) => text.AsSpan().Count((byte)'\n') + 1;

    /// <summary>The records of a file: lines without their break, blank ones left out, after a byte order mark.</summary>
    private ref struct Records(ReadOnlySpan<byte> text)
    {
        private ReadOnlySpan<byte> _rest = text.StartsWith("\uFEFF"u8) ? text[3..] : text;
        private int _line;

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

    /// <summary>
    /// Numbers the members in order of first appearance (trusters and trustees, then voters), as the
    /// general reading does; null when a cell is not a member number or a line is not "truster,trustee".
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int Count, Func<int, string> Name, List<(int, int)> Trustees, List<int> Voters)? ReadMembers(
        byte[] delegations, byte[] ballots, long limit)
    {
        // First the numbers as written, then their member numbers: the array is sized by the largest.
        var pairs = new List<long>();
        var voted = new List<long>();
        long largest = -1;
        var lines = new Records(delegations);
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
        lines = new Records(ballots);
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
            voted.Add(voter);
            largest = Math.Max(largest, voter);
        }

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
    /// Reads each ballot's ranking and keeps each distinct one once, as the general reading does;
    /// null for a tie, an option named twice, a cell with spaces around it, or more options than kept here.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (ImmutableArray<string>, List<int>, List<ushort>, List<ushort>, List<int>)? ReadRankings(byte[] ballots)
    {
        // An option's label, up to eight bytes, packed into a number; a ranking, up to eight options
        // of up to 64, packed into another with its length.
        Span<ulong> labels = stackalloc ulong[MaxOptions];
        Span<int> widths = stackalloc int[MaxOptions];
        int optionCount = 0;
        var names = new List<string>();
        var starts = new List<int> { 0 };
        var entries = new List<ushort>();
        var ranks = new List<ushort>();
        var rankingOf = new List<int>();
        var distinct = new Rankings();
        var lines = new Records(ballots);
        while (lines.MoveNext())
        {
            var record = lines.Current;
            int comma = Find(record, (byte)',');
            if (lines.OnFirstLine && System.Text.Ascii.EqualsIgnoreCase(comma < 0 ? record : record[..comma], "voter"u8))
            {
                continue;
            }
            var rest = comma < 0 ? default : record[(comma + 1)..];
            ulong key = 0;
            ulong used = 0;
            int length = 0;
            // One pass over the bytes: ranking cells are a few bytes each, too short to search for
            // their commas with a vectorised search.
            for (int i = 0; ; i++)
            {
                int start = i;
                ulong label = 0;
                for (; i < rest.Length && rest[i] != (byte)','; i++)
                {
                    if (rest[i] == (byte)'=' || i - start == 8)
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
                    int option = 0;
                    while (option < optionCount && (labels[option] != label || widths[option] != width))
                    {
                        option++;
                    }
                    if (option == optionCount)
                    {
                        if (option == MaxOptions)
                        {
                            return null;
                        }
                        labels[option] = label;
                        widths[option] = width;
                        optionCount++;
                        names.Add(System.Text.Encoding.UTF8.GetString(rest.Slice(start, width)));
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
                    break;
                }
            }
            key |= (ulong)length << 60;
            int group = distinct.GroupOf(key, starts.Count - 1);
            rankingOf.Add(group);
            if (group < starts.Count - 1)
            {
                continue;
            }
            for (int i = 0; i < length; i++)
            {
                entries.Add((ushort)((key >> (6 * i)) & 63));
                ranks.Add((ushort)i);
            }
            starts.Add(entries.Count);
        }
        return ([.. names], starts, entries, ranks, rankingOf);
    }
}
