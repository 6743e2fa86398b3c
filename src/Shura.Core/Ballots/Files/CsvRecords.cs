using System.Text;

namespace Shura.Core.Ballots.Files;

/// <summary>One CSV field with the line and column where it starts.</summary>
internal readonly record struct CsvField(string Text, int Line, int Column)
{
    public string Trimmed => Text.Trim();
}

/// <summary>The records of a CSV ballot file as text fields with their places, in the dialect of <see cref="Csv"/>.</summary>
internal static class CsvRecords
{
    public static IEnumerable<List<CsvField>> Read(TextReader reader)
    {
        byte[] text = Encoding.UTF8.GetBytes(reader.ReadToEnd());
        var fields = new List<Csv.Field>();
        foreach (var (start, length, line) in Csv.Records(text))
        {
            yield return Fields(text.AsSpan(start, length), line, fields);
        }
    }

    private static List<CsvField> Fields(ReadOnlySpan<byte> record, int line, List<Csv.Field> fields)
    {
        Csv.Split(record, line, fields);
        var read = new List<CsvField>(fields.Count);
        foreach (var field in fields)
        {
            var (l, c) = Csv.Position(record, line, field.Opening);
            read.Add(new CsvField(Csv.Text(record, field), l, c));
        }
        return read;
    }
}
