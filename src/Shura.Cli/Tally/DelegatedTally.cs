using Shura.Core.Ballots.Files;
using System.Security.Cryptography;
using Shura.Core.Counting;
using Shura.Core.Delegation;

namespace Shura.Cli.Tally;

/// <summary>
/// <c>shura tally --method M --delegations delegations.csv ballots.csv</c>: resolves the delegation
/// chains, gives each direct voter's ballot the weight of everyone whose chain ends there, and
/// counts. The output is that of <c>shura tally</c>, plus <c>members</c>, <c>weight</c> (votes
/// counted) and <c>lost</c> (delegating members whose chain ends in a cycle or at a non-voter).
/// </summary>
internal static class DelegatedTally
{
    public static int Run(TallyMethod method, TallyCommand.TallyRequest request, TextWriter stdout, Func<string, int> refuse)
    {
        if (!method.ReadsRankings())
        {
            return refuse($"--delegations counts ranked ballots; {method.Name()} does not read them");
        }
        foreach (string path in new[] { request.Delegations!, request.File })
        {
            if (!File.Exists(path))
            {
                return refuse($"{path}: no such file");
            }
        }

        using var delegationsFile = MappedFile.Open(request.Delegations!, out string? unreadable);
        using var ballotsFile = delegationsFile is null ? null : MappedFile.Open(request.File, out unreadable);
        if (delegationsFile is null || ballotsFile is null)
        {
            return refuse(unreadable!);
        }
        var (delegations, ballots) = (delegationsFile.Memory, ballotsFile.Memory);
        // The default seed is the SHA-256 of both files; it is computed beside the reading, and
        // awaited before the files are unmapped.
        var seedTask = request.Seed is null ? Task.Run(() => Sha256(delegations.Span, ballots.Span)) : Task.FromResult(request.Seed);
        var (read, error) = DelegatedBallots.TryRead(delegations, request.Delegations!, ballots, request.File);
        string seed = seedTask.GetAwaiter().GetResult();
        if (error is not null)
        {
            return refuse(error.ToString());
        }
        var graph = DelegationGraph.Resolve(read!.Trustee, read.VotesDirectly);
        var box = read.Weighted(graph);
        var rules = new TallyRules(method, request.Seats, new Lot(seed, box.CandidateCount));
        if (Core.Counting.Tally.Problem(rules, box.CandidateCount) is string problem)
        {
            return refuse(problem);
        }
        var result = Core.Counting.Tally.Count(box, rules);
        if (request.Json)
        {
            var json = TallyJson.ToJson(result);
            json["members"] = read.MemberCount;
            json["weight"] = graph.Counted;
            json["lost"] = graph.Lost;
            stdout.WriteLine(TallyJson.Write(json));
        }
        else
        {
            TallyText.Write(result, stdout);
            stdout.WriteLine($"Members:    {read.MemberCount:N0}; votes counted with delegation {graph.Counted:N0}; lost to cycles or non-voters {graph.Lost:N0}");
        }
        return Shell.Success;
    }

    private static string Sha256(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(first);
        hash.AppendData(second);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
