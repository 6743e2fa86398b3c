using BenchmarkDotNet.Attributes;
using Shura.Core.Counting;
using Shura.Core.Motions;

namespace Shura.Benchmarks;

/// <summary>
/// One live count of the big elections of the watchers load (bench/load/watchers.sh … stv): 100,000
/// ballots, each ranking 5 of 200 candidates, 20 seats — as the server counts it, from the ballots
/// as stored (candidate ids) to the result. What it costs bounds how often a live STV result can
/// change.
/// </summary>
[MemoryDiagnoser]
public class LiveCountBenchmarks
{
    private const int Voters = 100_000;
    private const int Candidates = 200;

    [Params(TallyMethod.Stv, TallyMethod.Meek)]
    public TallyMethod Method;

    private Motion _motion = null!;
    private List<(MotionBallot, long)> _ballots = [];

    [GlobalSetup]
    public void Setup()
    {
        string[] candidates = [.. Enumerable.Range(0, Candidates).Select(i => new Guid(i, 0, 0, new byte[8]).ToString())];
        _motion = new Motion
        {
            Id = new MotionId(Guid.NewGuid()), Council = new CouncilId(Guid.NewGuid()), Proposer = new AccountId(Guid.NewGuid()),
            Subject = new MotionSubject.Election(null), Title = "Strike committee", Text = "", Options = [.. candidates],
            Method = Method, Seats = 20, State = MotionState.Voting, CreatedAt = DateTimeOffset.UnixEpoch,
        };
        var random = new Random(2026);
        _ballots = [.. Enumerable.Range(0, Voters).Select(_ =>
            (new MotionBallot(Ranking: [.. random.GetItems(candidates, 12).Distinct().Take(5)]), 1L))];
        _stored = [.. _ballots.Select(b => System.Text.Json.JsonSerializer.Serialize(b.Item1, Json))];
        // Pseudonyms as the log writes them: 43 characters of base64url.
        _voters = [.. Enumerable.Range(0, Voters).Select(i => Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i))).TrimEnd('=').Replace('+', '-').Replace('/', '_'))];
    }

    /// <summary>
    /// What a node keeps for a motion watched live between its counts (MotionQueries' kept ballots):
    /// 100,000 ballots by their voters' pseudonyms, read from the JSON the ballots table holds.
    /// Its allocation is about what stays resident.
    /// </summary>
    [Benchmark(Description = "keep 100,000 ballots of 5 rankings between counts")]
    public Dictionary<string, MotionBallot> Keep_the_ballots()
    {
        var kept = new Dictionary<string, MotionBallot>(Voters);
        for (int i = 0; i < _stored.Length; i++)
        {
            kept[_voters[i]] = System.Text.Json.JsonSerializer.Deserialize<MotionBallot>(_stored[i], Json)!;
        }
        return kept;
    }

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);
    private string[] _stored = [];
    private string[] _voters = [];

    [Benchmark(Description = "live count: 100,000 ballots ranking 5 of 200, 20 seats")]
    public MotionResult Count() => MotionTally.Count(_motion, _ballots, Voters, "benchmark", final: false);
}
