using System.Collections.Immutable;

namespace Shura.Core.Ballots.Files;

/// <summary>The kind of ballot a counting method reads.</summary>
public enum BallotKind
{
    /// <summary>Ranked ballots (also read by approval, which approves every candidate named).</summary>
    Rankings,

    /// <summary>Scores from 0 to 5 for each candidate.</summary>
    Scores,

    /// <summary>Yes, no or abstain.</summary>
    Choices,
}

/// <summary>The ballot file formats the tally engine reads.</summary>
public enum BallotFormat
{
    /// <summary>PrefLib .soc, .soi, .toc and .toi.</summary>
    PrefLib,
    Csv,
    Json,
}

/// <summary>Ballots read from a file, with the file's name for messages.</summary>
public abstract record BallotFile(string Source)
{
    public abstract ImmutableArray<string> Candidates { get; }
}

public sealed record RankedBallotFile(string Source, BallotBox Ballots) : BallotFile(Source)
{
    public override ImmutableArray<string> Candidates => Ballots.Candidates;
}

public sealed record ScoreBallotFile(string Source, ScoreBallots Ballots) : BallotFile(Source)
{
    public override ImmutableArray<string> Candidates => Ballots.Candidates;
}

public sealed record DecisionBallotFile(string Source, DecisionBallots Ballots) : BallotFile(Source)
{
    public override ImmutableArray<string> Candidates => ["yes", "no", "abstain"];
}

/// <summary>
/// What is wrong with a ballot file, and where: 1-based line and column (0 when the problem is the
/// file as a whole).
/// </summary>
public sealed record BallotFileError(string Source, int Line, int Column, string Message)
{
    public override string ToString() =>
        Line > 0 ? $"{Source}:{Line}:{Column}: {Message}" : $"{Source}: {Message}";
}

/// <summary>Either the ballots of a file, or the first thing wrong with it.</summary>
public sealed record BallotFileReading(BallotFile? File, BallotFileError? Error)
{
    public static BallotFileReading Read(BallotFile file) => new(file, null);

    public static BallotFileReading Failed(BallotFileError error) => new(null, error);
}

/// <summary>Raised inside a reader to leave deep parsing code at the first error; never escapes a reader.</summary>
internal sealed class BallotFileFailure(int line, int column, string message) : Exception(message)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}

/// <summary>Picks the reader for a file by its name and reads it.</summary>
public static class BallotFiles
{
    /// <summary>The format a file name implies, or null when its extension is not one the engine reads.</summary>
    public static BallotFormat? FormatOf(string path) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".soc" or ".soi" or ".toc" or ".toi" => BallotFormat.PrefLib,
            ".csv" => BallotFormat.Csv,
            ".json" => BallotFormat.Json,
            _ => null,
        };

    public const string KnownExtensions = ".soc, .soi, .toc, .toi, .csv or .json";

    /// <summary>
    /// Reads ballots of <paramref name="kind"/> in <paramref name="format"/> from a file's bytes
    /// (UTF-8), reporting how far it got to <paramref name="position"/>: PrefLib files straight from
    /// the bytes, on every core, the others through their text.
    /// </summary>
    public static BallotFileReading Read(
        ReadOnlyMemory<byte> bytes, string source, BallotFormat format, BallotKind kind, ReadingPosition? position = null)
    {
        if (format != BallotFormat.PrefLib)
        {
            using var stream = new ReadingStream(bytes, position);
            using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
            return Read(reader, source, format, kind);
        }
        try
        {
            return BallotFileReading.Read(PrefLibReader.Read(bytes, source, kind, position));
        }
        catch (BallotFileFailure failure)
        {
            return BallotFileReading.Failed(new BallotFileError(source, failure.Line, failure.Column, failure.Message));
        }
    }

    /// <summary>Reads ballots of <paramref name="kind"/> in <paramref name="format"/>.</summary>
    public static BallotFileReading Read(TextReader reader, string source, BallotFormat format, BallotKind kind)
    {
        try
        {
            BallotFile file = format switch
            {
                BallotFormat.PrefLib => PrefLibReader.Read(reader, source, kind),
                BallotFormat.Csv => CsvBallotReader.Read(reader, source, kind),
                BallotFormat.Json => JsonBallotReader.Read(reader, source, kind),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown format."),
            };
            return BallotFileReading.Read(file);
        }
        catch (BallotFileFailure failure)
        {
            return BallotFileReading.Failed(new BallotFileError(source, failure.Line, failure.Column, failure.Message));
        }
    }
}

/// <summary>How far the reading of a file has got, in bytes: for a progress display on another thread.</summary>
public sealed class ReadingPosition
{
    private long _bytes;

    public long Bytes => Volatile.Read(ref _bytes);

    internal void Advance(long bytes) => Interlocked.Add(ref _bytes, bytes);
}

/// <summary>A file's bytes as a stream that reports each read to a <see cref="ReadingPosition"/>.</summary>
internal sealed class ReadingStream(ReadOnlyMemory<byte> bytes, ReadingPosition? position) : Stream
{
    private int _at;

    public override int Read(Span<byte> buffer)
    {
        int n = Math.Min(buffer.Length, bytes.Length - _at);
        bytes.Span.Slice(_at, n).CopyTo(buffer);
        _at += n;
        position?.Advance(n);
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => bytes.Length;
    public override long Position { get => _at; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
