using BenchmarkDotNet.Attributes;
using Shura.Core.Ballots;
using Shura.Core.Ballots.Files;
using Shura.Core.Counting;

namespace Shura.Benchmarks;

/// <summary>
/// The transfer methods on the largest real files: San Francisco 2011 (194,530 voters,
/// 25 candidates, the largest IRV count) and Meath 2002 (64,081 voters, 25,101 distinct ballots,
/// 14 candidates, 5 seats: the largest file and the largest STV count).
/// </summary>
[MemoryDiagnoser]
public class RealElectionBenchmarks
{
    private BallotBox _sanFrancisco = null!;
    private BallotBox _meath = null!;
    private string _meathText = "";
    private string _sanFranciscoText = "";

    [GlobalSetup]
    public void Setup()
    {
        _meathText = File.ReadAllText(PathOf("00001-00000003.soi"));
        _sanFranciscoText = File.ReadAllText(PathOf("00021-00000011.toi"));
        _meath = Parse_Meath_2002();
        _sanFrancisco = Parse_San_Francisco_2011();
    }

    [Benchmark(Description = "parse Meath 2002 (486 KB, largest file)")]
    public BallotBox Parse_Meath_2002() => Read(_meathText, "00001-00000003.soi");

    [Benchmark(Description = "parse San Francisco 2011 (194,530 voters)")]
    public BallotBox Parse_San_Francisco_2011() => Read(_sanFranciscoText, "00021-00000011.toi");

    [Benchmark(Description = "irv San Francisco 2011")]
    public TallyResult Irv_San_Francisco_2011() => InstantRunoff.Count(_sanFrancisco, new Lot("bench", _sanFrancisco.CandidateCount));

    [Benchmark(Description = "stv Meath 2002, 5 seats")]
    public TallyResult Stv_Meath_2002() => ScottishStv.Count(_meath, 5, new Lot("bench", _meath.CandidateCount));

    [Benchmark(Description = "meek Meath 2002, 5 seats")]
    public TallyResult Meek_Meath_2002() => MeekStv.Count(_meath, 5, new Lot("bench", _meath.CandidateCount));

    [Benchmark(Description = "meek San Francisco 2011, 1 seat")]
    public TallyResult Meek_San_Francisco_2011() => MeekStv.Count(_sanFrancisco, 1, new Lot("bench", _sanFrancisco.CandidateCount));

    private static BallotBox Read(string text, string name)
    {
        var reading = BallotFiles.Read(new StringReader(text), name, BallotFormat.PrefLib, BallotKind.Rankings);
        return ((RankedBallotFile)reading.File!).Ballots;
    }

    private static string PathOf(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Shura.slnx")))
        {
            dir = dir.Parent;
        }
        string path = Path.GetFullPath(Path.Combine(dir?.FullName ?? ".", "..", "shared", "data", "elections", name));
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Real election file missing: {path} (../shared beside the repository).");
    }
}
