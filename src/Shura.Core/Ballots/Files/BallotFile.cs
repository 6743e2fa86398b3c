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
