using System.Text;
using System.Text.Json;

namespace Shura.Core.Ballots.Files;

/// <summary>
/// Reads ballots from JSON, in the same shapes the HTTP API takes them.
/// </summary>
/// <remarks>
/// The file is an object <c>{"candidates": [...], "ballots": [...]}</c> (candidates optional) or
/// just the array of ballots. Each ballot is an object with an optional <c>count</c> (voters who
/// cast it, default 1) and exactly one of:
/// <list type="bullet">
/// <item><c>"ranking": ["Alice", ["Bob", "Carol"], "Dan"]</c> — best first; an inner array ranks its
/// candidates equal;</item>
/// <item><c>"approvals": ["Alice", "Carol"]</c>;</item>
/// <item><c>"scores": {"Alice": 5, "Bob": 2}</c> — 0 to 5, missing candidates score 0;</item>
/// <item><c>"choice": "yes"</c> — or "no", "abstain".</item>
/// </list>
/// All ballots of a file are of one kind. When <c>candidates</c> is given, ballots may name only
/// those; otherwise the candidates are the names that appear, in order of first appearance.
/// Errors give the line and column of the offending token.
/// </remarks>
internal static class JsonBallotReader
{
    private enum Shape
    {
        None,
        Ranking,
        Approvals,
        Scores,
        Choice,
    }

    private readonly record struct Mark(string Name, int Rank, long Offset);

    private sealed class Ballot
    {
        public int Count = 1;
        public Shape Shape;
        public long Offset;
        public readonly List<Mark> Marks = [];
        public Choice Choice;
    }

    public static BallotFile Read(TextReader reader, string source, BallotKind kind)
    {
        var bytes = Encoding.UTF8.GetBytes(reader.ReadToEnd());
        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new BallotFileFailure(0, 0, "the file is empty; expected {\"ballots\": [...]}");
        }
        try
        {
            return Parse(bytes, source, kind);
        }
        catch (JsonException e)
        {
            throw new BallotFileFailure((int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1,
                "not valid JSON: " + FirstSentence(e.Message));
        }
    }

    private static BallotFile Parse(byte[] bytes, string source, BallotKind kind)
    {
        var json = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        List<(string Name, long Offset)>? declared = null;
        List<Ballot>? ballots = null;
        json.Read();
        if (json.TokenType == JsonTokenType.StartArray)
        {
            ballots = ReadBallots(ref json, bytes);
        }
        else if (json.TokenType == JsonTokenType.StartObject)
        {
            while (Next(ref json, bytes) != JsonTokenType.EndObject)
            {
                string key = json.GetString()!;
                long at = json.TokenStartIndex;
                Next(ref json, bytes);
                switch (key)
                {
                    case "candidates":
                        declared = ReadNames(ref json, bytes, "candidates");
                        break;
                    case "ballots":
                        if (json.TokenType != JsonTokenType.StartArray)
                        {
                            Fail(bytes, json.TokenStartIndex, "\"ballots\" must be an array of ballot objects");
                        }
                        ballots = ReadBallots(ref json, bytes);
                        break;
                    default:
                        Fail(bytes, at, $"unknown key \"{key}\"; expected \"candidates\" or \"ballots\"");
                        break;
                }
            }
        }
        else
        {
            Fail(bytes, json.TokenStartIndex, "expected an object {\"ballots\": [...]} or an array of ballots");
        }
        if (ballots is null)
        {
            Fail(bytes, 0, "no \"ballots\" array");
        }
        return Build(source, kind, bytes, declared, ballots!);
    }

