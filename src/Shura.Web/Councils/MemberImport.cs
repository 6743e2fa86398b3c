using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Shura.Core.Accounts;

namespace Shura.Web.Councils;

/// <summary>One person to invite: a name to greet them by, and the address the invitation goes to.</summary>
public sealed record Invitee(string Name, string Email);

/// <summary>What is wrong with a list, and where: its line and column, counted from 1 as an editor shows them.</summary>
public sealed record ListProblem(int Line, int Column, string Message);

/// <summary>
/// A list of people to invite, as CSV (RFC 4180, read by CsvHelper): a header "name,email", then one
/// person per line. The whole list is checked before anyone is invited: one bad row and nobody is,
/// and the answer names its line and column.
/// </summary>
public static class MemberImport
{
    /// <summary>At most this many people in one list.</summary>
    public const int MaxPeople = 2000;

    public static (IReadOnlyList<Invitee>? People, ListProblem? Problem) Read(string text)
    {
        ListProblem? bad = null;
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = true,
            BadDataFound = found => bad ??= new ListProblem(found.Context.Parser!.RawRow, ColumnOf(found.RawRecord, found.Field),
                "a quote is out of place: a field with a quote must be wholly in quotes, its quotes doubled."),
        };
        using var parser = new CsvParser(new StringReader(text), configuration);
        if (!parser.Read() || parser.Record is not [var first, var second] || !Is(first, "name") || !Is(second, "email"))
        {
            return (null, new ListProblem(1, 1, "the first line must be the header: name,email"));
        }
        var people = new List<Invitee>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        while (parser.Read())
        {
            int line = parser.RawRow;
            if (bad is not null)
            {
                return (null, bad);
            }
            var record = parser.Record!;
            if (record is [""])
            {
                continue; // an empty line
            }
            if (record.Length != 2)
            {
                return (null, new ListProblem(line, Math.Min(record.Length, 2) + 1, $"each line has two fields, name and email; this one has {record.Length}."));
            }
            if (Core.Text.NameProblem(record[0], "name", 1, 100) is { } badName)
            {
                return (null, new ListProblem(line, 1, badName.Message));
            }
            if (!Registration.IsEmail(record[1]))
            {
                return (null, new ListProblem(line, 2, $"\"{record[1]}\" is not an e-mail address such as name@example.org."));
            }
            string email = Registration.NormalizeEmail(record[1]);
            if (seen.TryGetValue(email, out int earlier))
            {
                return (null, new ListProblem(line, 2, $"{email} is on line {earlier} already."));
            }
            seen[email] = line;
            if (people.Count == MaxPeople)
            {
                return (null, new ListProblem(line, 1, $"a list has at most {MaxPeople} people."));
            }
            people.Add(new Invitee(record[0].Trim(), email));
        }
        if (bad is not null)
        {
            return (null, bad);
        }
        return people.Count == 0 ? (null, new ListProblem(2, 1, "the list has nobody to invite: one line per person after the header.")) : (people, null);
    }

    /// <summary>The column of a field in its line: one more than the commas before it.</summary>
    private static int ColumnOf(string line, string field)
    {
        int at = line.IndexOf(field, StringComparison.Ordinal);
        return 1 + (at < 0 ? 0 : line[..at].Count(c => c == ','));
    }

    private static bool Is(string field, string name) => string.Equals(field.Trim().TrimStart('\uFEFF'), name, StringComparison.OrdinalIgnoreCase);
}
