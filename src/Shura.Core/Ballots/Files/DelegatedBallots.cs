using System.Runtime.CompilerServices;
using System.Collections.Immutable;
using Shura.Core.Delegation;

namespace Shura.Core.Ballots.Files;

/// <remarks>
/// The hot loops are marked for full optimisation at their first call: the command line runs
/// them once, on a million lines, before tiered compilation would have optimised them.
/// </remarks>
/// <summary>
/// Ballots and delegations read from two files, for counting with delegation without a server:
/// <c>delegations.csv</c> has lines <c>truster,trustee</c>; <c>ballots.csv</c> has lines
/// <c>voter,first,second,…</c> (options best first; <c>A=B</c> ranks two equal). Either may start
/// with a header line (<c>truster,trustee</c> or <c>voter,…</c>). Members are every name in either
/// file; options are the labels that appear in rankings. A member in neither file did not vote. Both
/// files are CSV in the one dialect of every ballot file (<see cref="Csv"/>).
/// </summary>
public sealed class DelegatedBallots
{
    private readonly List<int> _voters;
    private readonly List<int> _starts;
    private readonly List<ushort> _entries;
    private readonly List<ushort> _ranks;
    private readonly List<int> _rankingOf;

    private readonly Func<int, string> _memberName;

    private DelegatedBallots(
        int memberCount, Func<int, string> memberName, ImmutableArray<string> options, int[] trustee, bool[] votes,
        List<int> voters, List<int> starts, List<ushort> entries, List<ushort> ranks, List<int> rankingOf)
    {
        _rankingOf = rankingOf;
        MemberCount = memberCount;
        _memberName = memberName;
        Options = options;
        Trustee = trustee;
        VotesDirectly = votes;
        _voters = voters;
        _starts = starts;
        _entries = entries;
        _ranks = ranks;
    }

    /// <summary>Everyone named in either file.</summary>
    public int MemberCount { get; }

    /// <summary>The name of member <paramref name="index"/>, as the files spell it.</summary>
    public string MemberName(int index) => _memberName(index);

    public ImmutableArray<string> Options { get; }

    public int[] Trustee { get; }

    public bool[] VotesDirectly { get; }

