using System.Runtime.CompilerServices;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Shura.Core.Ballots.Files;

/// <summary>
/// Reads PrefLib ordinal files: .soc (strict, complete), .soi (strict, incomplete), .toc (ties,
/// complete) and .toi (ties, incomplete).
/// </summary>
/// <remarks>
/// A header of <c># KEY: value</c> lines comes first; the keys read are DATA TYPE, NUMBER
/// ALTERNATIVES, NUMBER VOTERS, NUMBER UNIQUE ORDERS and ALTERNATIVE NAME i (everything after
/// <c>": "</c> is the name, verbatim). Each data line is <c>count: order</c>, where the order lists
/// candidate numbers best first, separated by commas, and <c>{a,b}</c> is a group ranked equal.
/// Blank lines are skipped. Every violation of the format is reported with its line and column.
/// The reading loops are optimised fully at their first call: <c>shura tally</c> runs them once,
/// over a million lines, before tiered compilation would have optimised them.
/// </remarks>
internal static class PrefLibReader
{
    private const string DataLineShape = "a data line \"count: order\", such as \"3: 2,{1,4},3\"";

    private sealed class Header
    {
        public string? DataType;
        public int Alternatives = -1;
        public int AlternativesLine;
        public long Voters = -1;
        public (int Line, int Column) VotersAt;
        public long UniqueOrders = -1;
        public (int Line, int Column) UniqueOrdersAt;
        public readonly Dictionary<int, (string Name, int Line)> Names = [];
    }

    /// <summary>Reads a PrefLib file given as text.</summary>
    public static BallotFile Read(TextReader reader, string source, BallotKind kind) =>
        Read(Encoding.UTF8.GetBytes(reader.ReadToEnd()), source, kind);

    /// <summary>
    /// Reads a PrefLib file from its bytes (UTF-8). Files of a megabyte and more are read on every
    /// core: the data lines are cut into one part per core at line ends, each part is read and
    /// grouped into a ballot box of its own, and the parts' boxes are joined in file order, so the
    /// box is the one a single thread would have built and an error is the file's first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static BallotFile Read(ReadOnlyMemory<byte> file, string source, BallotKind kind, ReadingPosition? position = null)
    {
        if (kind != BallotKind.Rankings)
        {
            throw new BallotFileFailure(0, 0,
                $"a PrefLib file holds rankings, but this method counts {Describe(kind)}; use a CSV or JSON file");
        }

        var bytes = file.Span;
        int at = bytes.StartsWith("\uFEFF"u8) ? 3 : 0;
        if (at == bytes.Length)
        {
            throw new BallotFileFailure(0, 0, "the file is empty; expected a PrefLib header (\"# DATA TYPE: soi\" and so on)");
        }
        var header = new Header();
        int lineNumber = 0;
        while (at < bytes.Length && bytes[at] == (byte)'#')
        {
            int end = LineEnd(bytes, at, bytes.Length, out int next);
            lineNumber++;
            ReadHeaderLine(Encoding.UTF8.GetString(bytes[at..end]), lineNumber, header);
            at = next;
        }
        position?.Advance(at);

        var lines = new DataLines(CheckHeader(header, lineNumber + 1), header.DataType!);
        int parts = bytes.Length - at >= PartedFrom ? Math.Clamp(Environment.ProcessorCount, 1, 8) : 1;
        var bounds = new int[parts + 1];
        bounds[0] = at;
        bounds[parts] = bytes.Length;
        for (int k = 1; k < parts; k++)
        {
            int cut = Math.Max(bounds[k - 1], at + (int)((long)(bytes.Length - at) * k / parts));
            int newline = bytes[cut..].IndexOf((byte)'\n');
            bounds[k] = newline < 0 ? bytes.Length : cut + newline + 1;
        }
        // The header's count of distinct orders sizes each part's box; a false one only costs growing.
        // A line takes at least four bytes ("1: 1") and an entry two (a digit and a separator), which
        // bounds what a false count can make us reserve. The first part is sized for the whole
        // file: the ballots of the other parts join it at the end.
        long unique = Math.Clamp(header.UniqueOrders, 0, (bytes.Length - at) / 4);
        int dataLength = bytes.Length - at;
        long Entries(long groups, int length) => Math.Min(groups * lines.Candidates, length / 2 + 256);
        var read = new Part[parts];
        int firstFailed = int.MaxValue;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, k =>
        {
            int length = bounds[k + 1] - bounds[k];
            int groups = (int)Math.Min(unique / parts, length / 4);
            int entries = (int)(k == 0 ? Entries(unique, dataLength) : Entries(groups, length));
            read[k] = lines.Read(file, bounds[k], bounds[k + 1], groups, entries, position, k, ref firstFailed);
        });

