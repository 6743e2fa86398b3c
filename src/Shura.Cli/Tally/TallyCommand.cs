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
        // A count is one batch job: a background collection would only take a core from the reading.
        var latency = System.Runtime.GCSettings.LatencyMode;
        System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.Batch;
        try
        {
            return request.Delegations is not null
                ? DelegatedTally.Run(method, request, stdout, Refuse)
                : Count(request, method, stdout, stderr, quietErrors, Refuse);
        }
        finally
        {
            System.Runtime.GCSettings.LatencyMode = latency;
        }
    }

    private static int Count(
        TallyRequest request, TallyMethod method, TextWriter stdout, TextWriter stderr, bool quietErrors, Func<string, int> refuse)
    {
        if (BallotFiles.FormatOf(request.File) is not BallotFormat format)
        {
            return refuse($"{request.File}: unknown file type; expected {BallotFiles.KnownExtensions}");
        }
        if (!File.Exists(request.File))
        {
            return refuse($"{request.File}: no such file");
        }
        using var mapped = MappedFile.Open(request.File, out string? unreadable);
        if (mapped is null)
        {
            return refuse(unreadable!);
        }
        var bytes = mapped.Memory;
        var kind = method switch
        {
            TallyMethod.Decision => BallotKind.Choices,
            TallyMethod.Score => BallotKind.Scores,
            _ => BallotKind.Rankings,
        };
        // The default seed is the SHA-256 of the file; it is computed beside the reading.
        var seedTask = request.Seed is null
            ? Task.Run(() => Convert.ToHexStringLower(SHA256.HashData(bytes.Span)))
            : Task.FromResult(request.Seed);
        BallotFileReading reading;
        var position = new ReadingPosition();
        using (ReadingProgress.Start(request.File, bytes.Length, () => position.Bytes, stderr, quietErrors))
        {
            reading = BallotFiles.Read(bytes, request.File, format, kind, position);
        }
        // Whatever comes next, the hashing is done with the mapped file before it is unmapped.
        string seed = seedTask.GetAwaiter().GetResult();
        if (reading.Error is { } error)
        {
            return refuse(error.ToString());
        }

        if (reading.File is DecisionBallotFile decision)
        {
            return CountDecision(decision, request, stdout, refuse);
        }
        var file = reading.File!;
        int candidates = file.Candidates.Length;
        var rules = new TallyRules(method, request.Seats, new Lot(seed, candidates));
        if (Core.Counting.Tally.Problem(rules, candidates) is string problem)
        {
            return refuse(problem);
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