    private static List<Ballot> ReadBallots(ref Utf8JsonReader json, byte[] bytes)
    {
        var ballots = new List<Ballot>();
        var shape = Shape.None;
        while (Next(ref json, bytes) != JsonTokenType.EndArray)
        {
            if (json.TokenType != JsonTokenType.StartObject)
            {
                Fail(bytes, json.TokenStartIndex, "expected a ballot object such as {\"ranking\": [\"Alice\", \"Bob\"]}");
            }
            var ballot = new Ballot { Offset = json.TokenStartIndex };
            while (Next(ref json, bytes) != JsonTokenType.EndObject)
            {
                string key = json.GetString()!;
                long at = json.TokenStartIndex;
                Next(ref json, bytes);
                var keyShape = key switch
                {
                    "ranking" => Shape.Ranking,
                    "approvals" => Shape.Approvals,
                    "scores" => Shape.Scores,
                    "choice" => Shape.Choice,
                    _ => Shape.None,
                };
                if (key == "count")
                {
                    if (json.TokenType != JsonTokenType.Number || !json.TryGetInt32(out ballot.Count) || ballot.Count < 1)
                    {
                        Fail(bytes, json.TokenStartIndex, "\"count\" must be a whole number of at least 1");
                    }
                    continue;
                }
                if (keyShape == Shape.None)
                {
                    Fail(bytes, at, $"unknown key \"{key}\"; a ballot has \"count\" and one of \"ranking\", \"approvals\", \"scores\", \"choice\"");
                }
                if (ballot.Shape != Shape.None)
                {
                    Fail(bytes, at, $"a ballot has only one of \"ranking\", \"approvals\", \"scores\" or \"choice\"");
                }
                if (shape != Shape.None && keyShape != shape)
                {
                    Fail(bytes, at, $"this ballot has \"{key}\", but earlier ballots have \"{Key(shape)}\"; all ballots of a file are of one kind");
                }
                ballot.Shape = shape = keyShape;
                ReadContent(ref json, bytes, ballot);
            }
            if (ballot.Shape == Shape.None)
            {
                Fail(bytes, ballot.Offset, "this ballot has none of \"ranking\", \"approvals\", \"scores\" or \"choice\"");
            }
            ballots.Add(ballot);
        }
        return ballots;
    }

    private static void ReadContent(ref Utf8JsonReader json, byte[] bytes, Ballot ballot)
    {
        switch (ballot.Shape)
        {
            case Shape.Ranking:
                Expect(ref json, bytes, JsonTokenType.StartArray, "\"ranking\" must be an array of names, best first");
                int rank = 0;
                while (Next(ref json, bytes) != JsonTokenType.EndArray)
                {
                    if (json.TokenType == JsonTokenType.StartArray)
                    {
                        long open = json.TokenStartIndex;
                        var group = ReadNames(ref json, bytes, "a tie group");
                        if (group.Count == 0)
                        {
                            Fail(bytes, open, "an empty tie group []");
                        }
                        ballot.Marks.AddRange(group.Select(g => new Mark(g.Name, rank, g.Offset)));
                    }
                    else
                    {
                        Expect(ref json, bytes, JsonTokenType.String, "expected a candidate name or an array of names ranked equal");
                        ballot.Marks.Add(new Mark(json.GetString()!, rank, json.TokenStartIndex));
                    }
                    rank++;
                }
                break;
            case Shape.Approvals:
                ballot.Marks.AddRange(ReadNames(ref json, bytes, "\"approvals\"").Select(n => new Mark(n.Name, 0, n.Offset)));
                break;
            case Shape.Scores:
                Expect(ref json, bytes, JsonTokenType.StartObject, "\"scores\" must be an object such as {\"Alice\": 5, \"Bob\": 2}");
                while (Next(ref json, bytes) != JsonTokenType.EndObject)
                {
                    string name = json.GetString()!;
                    long at = json.TokenStartIndex;
                    Next(ref json, bytes);
                    if (json.TokenType != JsonTokenType.Number || !json.TryGetInt32(out int score) || score is < 0 or > ScoreBallots.MaxScore)
                    {
                        Fail(bytes, json.TokenStartIndex, $"the score of \"{name}\" must be a whole number from 0 to {ScoreBallots.MaxScore}");
                        return;
                    }
                    ballot.Marks.Add(new Mark(name, score, at));
                }
                break;
            case Shape.Choice:
                Expect(ref json, bytes, JsonTokenType.String, "\"choice\" must be \"yes\", \"no\" or \"abstain\"");
                if (!DecisionBallots.TryParseChoice(json.GetString(), out ballot.Choice))
                {
                    Fail(bytes, json.TokenStartIndex, $"\"{json.GetString()}\" is not a choice; expected \"yes\", \"no\" or \"abstain\"");
                }
                break;
        }
    }

    private static List<(string Name, long Offset)> ReadNames(ref Utf8JsonReader json, byte[] bytes, string what)
    {
        Expect(ref json, bytes, JsonTokenType.StartArray, $"{what} must be an array of names");
        var names = new List<(string, long)>();
        while (Next(ref json, bytes) != JsonTokenType.EndArray)
        {
            Expect(ref json, bytes, JsonTokenType.String, $"{what} must hold candidate names (strings)");
            names.Add((json.GetString()!, json.TokenStartIndex));
        }
        return names;
    }

