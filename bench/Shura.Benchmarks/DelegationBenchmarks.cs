using Shura.Core.Ballots.Files;
using System.Text;
using BenchmarkDotNet.Attributes;
using Shura.Core.Counting;
using Shura.Core.Delegation;

namespace Shura.Benchmarks;

/// <summary>
/// Delegation on a million members: 70 % vote directly, 30 % delegate to a random member, so
/// chains form (and, rarely, cycles). Resolution from scratch, one change applied incrementally,
/// and the whole count of <c>shura tally --delegations</c> (reading the two files' bytes, resolving,
/// weighting, Schulze over 6 options), which is all that command does after the process starts.
/// </summary>
[MemoryDiagnoser]
public class DelegationBenchmarks
{
    private const int Members = 1_000_000;

    private int[] _trustee = [];
    private bool[] _votes = [];
    private DelegationGraph _graph = null!;
    private int _changing;
    private int _toggle;
    private string _delegationsFile = "";
    private string _ballotsFile = "";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2026);
        _trustee = new int[Members];
        _votes = new bool[Members];
        string[] options = ["Ana", "Bahram", "Chen", "Dara", "Elif", "Farid"];
        var delegations = new StringBuilder("truster,trustee\n");
        var ballots = new StringBuilder("voter,first,second,third\n");
        for (int m = 0; m < Members; m++)
        {
            _trustee[m] = DelegationGraph.None;
            if (random.Next(10) < 7)
            {
                _votes[m] = true;
                var ranking = options.OrderBy(_ => random.Next()).Take(random.Next(1, 7));
                ballots.Append('m').Append(m).Append(',').AppendJoin(',', ranking).Append('\n');
            }
            else
            {
                int to = random.Next(Members - 1);
                _trustee[m] = to >= m ? to + 1 : to;
                delegations.Append('m').Append(m).Append(",m").Append(_trustee[m]).Append('\n');
            }
        }
        _graph = DelegationGraph.Resolve(_trustee, _votes);
        _changing = Array.FindIndex(_votes, v => !v);
        string dir = Directory.CreateTempSubdirectory("shura-bench-").FullName;
        _delegationsFile = Path.Combine(dir, "delegations.csv");
        _ballotsFile = Path.Combine(dir, "ballots.csv");
        File.WriteAllText(_delegationsFile, delegations.ToString());
        File.WriteAllText(_ballotsFile, ballots.ToString());
    }

    [Benchmark(Description = "resolve 1,000,000 members' delegations (full)")]
    public long Resolve_full() => DelegationGraph.Resolve(_trustee, _votes).Counted;

    [Benchmark(Description = "one delegation changed (incremental update)")]
    public long Change_one_delegation()
    {
        // A delegating member moves their delegation back and forth between two members.
        _toggle = (_toggle + 1) % 2;
        _graph.Delegate(_changing, _toggle == 0 ? _changing + 1 : _changing + 2);
        return _graph.Counted;
    }

    [Benchmark(Description = "shura tally --delegations, 1,000,000 members, schulze (after process start)")]
    public int Tally_with_delegations()
    {
        var delegations = File.ReadAllBytes(_delegationsFile);
        var ballots = File.ReadAllBytes(_ballotsFile);
        var (read, _) = DelegatedBallots.TryRead(delegations, "delegations.csv", ballots, "ballots.csv");
        var graph = DelegationGraph.Resolve(read!.Trustee, read.VotesDirectly);
        var box = read.Weighted(graph);
        var result = Tally.Count(box, new TallyRules(TallyMethod.Schulze, 1, new Lot("benchmark", box.CandidateCount)));
        return result.Winners.Count;
    }
}
