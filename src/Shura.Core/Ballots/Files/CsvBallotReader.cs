using System.Collections.Immutable;
using System.Globalization;

namespace Shura.Core.Ballots.Files;

/// <summary>
/// Reads ballots from CSV. The shape follows the kind of ballot the method counts.
/// </summary>
/// <remarks>
/// <para><b>Rankings</b> (and approvals): one ballot per line, candidate names best first, e.g.
/// <c>Alice,Bob,Carol</c>. <c>Bob=Carol</c> in one cell ranks them equal. Empty cells are skipped.
/// Candidates are the names that appear, in order of first appearance. An optional first line whose
/// first cell is <c>count</c> (or <c>rank 1</c>, <c>rank1</c>, <c>voter</c>) is a header; with
/// <c>count</c>, every line starts with how many voters cast that ballot.</para>
/// <para><b>Scores</b>: a header naming the candidates (optionally after a <c>count</c> column), then
/// one line per ballot with a score from 0 to 5 per candidate; an empty cell scores 0.</para>
/// <para><b>Choices</b>: one ballot per line, <c>yes</c>, <c>no</c> or <c>abstain</c>; an optional
/// header (<c>choice</c> or <c>count,choice</c>) as for rankings.</para>
/// Lines whose cells are all empty are skipped.
/// </remarks>
internal static class CsvBallotReader
{
    public static BallotFile Read(TextReader reader, string source, BallotKind kind)
    {
        var records = CsvRecords.Read(reader)
            .Where(r => r.Exists(f => f.Trimmed.Length > 0))
            .GetEnumerator();
        if (!records.MoveNext())
        {
            throw new BallotFileFailure(0, 0, "the file is empty; expected one ballot per line");
        }
        return kind switch
        {
            BallotKind.Rankings => ReadRankings(records, source),
            BallotKind.Scores => ReadScores(records, source),
            _ => ReadChoices(records, source),
        };
    }

    private static bool IsHeader(List<CsvField> record, out bool counted, params string[] names)
    {
        string first = record[0].Trimmed;
        counted = first.Equals("count", StringComparison.OrdinalIgnoreCase);
        return counted || names.Any(n => first.Equals(n, StringComparison.OrdinalIgnoreCase));
    }

    private static BallotFile ReadRankings(IEnumerator<List<CsvField>> records, string source)
    {
        bool header = IsHeader(records.Current, out bool counted, "rank 1", "rank1", "voter");
        if (header && !records.MoveNext())
        {
            throw new BallotFileFailure(0, 0, "the file has a header but no ballots");
        }

        var names = new List<string>();
        var index = new Dictionary<string, ushort>(StringComparer.Ordinal);
        var ballots = new List<(ushort[] Ranking, ushort[] Ranks, int Count)>();
        var ranking = new List<ushort>();
        var ranks = new List<ushort>();
        var columnOf = new Dictionary<ushort, int>();
        do
        {
            var record = records.Current;
            int count = counted ? ReadCount(record[0]) : 1;
            ranking.Clear();
            ranks.Clear();
            columnOf.Clear();
            ushort rank = 0;
            foreach (var field in record.Skip(counted ? 1 : 0))
            {
                if (field.Trimmed.Length == 0)
                {
                    continue;
                }
                foreach (string part in field.Trimmed.Split('='))
                {
                    string name = part.Trim();
                    if (name.Length == 0)
                    {
                        throw new BallotFileFailure(field.Line, field.Column,
                            $"\"{field.Trimmed}\" has an empty name; write equal candidates as \"Alice=Bob\"");
                    }
                    if (!index.TryGetValue(name, out ushort c))
                    {
                        if (names.Count == BallotBox.MaxCandidates)
                        {
                            throw new BallotFileFailure(field.Line, field.Column,
                                $"more than {BallotBox.MaxCandidates} candidates");
                        }
                        c = (ushort)names.Count;
                        index[name] = c;
                        names.Add(name);
                    }
                    if (columnOf.TryGetValue(c, out int first))
                    {
                        throw new BallotFileFailure(field.Line, field.Column,
                            $"candidate \"{name}\" appears twice in this ballot (first at column {first})");
                    }
                    columnOf[c] = field.Column;
                    ranking.Add(c);
                    ranks.Add(rank);
                }
                rank++;
            }
            ballots.Add(([.. ranking], [.. ranks], count));
        }
        while (records.MoveNext());

        var builder = new BallotBoxBuilder([.. names]);
        foreach (var (r, k, n) in ballots)
        {
            builder.Add(r, k, n);
        }
        return new RankedBallotFile(source, builder.Build());
    }