    private static BallotFile Build(
        string source, BallotKind kind, byte[] bytes, List<(string Name, long Offset)>? declared, List<Ballot> ballots)
    {
        var shape = ballots.Count > 0 ? ballots[0].Shape : ShapeOf(kind);
        bool fits = kind switch
        {
            BallotKind.Rankings => shape is Shape.Ranking or Shape.Approvals,
            BallotKind.Scores => shape == Shape.Scores,
            _ => shape == Shape.Choice,
        };
        if (!fits)
        {
            Fail(bytes, ballots[0].Offset,
                $"the ballots hold \"{Key(shape)}\", but this method counts {PrefLibReader.Describe(kind)}");
        }

        if (shape == Shape.Choice)
        {
            var counted = new DecisionBallots();
            foreach (var ballot in ballots)
            {
                counted = counted.Add(ballot.Choice, ballot.Count);
            }
            return new DecisionBallotFile(source, counted);
        }

        var names = new List<string>();
        var index = new Dictionary<string, ushort>(StringComparer.Ordinal);
        if (declared is not null)
        {
            foreach (var (name, offset) in declared)
            {
                if (!index.TryAdd(name, (ushort)names.Count))
                {
                    Fail(bytes, offset, $"candidate \"{name}\" is listed twice in \"candidates\"");
                }
                names.Add(name);
            }
        }
        foreach (var mark in ballots.SelectMany(b => b.Marks))
        {
            if (!index.ContainsKey(mark.Name))
            {
                if (declared is not null)
                {
                    Fail(bytes, mark.Offset, $"\"{mark.Name}\" is not one of the \"candidates\"");
                }
                index[mark.Name] = (ushort)names.Count;
                names.Add(mark.Name);
            }
        }

        if (shape == Shape.Scores)
        {
            var builder = new ScoreBallots.Builder([.. names]);
            var scores = new byte[names.Count];
            foreach (var ballot in ballots)
            {
                Array.Clear(scores);
                foreach (var mark in ballot.Marks)
                {
                    scores[index[mark.Name]] = (byte)mark.Rank;
                }
                builder.Add(scores, ballot.Count);
            }
            return new ScoreBallotFile(source, builder.Build());
        }

        var box = new BallotBoxBuilder([.. names]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ballot in ballots)
        {
            seen.Clear();
            foreach (var mark in ballot.Marks)
            {
                if (!seen.Add(mark.Name))
                {
                    Fail(bytes, mark.Offset, $"candidate \"{mark.Name}\" appears twice in this ballot");
                }
            }
            box.Add(
                [.. ballot.Marks.Select(m => index[m.Name])],
                [.. ballot.Marks.Select(m => (ushort)m.Rank)],
                ballot.Count);
        }
        return new RankedBallotFile(source, box.Build());
    }

    private static JsonTokenType Next(ref Utf8JsonReader json, byte[] bytes)
    {
        if (!json.Read())
        {
            Fail(bytes, bytes.Length, "the JSON ends too early");
        }
        return json.TokenType;
    }

    private static void Expect(ref Utf8JsonReader json, byte[] bytes, JsonTokenType type, string message)
    {
        if (json.TokenType != type)
        {
            Fail(bytes, json.TokenStartIndex, message);
        }
    }

    private static Shape ShapeOf(BallotKind kind) => kind switch
    {
        BallotKind.Rankings => Shape.Ranking,
        BallotKind.Scores => Shape.Scores,
        _ => Shape.Choice,
    };

    private static string Key(Shape shape) => shape.ToString().ToLowerInvariant();

    /// <summary>Throws a failure at the line and column of byte <paramref name="offset"/>.</summary>
    private static void Fail(byte[] bytes, long offset, string message)
    {
        var before = bytes.AsSpan(0, (int)Math.Min(offset, bytes.Length));
        int lineStart = before.LastIndexOf((byte)'\n') + 1;
        int line = before.Count((byte)'\n') + 1;
        int column = Encoding.UTF8.GetCharCount(before[lineStart..]) + 1;
        throw new BallotFileFailure(line, column, message);
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }
}
