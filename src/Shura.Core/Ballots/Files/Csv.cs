using System.Runtime.CompilerServices;
using System.Text;

namespace Shura.Core.Ballots.Files;

/// <summary>
/// The one CSV dialect of every ballot file (RFC 4180), read from UTF-8 bytes where they lie: fields
/// separated by commas, records by LF or CRLF, a byte order mark ignored, blank records skipped. A
/// field that starts with a double quote runs to the closing quote and may hold commas, line breaks
/// and doubled quotes (<c>""</c> for one); anything but a comma or the end of the record after the
/// closing quote is an error. A quote inside an unquoted field is an ordinary character.
/// Both the ballot files of <c>shura tally</c> (<see cref="CsvRecords"/>) and the delegated ballot
/// files (<see cref="DelegatedBallots"/>) read through it, so one file means the same to both.
/// </summary>
/// <remarks>
/// Records without a quote, nearly all of them, are found by one vectorised search for the line
/// break; only a record holding a quote is walked field by field.
/// </remarks>
internal static class Csv
{
    /// <summary>A field of a record: where its text lies in the record (inside the quotes if it is quoted), and whether it holds doubled quotes.</summary>
    public readonly record struct Field(int Start, int Length, bool Quoted, bool Escaped)
    {
        /// <summary>Where the field begins in its record: its opening quote, if it has one.</summary>
        public int Opening => Quoted ? Start - 1 : Start;
    }

    /// <summary>Start and length (without the line break) of each record, and the line it starts on.</summary>
    public static IEnumerable<(int Start, int Length, int Line)> Records(byte[] text)
    {
        int start = text.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        int line = 1;
        while (start < text.Length)
        {
            int end = RecordEnd(text, start, out int breaks);
            int length = end - start;
            if (length > 0 && text[end - 1] == '\r')
            {
                length--;
            }
            if (length > 0)
            {
                yield return (start, length, line);
            }
            line += breaks + 1;
            start = end + 1;
        }
    }

    /// <summary>Where the record that starts at <paramref name="start"/> ends: its line break (or the end of the text), passing over breaks inside quotes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int RecordEnd(byte[] text, int start, out int breaks)
    {
        breaks = 0;
        var rest = text.AsSpan(start);
        int lineBreak = rest.IndexOf((byte)'\n');
        var line = lineBreak < 0 ? rest : rest[..lineBreak];
        if (line.IndexOf((byte)'"') < 0)
        {
            return lineBreak < 0 ? text.Length : start + lineBreak;
        }
        // A quote somewhere: walk the fields, since only a quote that opens a field quotes.
        int i = 0;
        while (true)
        {
            if (i < rest.Length && rest[i] == '"')
            {
                i++;
                while (true)
                {
                    int quote = rest[i..].IndexOf((byte)'"');
                    if (quote < 0)
                    {
                        breaks += rest[i..].Count((byte)'\n');
                        return text.Length; // never closed: the split says so, with the place
                    }
                    breaks += rest.Slice(i, quote).Count((byte)'\n');
                    i += quote + 1;
                    if (i < rest.Length && rest[i] == '"')
                    {
                        i++;
                        continue;
                    }
                    break;
                }
            }
            int stop = rest[i..].IndexOfAny((byte)',', (byte)'\n');
            if (stop < 0)
            {
                return text.Length;
            }
            i += stop;
            if (rest[i] == '\n')
            {
                return start + i;
            }
            i++; // past the comma
        }
    }

    /// <summary>Splits one record, which starts on <paramref name="line"/>, into its fields.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Split(ReadOnlySpan<byte> record, int line, List<Field> fields)
    {
        fields.Clear();
        int i = 0;
        while (true)
        {
            if (i < record.Length && record[i] == '"')
            {
                int open = i;
                bool escaped = false;
                int j = i + 1;
                while (true)
                {
                    int quote = record[j..].IndexOf((byte)'"');
                    if (quote < 0)
                    {
                        var (l, c) = Position(record, line, open);
                        throw new BallotFileFailure(l, c, "this quoted field is never closed; expected '\"'");
                    }
                    j += quote;
                    if (j + 1 < record.Length && record[j + 1] == '"')
                    {
                        escaped = true;
                        j += 2;
                        continue;
                    }
                    break;
                }
                fields.Add(new Field(open + 1, j - open - 1, Quoted: true, escaped));
                i = j + 1;
                if (i < record.Length && record[i] != ',')
                {
                    var (l, c) = Position(record, line, i);
                    Rune.DecodeFromUtf8(record[i..], out var found, out _);
                    throw new BallotFileFailure(l, c, $"unexpected '{found}' after a closing quote; expected ',' or the end of the line");
                }
            }
            else
            {
                int comma = record[i..].IndexOf((byte)',');
                int end = comma < 0 ? record.Length : i + comma;
                fields.Add(new Field(i, end - i, Quoted: false, Escaped: false));
                i = end;
            }
            if (i >= record.Length)
            {
                return;
            }
            i++; // past the comma
        }
    }

    /// <summary>A field's raw bytes: its text as written, doubled quotes still doubled.</summary>
    public static ReadOnlySpan<byte> Raw(ReadOnlySpan<byte> record, Field field) => record.Slice(field.Start, field.Length);

    /// <summary>A field's text: doubled quotes read as one.</summary>
    public static string Text(ReadOnlySpan<byte> record, Field field)
    {
        string text = Encoding.UTF8.GetString(Raw(record, field));
        return field.Escaped ? text.Replace("\"\"", "\"", StringComparison.Ordinal) : text;
    }

    /// <summary>A field's bytes as read (doubled quotes as one), copied only when it holds doubled quotes.</summary>
    public static ReadOnlySpan<byte> Unescaped(ReadOnlySpan<byte> record, Field field) =>
        field.Escaped ? Encoding.UTF8.GetBytes(Text(record, field)) : Raw(record, field);

    /// <summary>Whitespace trimmed from both ends, as <see cref="string.Trim()"/> trims it.</summary>
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text) => TrimEnd(TrimStart(text));

    public static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> text)
    {
        while (!text.IsEmpty)
        {
            if (text[0] < 0x80)
            {
                if (!IsAsciiSpace(text[0]))
                {
                    return text;
                }
                text = text[1..];
                continue;
            }
            if (Rune.DecodeFromUtf8(text, out var rune, out int size) != System.Buffers.OperationStatus.Done || !Rune.IsWhiteSpace(rune))
            {
                return text;
            }
            text = text[size..];
        }
        return text;
    }

    public static ReadOnlySpan<byte> TrimEnd(ReadOnlySpan<byte> text)
    {
        while (!text.IsEmpty)
        {
            if (text[^1] < 0x80)
            {
                if (!IsAsciiSpace(text[^1]))
                {
                    return text;
                }
                text = text[..^1];
                continue;
            }
            if (Rune.DecodeLastFromUtf8(text, out var rune, out int size) != System.Buffers.OperationStatus.Done || !Rune.IsWhiteSpace(rune))
            {
                return text;
            }
            text = text[..^size];
        }
        return text;
    }

    private static bool IsAsciiSpace(byte b) => b == ' ' || (b >= '\t' && b <= '\r');

    /// <summary>The line and 1-based column (in characters) of byte <paramref name="offset"/> of a record that starts on <paramref name="line"/>.</summary>
    public static (int Line, int Column) Position(ReadOnlySpan<byte> record, int line, int offset)
    {
        var before = record[..offset];
        int lastBreak = before.LastIndexOf((byte)'\n');
        return (line + before.Count((byte)'\n'), Encoding.UTF8.GetCharCount(before[(lastBreak + 1)..]) + 1);
    }
}