    private static BallotFile ReadScores(IEnumerator<List<CsvField>> records, string source)
    {
        var head = records.Current;
        bool counted = head[0].Trimmed.Equals("count", StringComparison.OrdinalIgnoreCase);
        var nameFields = head.Skip(counted ? 1 : 0).ToList();
        var names = new List<string>();
        foreach (var field in nameFields)
        {
            string name = field.Trimmed;
            if (name.Length == 0)
            {
                throw new BallotFileFailure(field.Line, field.Column,
                    "empty candidate name; score ballots start with a header naming the candidates");
            }
            int first = names.IndexOf(name);
            if (first >= 0)
            {
                throw new BallotFileFailure(field.Line, field.Column,
                    $"candidate \"{name}\" is named twice in the header (first at column {nameFields[first].Column})");
            }
            if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw new BallotFileFailure(field.Line, field.Column,
                    $"\"{name}\" looks like a score; score ballots start with a header naming the candidates");
            }
            names.Add(name);
        }

        var builder = new ScoreBallots.Builder([.. names]);
        var scores = new byte[names.Count];
        int expected = head.Count;
        while (records.MoveNext())
        {
            var record = records.Current;
            if (record.Count != expected)
            {
                var last = record[^1];
                throw new BallotFileFailure(last.Line, last.Column,
                    $"this line has {record.Count} cells, but the header has {expected}");
            }
            int count = counted ? ReadCount(record[0]) : 1;
            for (int c = 0; c < names.Count; c++)
            {
                var field = record[c + (counted ? 1 : 0)];
                string text = field.Trimmed;
                if (text.Length == 0)
                {
                    scores[c] = 0;
                }
                else if (byte.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out byte score)
                    && score <= ScoreBallots.MaxScore)
                {
                    scores[c] = score;
                }
                else
                {
                    throw new BallotFileFailure(field.Line, field.Column,
                        $"score \"{text}\" for {names[c]} is not a whole number from 0 to {ScoreBallots.MaxScore}");
                }
            }
            builder.Add(scores, count);
        }
        return new ScoreBallotFile(source, builder.Build());
    }

    private static BallotFile ReadChoices(IEnumerator<List<CsvField>> records, string source)
    {
        bool header = IsHeader(records.Current, out bool counted, "choice");
        var ballots = new DecisionBallots();
        bool more = !header || records.MoveNext();
        for (; more; more = records.MoveNext())
        {
            var record = records.Current;
            var cells = record.Where(f => f.Trimmed.Length > 0).ToList();
            int expected = counted ? 2 : 1;
            if (cells.Count != expected)
            {
                var at = cells.Count > expected ? cells[expected] : record[0];
                throw new BallotFileFailure(at.Line, at.Column,
                    counted ? "expected \"count,choice\" such as \"12,yes\"" : "expected one choice: yes, no or abstain");
            }
            int count = counted ? ReadCount(cells[0]) : 1;
            var field = cells[^1];
            if (!DecisionBallots.TryParseChoice(field.Trimmed, out var choice))
            {
                throw new BallotFileFailure(field.Line, field.Column,
                    $"\"{field.Trimmed}\" is not a choice; expected yes, no or abstain");
            }
            ballots = ballots.Add(choice, count);
        }
        return new DecisionBallotFile(source, ballots);
    }

    private static int ReadCount(CsvField field)
    {
        if (!int.TryParse(field.Trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count < 1)
        {
            throw new BallotFileFailure(field.Line, field.Column,
                $"count \"{field.Trimmed}\" is not a whole number of at least 1");
        }
        return count;
    }
}