    /// <summary>Each direct voter's ballot, counted as many times as the members whose chains end there.</summary>
    /// <remarks>
    /// Identical rankings were grouped while reading; here each group only adds up its voters'
    /// weights, so a million ballots cost a million additions, not a million lookups.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public BallotBox Weighted(DelegationGraph graph)
    {
        var weights = new long[_starts.Count - 1];
        for (int b = 0; b < _voters.Count; b++)
        {
            weights[_rankingOf[b]] += graph.WeightOf(_voters[b]);
        }
        var builder = new BallotBoxBuilder(Options);
        var entries = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_entries);
        var ranks = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_ranks);
        for (int g = 0; g < weights.Length; g++)
        {
            if (weights[g] > 0)
            {
                int from = _starts[g], to = _starts[g + 1];
                builder.Add(entries[from..to], ranks[from..to], checked((int)weights[g]));
            }
        }
        return builder.Build();
    }

    /// <summary>Reads both files (UTF-8, as they are on disk), or names the file, line and column of the first thing wrong.</summary>
    /// <remarks>
    /// Two independent passes run side by side on two cores: one numbers the members (both
    /// files' names), the other reads the rankings of the ballots. When both find a problem, the
    /// one earlier in the files is reported.
    /// </remarks>
    public static (DelegatedBallots? Ballots, BallotFileError? Error) TryRead(
        ReadOnlyMemory<byte> delegations, string delegationsName, ReadOnlyMemory<byte> ballots, string ballotsName)
    {
        return NumberedMembers.TryRead(delegations, ballots) is { } quick
            ? Checked(quick, delegationsName, ballotsName)
            : TryReadAnyNames(AsArray(delegations), delegationsName, AsArray(ballots), ballotsName);
    }

    /// <summary>The bytes as an array: the one they are, or a copy (of a mapped file, say).</summary>
    private static byte[] AsArray(ReadOnlyMemory<byte> bytes) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var segment)
            && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToArray();

    /// <summary>The general reading, of every file <see cref="TryRead"/> takes: members named anyhow, ties, quotes, mistakes.</summary>
    internal static (DelegatedBallots? Ballots, BallotFileError? Error) TryReadAnyNames(
        byte[] delegations, string delegationsName, byte[] ballots, string ballotsName)
    {
        // Names are counted before they are read, so the table never has to grow.
        var members = new NameTable(Lines(delegations) + Lines(ballots), delegations, ballots);
        var trustees = new List<(int Truster, int Trustee)>();
        var voters = new List<int>();
        var membersPass = Task.Run(() => Catch(() => ReadMembers(delegations, ballots, members, trustees, voters)));
        var options = new NameTable(16, delegations, ballots);
        var starts = new List<int> { 0 };
        var entries = new List<ushort>();
        var ranks = new List<ushort>();
        var rankingOf = new List<int>();
        var rankingsFailure = Catch(() => ReadRankings(ballots, options, starts, entries, ranks, rankingOf));
        var membersFailure = membersPass.GetAwaiter().GetResult();

        var failure = new[] { membersFailure, rankingsFailure }
            .Where(f => f is not null)
            .OrderBy(f => f!.Value.InBallots)
            .ThenBy(f => f!.Value.Failure.Line)
            .FirstOrDefault();
        if (failure is { } f)
        {
            return (null, new BallotFileError(f.InBallots ? ballotsName : delegationsName, f.Failure.Line, f.Failure.Column, f.Failure.Message));
        }

        return Checked(
            new NumberedMembers.Reading(members.Count, members.NameOf, trustees, voters, [.. options.Names], starts, entries, ranks, rankingOf),
            delegationsName, ballotsName);
    }

    /// <summary>The ballots read, unless a member votes twice or delegates twice.</summary>
    private static (DelegatedBallots? Ballots, BallotFileError? Error) Checked(
        NumberedMembers.Reading read, string delegationsName, string ballotsName)
    {
        int n = read.MemberCount;
        var votes = new bool[n];
        foreach (int voter in read.Voters)
        {
            if (votes[voter])
            {
                return (null, new BallotFileError(ballotsName, 0, 0, $"\"{read.MemberName(voter)}\" has two ballots"));
            }
            votes[voter] = true;
        }
        var trustee = new int[n];
        Array.Fill(trustee, DelegationGraph.None);
        foreach (var (truster, target) in read.Trustees)
        {
            if (trustee[truster] != DelegationGraph.None)
            {
                return (null, new BallotFileError(delegationsName, 0, 0, $"\"{read.MemberName(truster)}\" delegates twice"));
            }
            trustee[truster] = target;
        }
        return (new DelegatedBallots(
            n, read.MemberName, read.Options, trustee, votes, read.Voters, read.Starts, read.Entries, read.Ranks, read.RankingOf), null);
    }

    /// <summary>Runs a pass; its failure, if any, with which file it was in.</summary>
    private static (bool InBallots, BallotFileFailure Failure)? Catch(Action pass)
    {
        try
        {
            pass();
            return null;
        }
        catch (BallotFileFailure failure)
        {
            return (failure.Data["ballots"] is true, failure);
        }
    }

    private static BallotFileFailure InBallots(BallotFileFailure failure)
    {
        failure.Data["ballots"] = true;
        return failure;
    }

    /// <summary>Numbers every member: trusters and trustees of the delegations, then the voters of the ballots.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadMembers(byte[] delegations, byte[] ballots, NameTable members, List<(int, int)> trustees, List<int> voters)
    {
        var fields = new List<Csv.Field>();
        foreach (var (recordStart, recordLength, lineNumber) in Csv.Records(delegations))
        {
            var record = delegations.AsSpan(recordStart, recordLength);
            Csv.Split(record, lineNumber, fields);
            if (lineNumber == 1 && IsWord(Field(record, fields[0]), "truster"u8))
            {
                continue;
            }
            if (fields.Count != 2 || Field(record, fields[0]).IsEmpty || Field(record, fields[1]).IsEmpty)
            {
                throw new BallotFileFailure(lineNumber, 1, "expected \"truster,trustee\"");
            }
            int truster = Name(members, 0, recordStart, record, fields[0]);
            int target = Name(members, 0, recordStart, record, fields[1]);
            if (truster == target)
            {
                var (line, column) = Csv.Position(record, lineNumber, fields[1].Opening);
                throw new BallotFileFailure(line, column, $"\"{members.NameOf(truster)}\" delegates to themselves");
            }
            trustees.Add((truster, target));
        }

        foreach (var (recordStart, recordLength, lineNumber) in Csv.Records(ballots))
        {
            var record = ballots.AsSpan(recordStart, recordLength);
            // Only the voter is wanted here: an unquoted one ends at the first comma.
            Csv.Field voter;
            if (record[0] == '"')
            {
                try
                {
                    Csv.Split(record, lineNumber, fields);
                }
                catch (BallotFileFailure failure)
                {
                    throw InBallots(failure);
                }
                voter = fields[0];
            }
            else
            {
                int comma = record.IndexOf((byte)',');
                voter = new Csv.Field(0, comma < 0 ? record.Length : comma, Quoted: false, Escaped: false);
            }
            if (lineNumber == 1 && IsWord(Field(record, voter), "voter"u8))
            {
                continue;
            }
            if (Field(record, voter).IsEmpty)
            {
                throw InBallots(new BallotFileFailure(lineNumber, 1, "expected a voter's name first"));
            }
            voters.Add(Name(members, 1, recordStart, record, voter));
        }
    }

    /// <summary>
    /// The number of the name in a field of a record that starts at <paramref name="recordStart"/> in
    /// text <paramref name="text"/>: kept as its place in the file, or as a copy of its own when it
    /// holds doubled quotes (whose text is not written anywhere in the file as it reads).
    /// </summary>
    private static int Name(NameTable names, int text, int recordStart, ReadOnlySpan<byte> record, Csv.Field field)
    {
        if (field.Escaped)
        {
            return names.AddCopy(Csv.Trim(Csv.Unescaped(record, field)));
        }
        var raw = Csv.Raw(record, field);
        int lead = raw.Length - Csv.TrimStart(raw).Length;
        return names.Add(text, recordStart + field.Start + lead, Csv.Trim(raw).Length);
    }

    /// <summary>
    /// Reads each ballot's ranking (the options after the voter, best first) and keeps each
    /// distinct ranking once: <paramref name="rankingOf"/> says which one each ballot has.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadRankings(byte[] ballots, NameTable options, List<int> starts, List<ushort> entries, List<ushort> ranks, List<int> rankingOf)
    {
        var fields = new List<Csv.Field>();
        var distinct = new Dictionary<(ulong, ulong, int), int>();
        foreach (var (recordStart, recordLength, lineNumber) in Csv.Records(ballots))
        {
            var record = ballots.AsSpan(recordStart, recordLength);
            try
            {
                Csv.Split(record, lineNumber, fields);
            }
            catch (BallotFileFailure failure)
            {
                throw InBallots(failure);
            }
            if ((lineNumber == 1 && IsWord(Field(record, fields[0]), "voter"u8)) || Field(record, fields[0]).IsEmpty)
            {
                continue; // the header, or a missing voter (reported by the members pass)
            }
            int first = entries.Count;
            ushort rank = 0;
            for (int f = 1; f < fields.Count; f++)
            {
                var field = fields[f];
                // A cell with doubled quotes is read from a copy; every other cell where it lies.
                var cell = field.Escaped ? Csv.Unescaped(record, field) : Csv.Raw(record, field);
                if (Csv.Trim(cell).IsEmpty)
                {
                    continue;
                }
                foreach (var part in cell.Split((byte)'='))
                {
                    var name = Csv.Trim(cell[part]);
                    int option = options.Find(name) is int known ? known
                        : field.Escaped ? options.AddCopy(name)
                        : options.Add(1, recordStart + field.Start + part.Start.Value + (cell[part].Length - Csv.TrimStart(cell[part]).Length), name.Length);
                    if (option >= BallotBox.MaxCandidates)
                    {
                        throw InBallots(Failure(record, lineNumber, field, "too many options"));
                    }
                    for (int e = first; e < entries.Count; e++)
                    {
                        if (entries[e] == option)
                        {
                            throw InBallots(Failure(record, lineNumber, field, $"option \"{Text(name)}\" appears twice in this ballot"));
                        }
                    }
                    entries.Add((ushort)option);
                    ranks.Add(rank);
                }
                rank++;
            }
            // Rankings of up to 8 options are keyed by their packed values; a new one is kept, a
            // known one is dropped again and referred to.
            int length = entries.Count - first;
            var key = length <= 8 ? Pack(entries, ranks, first, length) : (0, 0, -1);
            if (key.Item3 >= 0 && distinct.TryGetValue(key, out int seen))
            {
                entries.RemoveRange(first, length);
                ranks.RemoveRange(first, length);
                rankingOf.Add(seen);
                continue;
            }
            if (key.Item3 >= 0)
            {
                distinct[key] = starts.Count - 1;
            }
            rankingOf.Add(starts.Count - 1);
            starts.Add(entries.Count);
        }
    }

    private static (ulong, ulong, int) Pack(List<ushort> entries, List<ushort> ranks, int first, int length)
    {
        ulong a = 0, b = 0;
        for (int i = 0; i < length; i++)
        {
            a |= (ulong)entries[first + i] << (8 * i);
            b |= (ulong)ranks[first + i] << (8 * i);
            if (entries[first + i] > byte.MaxValue || ranks[first + i] > byte.MaxValue)
            {
                return (0, 0, -1);
            }
        }
        return (a, b, length);
    }

    private static int Lines(byte[] text) => text.AsSpan().Count((byte)'\n') + 1;

    private static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> record, Csv.Field field) => Csv.Trim(Csv.Raw(record, field));

    private static BallotFileFailure Failure(ReadOnlySpan<byte> record, int line, Csv.Field field, string message)
    {
        var (l, c) = Csv.Position(record, line, field.Opening);
        return new BallotFileFailure(l, c, message);
    }

    /// <summary>A header line is recognised by its first cell: exactly "truster" or "voter", in any case.</summary>
    private static bool IsWord(ReadOnlySpan<byte> cell, ReadOnlySpan<byte> word) => System.Text.Ascii.EqualsIgnoreCase(cell, word);

    private static string Text(ReadOnlySpan<byte> utf8) => System.Text.Encoding.UTF8.GetString(utf8);

    /// <summary>
    /// Names numbered in order of first appearance. A name is kept as a place in the file's text
    /// (which text, where, how long), not as a string of its own, and found through an
    /// open-addressing table of 4-byte slots (the name's number and a few bits of its hash) sized
    /// up front. A million members thus cost no million strings, a lookup allocates nothing, and the
    /// table stays small enough (about 8 MB) for the processor's address cache: at this size the
    /// cost of a lookup is where in memory it has to look, not the work it does there.
    /// </summary>
    private sealed class NameTable
    {
        private readonly List<byte[]> _texts;
        private readonly uint[] _slots; // 0 is empty; otherwise the name's number + 1 in the low bits, hash bits above
        private readonly int _mask;
        private readonly int _numberBits;
        private readonly uint _numberMask;
        private readonly int _capacity;
        private readonly List<(int Text, int Start, int Length)> _places;

        public NameTable(int capacity, params byte[][] texts)
        {
            _texts = [.. texts];
            _capacity = Math.Max(16, capacity);
            _numberBits = 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)_capacity + 1);
            _numberMask = _numberBits >= 32 ? uint.MaxValue : (1u << _numberBits) - 1;
            int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(_capacity + _capacity / 3 + 1));
            _slots = new uint[size];
            _mask = size - 1;
            _places = new(_capacity);
        }

        public int Count => _places.Count;

        /// <summary>For a short list (the options): a linear look among the few names, before hashing.</summary>
        public int? Find(ReadOnlySpan<byte> name)
        {
            if (_places.Count > 16)
            {
                return null;
            }
            for (int i = 0; i < _places.Count; i++)
            {
                var (t, s, l) = _places[i];
                if (l == name.Length && _texts[t].AsSpan(s, l).SequenceEqual(name))
                {
                    return i;
                }
            }
            return null;
        }

        public IEnumerable<string> Names => _places.Select((_, i) => NameOf(i));

        public string NameOf(int index) => Text(_texts[_places[index].Text].AsSpan(_places[index].Start, _places[index].Length));

        /// <summary>The number of the name at this place, numbering it if it is new.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int Add(int text, int start, int length) => Number(_texts[text].AsSpan(start, length), text, start);

        /// <summary>The number of a name that is not written as it reads in the files (it held doubled quotes): a new one keeps a copy.</summary>
        public int AddCopy(ReadOnlySpan<byte> name) => Number(name, text: -1, start: 0);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int Number(ReadOnlySpan<byte> name, int text, int start)
        {
            int hash = Hash(name);
            uint check = _numberBits >= 32 ? 0 : (uint)hash & ~_numberMask;
            for (int slot = (int)((uint)hash >> 7) & _mask; ; slot = (slot + 1) & _mask)
            {
                uint entry = _slots[slot];
                if (entry == 0)
                {
                    if (_places.Count >= _capacity)
                    {
                        throw new InvalidOperationException("The name table was sized for fewer names than the files hold.");
                    }
                    if (text < 0)
                    {
                        _texts.Add(name.ToArray());
                        text = _texts.Count - 1;
                    }
                    _places.Add((text, start, name.Length));
                    _slots[slot] = check | (uint)_places.Count;
                    return _places.Count - 1;
                }
                if ((entry & ~_numberMask) == check)
                {
                    int found = (int)(entry & _numberMask) - 1;
                    var (t, s, l) = _places[found];
                    if (l == name.Length && _texts[t].AsSpan(s, l).SequenceEqual(name))
                    {
                        return found;
                    }
                }
            }
        }

        /// <summary>xxHash32 over the name's bytes (with a seed drawn once per process).</summary>
        private static int Hash(ReadOnlySpan<byte> name)
        {
            var hash = new HashCode();
            hash.AddBytes(name);
            return hash.ToHashCode();
        }
    }
}
