using System.Text;

namespace Shura.Core.Ballots.Files;

/// <summary>One CSV field with the line and column where it starts.</summary>
internal readonly record struct CsvField(string Text, int Line, int Column)
{
    public string Trimmed => Text.Trim();
}

/// <summary>
/// Splits RFC 4180 CSV into records: fields separated by commas, records by LF or CRLF; a field
/// in double quotes may hold commas, line breaks and doubled quotes. Blank lines are skipped.
/// </summary>
internal static class CsvRecords
{
    public static IEnumerable<List<CsvField>> Read(TextReader reader)
    {
        int line = 1, column = 1;
        var record = new List<CsvField>();
        var text = new StringBuilder();
        int fieldLine = 1, fieldColumn = 1;
        bool quoted = false, wasQuoted = false, any = false;

        while (true)
        {
            int c = reader.Read();
            if (quoted)
            {
                if (c < 0)
                {
                    throw new BallotFileFailure(fieldLine, fieldColumn, "this quoted field is never closed; expected '\"'");
                }
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        text.Append('"');
                        column += 2;
                        continue;
                    }
                    quoted = false;
                    column++;
                    continue;
                }
                text.Append((char)c);
                if (c == '\n')
                {
                    line++;
                    column = 1;
                }
                else
                {
                    column++;
                }
                continue;
            }

            if (c == '"' && text.Length == 0 && !wasQuoted)
            {
                quoted = wasQuoted = any = true;
                column++;
                continue;
            }
            if (c == ',' )
            {
                record.Add(new CsvField(text.ToString(), fieldLine, fieldColumn));
                text.Clear();
                wasQuoted = false;
                any = true;
                column++;
                fieldLine = line;
                fieldColumn = column;
                continue;
            }
            if (c == '\r' && reader.Peek() == '\n')
            {
                continue;
            }
            if (c == '\n' || c < 0)
            {
                if (any || text.Length > 0)
                {
                    record.Add(new CsvField(text.ToString(), fieldLine, fieldColumn));
                    yield return record;
                    record = [];
                }
                if (c < 0)
                {
                    yield break;
                }
                text.Clear();
                wasQuoted = any = false;
                line++;
                column = 1;
                fieldLine = line;
                fieldColumn = 1;
                continue;
            }
            if (wasQuoted)
            {
                throw new BallotFileFailure(line, column, $"unexpected '{(char)c}' after a closing quote; expected ',' or the end of the line");
            }
            text.Append((char)c);
            any = true;
            column++;
        }
    }
}
