using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Shura.Core.Ballots;
using Shura.Core.Ballots.Files;
using Shura.Core.Counting;

namespace Shura.Cli.Tally;

/// <summary>
/// <c>shura tally --method M [--seats K] [--seed S] [--json] FILE</c>: counts a ballot file and
/// prints the result with every round.
/// </summary>
internal static class TallyCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr, bool quietErrors)
    {
        var method = new Option<string>("--method", "-m")
        {
            Description = "Counting method: " + string.Join(", ", TallyMethods.Names),
            Required = true,
        };
        var seats = new Option<int>("--seats", "-k")
        {
            Description = "Seats to fill (default 1)",
            DefaultValueFactory = _ => 1,
        };
        var seed = new Option<string?>("--seed")
        {
            Description = "Seed of the lot that settles ties (default: the SHA-256 of the file)",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text" };
        var threshold = new Option<string>("--threshold")
        {
            Description = "decision only: simple, absolute or two-thirds (default simple)",
            DefaultValueFactory = _ => "simple",
        };
        var electorate = new Option<long?>("--electorate")
        {
            Description = "decision only: members entitled to vote (needed for absolute and --quorum)",
        };
        var quorum = new Option<string?>("--quorum")
        {
            Description = "decision only: participation quorum as a fraction of the electorate, e.g. 1/3",
        };
        var delegations = new Option<string?>("--delegations")
        {
            Description = "A CSV of \"truster,trustee\" lines: count FILE (\"voter,first,second,…\" lines) with delegation",
        };
        var file = new Argument<string>("FILE")
        {
            Description = "Ballots: PrefLib (.soc .soi .toc .toi), .csv or .json",
        };

        var command = new Command("tally", "Count a ballot file and print the result with every round")
        {
            method, seats, seed, json, threshold, electorate, quorum, delegations, file,
        };
        command.SetAction(parsed =>
        {
            var request = new TallyRequest(
                parsed.GetValue(method)!,
                parsed.GetValue(seats),
                parsed.GetValue(seed),
                parsed.GetValue(json),
                parsed.GetValue(threshold)!,
                parsed.GetValue(electorate),
                parsed.GetValue(quorum),
                parsed.GetValue(file)!,
                parsed.GetValue(delegations));
            return Run(request, stdout, stderr, quietErrors);
        });
        return command;
    }

    internal sealed record TallyRequest(
        string Method, int Seats, string? Seed, bool Json, string Threshold, long? Electorate, string? Quorum,
        string File, string? Delegations);

    private static int Run(TallyRequest request, TextWriter stdout, TextWriter stderr, bool quietErrors)
    {
        int Refuse(string reason)
        {
            stderr.WriteLine($"shura tally: {reason}");
            return Shell.BadInput;
        }

        if (!TallyMethods.TryParse(request.Method, out var method))
        {
            return Refuse($"unknown method \"{request.Method}\"; expected one of {string.Join(", ", TallyMethods.Names)}");
        }
        if (request.Seats < 1)
        {
            return Refuse($"--seats must be at least 1, not {request.Seats}");
        }
        if (request.Delegations is not null)
        {
            return DelegatedTally.Run(method, request, stdout, Refuse);
        }
        if (BallotFiles.FormatOf(request.File) is not BallotFormat format)
        {
            return Refuse($"{request.File}: unknown file type; expected {BallotFiles.KnownExtensions}");
        }
        if (!File.Exists(request.File))
        {
            return Refuse($"{request.File}: no such file");
        }

        byte[] bytes = File.ReadAllBytes(request.File);
        var kind = method switch
        {
            TallyMethod.Decision => BallotKind.Choices,
            TallyMethod.Score => BallotKind.Scores,
            _ => BallotKind.Rankings,
        };
        BallotFileReading reading;
        using (var progress = ReadingProgress.Start(request.File, bytes.Length, stderr, quietErrors))
        {
            using var reader = new StreamReader(progress.Watch(new MemoryStream(bytes)), Encoding.UTF8);
            reading = BallotFiles.Read(reader, request.File, format, kind);
        }
        if (reading.Error is { } error)
        {
            return Refuse(error.ToString());
        }

        if (reading.File is DecisionBallotFile decision)
        {
            return CountDecision(decision, request, stdout, Refuse);
        }
        var file = reading.File!;
        string seed = request.Seed ?? Convert.ToHexStringLower(SHA256.HashData(bytes));
        int candidates = file.Candidates.Length;
        var rules = new TallyRules(method, request.Seats, new Lot(seed, candidates));
        if (Core.Counting.Tally.Problem(rules, candidates) is string problem)
        {
            return Refuse(problem);
        }
        var result = file switch
        {
            RankedBallotFile ranked => Core.Counting.Tally.Count(ranked.Ballots, rules),
            ScoreBallotFile scores => Core.Counting.Tally.Count(scores.Ballots, rules),
            _ => throw new InvalidOperationException($"No count for {file.GetType().Name}."),
        };
        if (request.Json)
        {
            TallyJsonOutput.Write(result, stdout);
        }
        else
        {
            TallyText.Write(result, stdout);
        }
        return Shell.Success;
    }

    private static int CountDecision(
        DecisionBallotFile file, TallyRequest request, TextWriter stdout, Func<string, int> refuse)
    {
        var threshold = request.Threshold switch
        {
            "simple" => Threshold.Simple,
            "absolute" => Threshold.Absolute,
            "two-thirds" => Threshold.TwoThirds,
            _ => (Threshold?)null,
        };
        if (threshold is null)
        {
            return refuse($"unknown --threshold \"{request.Threshold}\"; expected simple, absolute or two-thirds");
        }
        Quorum? quorum = null;
        if (request.Quorum is not null)
        {
            if (!Quorum.TryParse(request.Quorum, out var q))
            {
                return refuse($"--quorum \"{request.Quorum}\" is not a fraction such as 1/3");
            }
            quorum = q;
        }
        if (request.Electorate is < 1)
        {
            return refuse($"--electorate must be at least 1, not {request.Electorate}");
        }
        var rules = new DecisionRules(threshold.Value, request.Electorate, quorum);
        if (rules.Problem(file.Ballots) is string problem)
        {
            return refuse(problem);
        }
        var result = Decision.Decide(file.Ballots, rules);
        if (request.Json)
        {
            TallyJsonOutput.Write(result, stdout);
        }
        else
        {
            TallyText.Write(result, stdout);
        }
        return Shell.Success;
    }
}
