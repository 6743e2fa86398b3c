using System.Runtime.CompilerServices;
using System.Collections.Immutable;
using System.Globalization;

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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static BallotFile Read(TextReader reader, string source, BallotKind kind)
    {
        if (kind != BallotKind.Rankings)
        {
            throw new BallotFileFailure(0, 0,
                $"a PrefLib file holds rankings, but this method counts {Describe(kind)}; use a CSV or JSON file");
        }

        var header = new Header();
        int lineNumber = 0;
        string? line = reader.ReadLine();
        if (line is null)
        {
            throw new BallotFileFailure(0, 0, "the file is empty; expected a PrefLib header (\"# DATA TYPE: soi\" and so on)");
        }
        for (; line is not null && line.StartsWith('#'); line = reader.ReadLine())
        {
            lineNumber++;
            ReadHeaderLine(line, lineNumber, header);
        }

        var candidates = CheckHeader(header, lineNumber + 1);
        int m = candidates.Length;
        bool ties = header.DataType is "toc" or "toi";
        bool complete = header.DataType is "soc" or "toc";
        var builder = new BallotBoxBuilder(candidates);
        var ranking = new List<ushort>(m);
        var ranks = new List<ushort>(m);
        var seenAt = new int[m];
        long voters = 0;
        long orders = 0;

        // Two cores: this thread reads and checks the lines, another groups the ballots, in order.
        using var grouping = new Grouping(builder, m);
        try
        {
            for (; line is not null; line = reader.ReadLine())
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }
                if (line.StartsWith('#'))
                {
                    throw new BallotFileFailure(lineNumber, 1, "a header line after the data began; the header must come first");
                }
                int count = ReadDataLine(line, lineNumber, m, ties, ranking, ranks, seenAt);
                if (complete && ranking.Count != m)
                {
                    throw new BallotFileFailure(lineNumber, line.Length + 1,
                        $"this ballot ranks {ranking.Count} of the {m} candidates, but a {header.DataType} file ranks every candidate");
                }
                grouping.Add(
                    System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ranking),
                    System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ranks),
                    count);
                voters += count;
                orders++;
            }
        }
        catch
        {
            // A refused line (or a failing reader): the grouping stops before its buffers go.
            grouping.Abandon();
            throw;
        }
        grouping.Finish();

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
        return new RankedBallotFile(source, builder.Build());
    }

    /// <summary>
    /// Groups the ballots of a file on a second thread while the first reads: the lines go over in
    /// chunks, in file order, so the ballot box is the one a single thread would have built.
    /// </summary>
    private sealed class Grouping : IDisposable
    {
        private const int ChunkLines = 4096;

        private sealed class Chunk(int m)
        {
            public readonly ushort[] Entries = new ushort[ChunkLines * m];
            public readonly ushort[] Ranks = new ushort[ChunkLines * m];
            public readonly int[] Lengths = new int[ChunkLines];
            public readonly int[] Counts = new int[ChunkLines];
            public int Lines;
            public int Used;
        }

        private readonly System.Collections.Concurrent.BlockingCollection<Chunk> _full = new(boundedCapacity: 8);
        private readonly System.Collections.Concurrent.ConcurrentBag<Chunk> _free = [];
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _consumer;
        private readonly int _m;
        private Chunk _filling;

        public Grouping(BallotBoxBuilder builder, int m)
        {
            _m = m;
            _filling = new Chunk(m);
            _consumer = Task.Factory.StartNew(() =>
            {
                try
                {
                    foreach (var chunk in _full.GetConsumingEnumerable(_stop.Token))
                    {
                        for (int line = 0, at = 0; line < chunk.Lines; at += chunk.Lengths[line], line++)
                        {
                            builder.Add(chunk.Entries.AsSpan(at, chunk.Lengths[line]), chunk.Ranks.AsSpan(at, chunk.Lengths[line]), chunk.Counts[line]);
                        }
                        chunk.Lines = chunk.Used = 0;
                        _free.Add(chunk);
                    }
                }
                catch
                {
                    _stop.Cancel(); // the reader stops waiting for room
                    throw;
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Add(ReadOnlySpan<ushort> ranking, ReadOnlySpan<ushort> ranks, int count)
        {
            var chunk = _filling;
            ranking.CopyTo(chunk.Entries.AsSpan(chunk.Used));
            ranks.CopyTo(chunk.Ranks.AsSpan(chunk.Used));
            chunk.Lengths[chunk.Lines] = ranking.Length;
            chunk.Counts[chunk.Lines] = count;
            chunk.Used += ranking.Length;
            if (++chunk.Lines == ChunkLines)
            {
                Send();
            }
        }

        private void Send()
        {
            try
            {
                _full.Add(_filling, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                _consumer.GetAwaiter().GetResult(); // the grouping failed: its exception, not the cancellation
                throw;
            }
            _filling = _free.TryTake(out var chunk) ? chunk : new Chunk(_m);
        }

        /// <summary>Every line is read: waits for the last to be grouped.</summary>
        public void Finish()
        {
            if (_filling.Lines > 0)
            {
                Send();
            }
            _full.CompleteAdding();
            _consumer.GetAwaiter().GetResult();
        }

        /// <summary>The file was refused: the grouping stops.</summary>
        public void Abandon()
        {
            _stop.Cancel();
            try
            {
                _consumer.Wait();
            }
            catch (AggregateException)
            {
                // Cancelled, as asked.
            }
        }

        public void Dispose()
        {
            _full.Dispose();
            _stop.Dispose();
        }
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