        int linesBefore = lineNumber;
        long voters = 0;
        long orders = 0;
        foreach (var part in read)
        {
            if (part.Failure is { } failure)
            {
                throw new BallotFileFailure(linesBefore + failure.Line, failure.Column, failure.Message);
            }
            linesBefore += part.Lines;
            voters += part.Voters;
            orders += part.Orders;
        }
        var box = BallotBoxBuilder.Join([.. read.Select(part => part.Builder)]);

        if (voters != header.Voters)
        {
            throw new BallotFileFailure(header.VotersAt.Line, header.VotersAt.Column,
                $"NUMBER VOTERS is {header.Voters}, but the counts of the data lines add up to {voters}");
        }
        if (header.UniqueOrders >= 0 && orders != header.UniqueOrders)
        {
            throw new BallotFileFailure(header.UniqueOrdersAt.Line, header.UniqueOrdersAt.Column,
                $"NUMBER UNIQUE ORDERS is {header.UniqueOrders}, but the file has {orders} data lines");
        }
        return new RankedBallotFile(source, box);
    }

    /// <summary>Below this many bytes of data lines one core reads them all: starting a second costs more.</summary>
    private const int PartedFrom = 1 << 20;

    /// <summary>
    /// The end of the line starting at <paramref name="at"/> (before its line break) and the start of
    /// the next: a line ends at "\n", "\r\n" or a lone "\r", as <see cref="TextReader.ReadLine"/> has it.
    /// </summary>
    private static int LineEnd(ReadOnlySpan<byte> bytes, int at, int to, out int next)
    {
        int found = bytes[at..to].IndexOfAny((byte)'\n', (byte)'\r');
        if (found < 0)
        {
            next = to;
            return to;
        }
        int end = at + found;
        next = bytes[end] == (byte)'\r' && end + 1 < to && bytes[end + 1] == (byte)'\n' ? end + 2 : end + 1;
        return end;
    }

    /// <summary>What one part of a file's data lines held: its ballots, or its first error.</summary>
    private sealed record Part(BallotBoxBuilder Builder, long Voters, long Orders, int Lines, BallotFileFailure? Failure);

    /// <summary>Reads the data lines of a file whose header is read.</summary>
    private sealed class DataLines(ImmutableArray<string> candidates, string dataType)
    {
        private readonly int _m = candidates.Length;

        public int Candidates => _m;
        private readonly bool _ties = dataType is "toc" or "toi";
        private readonly bool _complete = dataType is "soc" or "toc";

        /// <summary>
        /// Reads the lines from <paramref name="from"/> to <paramref name="to"/>, with line numbers
        /// counted from the part's start; stops at the first error, or when a part before this one
        /// has failed (its error is the one reported).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Part Read(
            ReadOnlyMemory<byte> file, int from, int to, int groups, int entries, ReadingPosition? position, int index, ref int firstFailed)
        {
            var bytes = file.Span;
            var part = bytes[from..to];
            int m = _m;
            var builder = new BallotBoxBuilder(candidates, groups, entries);
            var ranking = new ushort[m];
            var ranks = new ushort[m];
            var seen = new int[m];
            List<ushort>? slowRanking = null, slowRanks = null;
            int[]? seenAt = null;
            long voters = 0;
            long orders = 0;
            int line = 0;
            int reported = from;
            int at = from;
            try
            {
                while (at < to)
                {
                    line++;
                    int end, next;
                    if (TryReadDataLine(part, at - from, line, m, _ties, ranking, ranks, seen, out int count, out int length, out end))
                    {
                        end += from;
                        next = end == to ? to : bytes[end] == (byte)'\r' && end + 1 < to && bytes[end + 1] == (byte)'\n' ? end + 2 : end + 1;
                    }
                    else
                    {
                        end = LineEnd(bytes, at, to, out next);
                        var text = bytes[at..end];
                        // Anything out of the ordinary (a blank line, a tie where none may be, an
                        // error) is read again as text, by the code that names what is wrong.
                        string slow = Encoding.UTF8.GetString(text);
                        if (string.IsNullOrWhiteSpace(slow))
                        {
                            at = next;
                            continue;
                        }
                        if (slow.StartsWith('#'))
                        {
                            throw new BallotFileFailure(line, 1, "a header line after the data began; the header must come first");
                        }
                        count = ReadDataLine(slow, line, m, _ties, slowRanking ??= new(m), slowRanks ??= new(m), seenAt ??= new int[m]);
                        length = slowRanking.Count;
                        slowRanking.CopyTo(ranking);
                        slowRanks.CopyTo(ranks);
                        end = at + slow.Length; // the column of a message below counts characters
                    }
                    if (_complete && length != m)
                    {
                        throw new BallotFileFailure(line, end - at + 1,
                            $"this ballot ranks {length} of the {m} candidates, but a {dataType} file ranks every candidate");
                    }
                    if (_ties)
                    {
                        builder.Add(ranking.AsSpan(0, length), ranks.AsSpan(0, length), count);
                    }
                    else
                    {
                        builder.AddCheckedStrict(ranking.AsSpan(0, length), count);
                    }
                    voters += count;
                    orders++;
                    at = next;
                    if ((line & 4095) == 0)
                    {
                        position?.Advance(at - reported);
                        reported = at;
                        if (Volatile.Read(ref firstFailed) < index)
                        {
                            break;
                        }
                    }
                }
            }
            catch (BallotFileFailure failure)
            {
                InterlockedMin(ref firstFailed, index);
                return new Part(builder, voters, orders, line, failure);
            }
            position?.Advance(at - reported);
            return new Part(builder, voters, orders, line, null);
        }

        private static void InterlockedMin(ref int target, int value)
        {
            for (int seen = Volatile.Read(ref target); value < seen; seen = Volatile.Read(ref target))
            {
                if (Interlocked.CompareExchange(ref target, value, seen) == seen)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Reads an ordinary data line straight from the bytes, in one pass from <paramref name="at"/>
    /// to its line break (or the end of <paramref name="bytes"/>), whose index goes to
    /// <paramref name="end"/>: a count, a colon and candidate numbers, with tie groups where the
    /// file allows them. Returns false, having reported nothing, for anything else, which
    /// <see cref="ReadDataLine"/> then reads as text. A candidate is seen on this line when its
    /// entry in <paramref name="seen"/> holds <paramref name="stamp"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryReadDataLine(
        ReadOnlySpan<byte> bytes, int at, int stamp, int m, bool tiesAllowed,
        Span<ushort> ranking, Span<ushort> ranks, Span<int> seen, out int count, out int length, out int end)
    {
        if (TryReadPlainLine(bytes, at, stamp, m, ranking, ranks, seen, out count, out length, out end))
        {
            return true;
        }
        // The candidates the plain reading saw hold +stamp: this one marks them with -stamp.
        stamp = -stamp;
        count = length = end = 0;
        int i = at;
        int number = 0;
        for (uint digit; i < bytes.Length && (digit = (uint)(bytes[i] - '0')) <= 9; i++)
        {
            number = number * 10 + (int)digit;
        }
        // Nine digits cannot overflow; a longer count (or 0) is left to the text reading.
        if (i == at || i - at > 9 || number == 0)
        {
            return false;
        }
        i = SkipSpaces(bytes, i);
        if (i >= bytes.Length || bytes[i] != (byte)':')
        {
            return false;
        }
        i++;
        ushort rank = 0;
        while (true)
        {
            i = SkipSpaces(bytes, i);
            if (i >= bytes.Length)
            {
                return false;
            }
            if (bytes[i] == (byte)'{')
            {
                if (!tiesAllowed)
                {
                    return false;
                }
                i++;
                while (true)
                {
                    i = SkipSpaces(bytes, i);
                    if (!TryReadCandidate(bytes, ref i, stamp, m, ranking, ranks, seen, rank, ref length))
                    {
                        return false;
                    }
                    i = SkipSpaces(bytes, i);
                    if (i >= bytes.Length)
                    {
                        return false;
                    }
                    if (bytes[i] == (byte)',')
                    {
                        i++;
                        continue;
                    }
                    if (bytes[i] != (byte)'}')
                    {
                        return false;
                    }
                    i++;
                    break;
                }
            }
            else if (!TryReadCandidate(bytes, ref i, stamp, m, ranking, ranks, seen, rank, ref length))
            {
                return false;
            }
            rank++;
            i = SkipSpaces(bytes, i);
            if (i >= bytes.Length || bytes[i] == (byte)'\n' || bytes[i] == (byte)'\r')
            {
                count = number;
                end = i;
                return true;
            }
            if (bytes[i] != (byte)',')
            {
                return false;
            }
            i++;
        }
    }

    /// <summary>
    /// Reads a line as PrefLib tools write it, "count: c,c,c" with no other spaces and no ties:
    /// the line of nearly every file, read with the fewest tests per byte. False for anything else.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadPlainLine(
        ReadOnlySpan<byte> bytes, int at, int stamp, int m,
        Span<ushort> ranking, Span<ushort> ranks, Span<int> seen, out int count, out int length, out int end)
    {
        count = length = end = 0;
        int i = at;
        int number = 0;
        for (uint digit; (uint)i < (uint)bytes.Length && (digit = (uint)(bytes[i] - '0')) <= 9; i++)
        {
            number = number * 10 + (int)digit;
        }
        if (i == at || i - at > 9 || number == 0 || i + 2 >= bytes.Length || bytes[i] != (byte)':' || bytes[i + 1] != (byte)' ')
        {
            return false;
        }
        i += 2;
        int n = 0;
        while (true)
        {
            int start = i;
            int candidate = 0;
            for (uint digit; (uint)i < (uint)bytes.Length && (digit = (uint)(bytes[i] - '0')) <= 9; i++)
            {
                candidate = candidate * 10 + (int)digit;
            }
            if (i == start || i - start > 5 || (uint)(candidate - 1) >= (uint)m || seen[candidate - 1] == stamp)
            {
                return false;
            }
            seen[candidate - 1] = stamp;
            ranking[n] = (ushort)(candidate - 1);
            ranks[n] = (ushort)n;
            n++;
            if ((uint)i >= (uint)bytes.Length || bytes[i] == (byte)'\n' || bytes[i] == (byte)'\r')
            {
                count = number;
                length = n;
                end = i;
                return true;
            }
            if (bytes[i] != (byte)',')
            {
                return false;
            }
            i++;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadCandidate(
        ReadOnlySpan<byte> bytes, ref int i, int stamp, int m,
        Span<ushort> ranking, Span<ushort> ranks, Span<int> seen, ushort rank, ref int length)
    {
        int start = i;
        int candidate = 0;
        for (uint digit; i < bytes.Length && (digit = (uint)(bytes[i] - '0')) <= 9; i++)
        {
            candidate = candidate * 10 + (int)digit;
        }
        // Five digits cannot overflow (there are at most 65,535 candidates); more are left to the
        // text reading, as are numbers out of range and a candidate seen before on this line.
        if (i == start || i - start > 5 || (uint)(candidate - 1) >= (uint)m || seen[candidate - 1] == stamp)
        {
            return false;
        }
        seen[candidate - 1] = stamp;
        ranking[length] = (ushort)(candidate - 1);
        ranks[length] = rank;
        length++;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipSpaces(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && (line[i] == (byte)' ' || line[i] == (byte)'\t'))
        {
            i++;
        }
        return i;
    }

    private static void ReadHeaderLine(string line, int lineNumber, Header header)
    {
        int start = line.Length > 1 && line[1] == ' ' ? 2 : 1;
        int colon = line.IndexOf(':', start);
        if (colon < 0)
        {
            throw new BallotFileFailure(lineNumber, line.Length + 1, "expected \"# KEY: value\" in the header");
        }
        string key = line[start..colon].Trim();
        int valueStart = colon + 1 < line.Length && line[colon + 1] == ' ' ? colon + 2 : colon + 1;
        string value = line[valueStart..];
        int valueColumn = valueStart + 1;

        switch (key)
        {
            case "DATA TYPE":
                string type = value.Trim();
                if (type is not ("soc" or "soi" or "toc" or "toi"))
                {
                    throw new BallotFileFailure(lineNumber, valueColumn,
                        $"unknown DATA TYPE \"{type}\"; expected soc, soi, toc or toi");
                }
                header.DataType = type;
                break;
            case "NUMBER ALTERNATIVES":
                header.Alternatives = (int)ReadNumber(value, lineNumber, valueColumn, key, 1, BallotBox.MaxCandidates);
                header.AlternativesLine = lineNumber;
                break;
            case "NUMBER VOTERS":
                header.Voters = ReadNumber(value, lineNumber, valueColumn, key, 0, long.MaxValue);
                header.VotersAt = (lineNumber, valueColumn);
                break;
            case "NUMBER UNIQUE ORDERS":
                header.UniqueOrders = ReadNumber(value, lineNumber, valueColumn, key, 0, long.MaxValue);
                header.UniqueOrdersAt = (lineNumber, valueColumn);
                break;
            default:
                if (key.StartsWith("ALTERNATIVE NAME ", StringComparison.Ordinal))
                {
                    string number = key["ALTERNATIVE NAME ".Length..];
                    if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out int i) || i < 1)
                    {
                        throw new BallotFileFailure(lineNumber, start + 1 + "ALTERNATIVE NAME ".Length,
                            $"\"{number}\" is not a candidate number; expected ALTERNATIVE NAME 1, 2, …");
                    }
                    if (header.Names.TryGetValue(i, out var earlier))
                    {
                        throw new BallotFileFailure(lineNumber, start + 1,
                            $"ALTERNATIVE NAME {i} is given twice (first on line {earlier.Line})");
                    }
                    header.Names[i] = (value, lineNumber);
                }
                break; // other keys (TITLE, DESCRIPTION, …) are informational
        }
    }

    private static long ReadNumber(string value, int line, int column, string key, long min, long max)
    {
        string text = value.Trim();
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long number)
            || number < min || number > max)
        {
            string range = max == long.MaxValue ? $"at least {min}" : $"from {min} to {max}";
            throw new BallotFileFailure(line, column, $"{key} \"{text}\" is not a whole number {range}");
        }
        return number;
    }

    private static ImmutableArray<string> CheckHeader(Header header, int firstDataLine)
    {
        if (header.DataType is null)
        {
            throw new BallotFileFailure(firstDataLine, 1, "the header has no \"# DATA TYPE:\" line (soc, soi, toc or toi)");
        }
        if (header.Alternatives < 0)
        {
            throw new BallotFileFailure(firstDataLine, 1, "the header has no \"# NUMBER ALTERNATIVES:\" line");
        }
        if (header.Voters < 0)
        {
            throw new BallotFileFailure(firstDataLine, 1, "the header has no \"# NUMBER VOTERS:\" line");
        }
        int m = header.Alternatives;
        var names = new string[m];
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (i, (name, line)) in header.Names.OrderBy(pair => pair.Key))
        {
            if (i > m)
            {
                throw new BallotFileFailure(line, 1,
                    $"ALTERNATIVE NAME {i} is beyond NUMBER ALTERNATIVES ({m}, on line {header.AlternativesLine})");
            }
            if (lines.TryGetValue(name, out int first))
            {
                throw new BallotFileFailure(line, 1,
                    $"candidate name \"{name}\" is used twice (first on line {first}); names must be distinct");
            }
            lines[name] = line;
            names[i - 1] = name;
        }
        for (int i = 0; i < m; i++)
        {
            if (names[i] is null)
            {
                throw new BallotFileFailure(firstDataLine, 1, $"the header has no \"# ALTERNATIVE NAME {i + 1}:\" line");
            }
        }
        return [.. names];
    }

    /// <summary>Reads "count: order" into <paramref name="ranking"/> and <paramref name="ranks"/>; returns the count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ReadDataLine(
        string line, int lineNumber, int m, bool tiesAllowed, List<ushort> ranking, List<ushort> ranks, int[] seenAt)
    {
        ranking.Clear();
        ranks.Clear();
        int colon = line.IndexOf(':');
        if (colon < 0)
        {
            throw new BallotFileFailure(lineNumber, line.Length + 1, $"missing ':' after the count; expected {DataLineShape}");
        }
        string countText = line[..colon].Trim();
        if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out int count))
        {
            throw new BallotFileFailure(lineNumber, 1, $"count \"{countText}\" is not a whole number; expected {DataLineShape}");
        }
        if (count == 0)
        {
            throw new BallotFileFailure(lineNumber, 1, "count 0: every data line stands for at least one voter");
        }

        Array.Clear(seenAt);
        int i = colon + 1;
        ushort rank = 0;
        while (true)
        {
            i = SkipSpaces(line, i);
            if (i >= line.Length)
            {
                throw new BallotFileFailure(lineNumber, i + 1, "expected a candidate number or '{'");
            }
            if (line[i] == '{')
            {
                int open = i;
                if (!tiesAllowed)
                {
                    throw new BallotFileFailure(lineNumber, i + 1,
                        "a tie group '{…}' in a file whose DATA TYPE allows no ties (soc or soi)");
                }
                i++;
                while (true)
                {
                    i = SkipSpaces(line, i);
                    if (i >= line.Length)
                    {
                        throw new BallotFileFailure(lineNumber, open + 1, "the '{' here is never closed; expected '}'");
                    }
                    i = ReadCandidate(line, lineNumber, i, m, seenAt, ranking, ranks, rank);
                    i = SkipSpaces(line, i);
                    if (i < line.Length && line[i] == ',')
                    {
                        i++;
                        continue;
                    }
                    if (i < line.Length && line[i] == '}')
                    {
                        i++;
                        break;
                    }
                    throw new BallotFileFailure(lineNumber, i >= line.Length ? open + 1 : i + 1,
                        i >= line.Length ? "the '{' here is never closed; expected '}'" : "expected ',' or '}' in a tie group");
                }
            }
            else
            {
                i = ReadCandidate(line, lineNumber, i, m, seenAt, ranking, ranks, rank);
            }
            rank++;
            i = SkipSpaces(line, i);
            if (i >= line.Length)
            {
                return count;
            }
            if (line[i] != ',')
            {
                throw new BallotFileFailure(lineNumber, i + 1, $"unexpected '{line[i]}'; expected ',' between ranks");
            }
            i++;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ReadCandidate(
        string line, int lineNumber, int i, int m, int[] seenAt, List<ushort> ranking, List<ushort> ranks, ushort rank)
    {
        int start = i;
        // Digits are summed here rather than parsed: this runs for every candidate of every ballot.
        // Past m the value only has to stay past m, so it is held there and cannot overflow.
        int candidate = 0;
        while (i < line.Length && char.IsAsciiDigit(line[i]))
        {
            candidate = Math.Min(candidate * 10 + (line[i] - '0'), m + 1);
            i++;
        }
        if (i == start)
        {
            throw new BallotFileFailure(lineNumber, start + 1, $"unexpected '{line[start]}'; expected a candidate number");
        }
        if (candidate < 1 || candidate > m)
        {
            throw new BallotFileFailure(lineNumber, start + 1,
                $"candidate {line[start..i]} does not exist; expected a number from 1 to {m}");
        }
        if (seenAt[candidate - 1] > 0)
        {
            throw new BallotFileFailure(lineNumber, start + 1,
                $"candidate {candidate} appears twice in this ballot (first at column {seenAt[candidate - 1]})");
        }
        seenAt[candidate - 1] = start + 1;
        ranking.Add((ushort)(candidate - 1));
        ranks.Add(rank);
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SkipSpaces(string line, int i)
    {
        while (i < line.Length && (line[i] == ' ' || line[i] == '\t'))
        {
            i++;
        }
        return i;
    }

    internal static string Describe(BallotKind kind) => kind switch
    {
        BallotKind.Rankings => "rankings",
        BallotKind.Scores => "scores",
        _ => "yes / no / abstain choices",
    };
}
