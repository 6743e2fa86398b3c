using System.Runtime.CompilerServices;
namespace Shura.Core.Delegation;

/// <summary>
/// Who votes for whom (DESIGN §2, delegation): each member may let one other member vote for
/// them; delegation is transitive; a member's own (direct) ballot always overrides their
/// delegation; a chain that runs into a cycle, or ends at someone who does not vote, counts for
/// nobody. Members are numbered 0..n-1.
/// </summary>
/// <remarks>
/// <para><see cref="Resolve"/> finds every member's <em>terminal</em> — the direct voter at the end of
/// their chain, or none — in one pass over the members, each followed at most once (O(n)): a chain
/// is walked until it reaches a member already resolved, a direct voter, a member with no
/// delegation, or a member already on the walk (a cycle), and everyone on the walk gets that answer.</para>
/// <para>A change (<see cref="Delegate"/>, <see cref="SetVoting"/>) is applied incrementally: only the
/// members whose chains pass through the changed member can be affected. They are found by walking
/// the delegation edges backwards from that member, stopping at direct voters (who are their own
/// terminal); they all share the changed member's new terminal, so the weights move by the size of
/// that set. The cost is proportional to the members behind the change, not to the council.</para>
/// </remarks>
public sealed class DelegationGraph
{
    /// <summary>No terminal: the member does not vote and their chain reaches no direct voter.</summary>
    public const int None = -1;

    private readonly int[] _trustee;
    private readonly bool[] _votes;
    private readonly int[] _terminal;
    private readonly long[] _weight;
    // Who delegates to whom, backwards: built on the first incremental change, since a full
    // resolution does not need it and a million small lists cost time to build.
    private List<int>?[]? _trusters;
    private readonly Queue<int> _queue = new();
    private readonly List<int> _affected = [];
    private readonly int[] _mark;
    private int _epoch;
    private long _voters;
    private long _delegatingNonVoters;

    private DelegationGraph(int members)
    {
        _trustee = new int[members];
        _votes = new bool[members];
        _terminal = new int[members];
        _weight = new long[members];
        _mark = new int[members];
    }

    public int Members => _trustee.Length;

    /// <summary>Votes that count: the sum of the direct voters' weights.</summary>
    public long Counted { get; private set; }

    /// <summary>Members who delegated but whose chain counts for nobody (a cycle, or no direct voter at its end).</summary>
    /// <remarks>Everyone counted is a direct voter or a delegating member with a terminal, so the rest of the delegating members are lost.</remarks>
    public long Lost => _delegatingNonVoters - (Counted - _voters);

    /// <summary>The direct voter whose ballot counts for <paramref name="member"/>, or <see cref="None"/>.</summary>
    public int TerminalOf(int member) => _terminal[member];

    /// <summary>How many members' votes a direct voter's ballot carries, their own included (0 for others).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long WeightOf(int member) => _votes[member] ? _weight[member] : 0;

    public int TrusteeOf(int member) => _trustee[member];

    public bool Votes(int member) => _votes[member];

    /// <param name="trustee">For each member, the member they delegate to, or <see cref="None"/>.</param>
    /// <param name="votes">For each member, whether they cast a ballot themselves.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DelegationGraph Resolve(ReadOnlySpan<int> trustee, ReadOnlySpan<bool> votes)
    {
        if (trustee.Length != votes.Length)
        {
            throw new ArgumentException("One trustee and one vote flag per member.", nameof(votes));
        }
        int n = trustee.Length;
        var graph = new DelegationGraph(n);
        trustee.CopyTo(graph._trustee);
        votes.CopyTo(graph._votes);
        for (int m = 0; m < n; m++)
        {
            int t = trustee[m];
            if (t != None)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(t, nameof(trustee));
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(t, n, nameof(trustee));
                if (t == m)
                {
                    throw new ArgumentException($"Member {m} delegates to themselves.", nameof(trustee));
                }
            }
        }
        graph.ResolveAll();
        return graph;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ResolveAll()
    {
        const byte OnWalk = 1, Done = 2; // 0: not yet visited
        int n = Members;
        var state = new byte[n];
        var walk = new List<int>();
        for (int start = 0; start < n; start++)
        {
            if (state[start] == Done)
            {
                continue;
            }
            walk.Clear();
            int x = start, terminal;
            while (true)
            {
                if (state[x] == Done)
                {
                    terminal = _terminal[x];
                    break;
                }
                if (state[x] == OnWalk)
                {
                    terminal = None; // a cycle
                    break;
                }
                if (_votes[x])
                {
                    terminal = x;
                    _terminal[x] = x;
                    state[x] = Done;
                    break;
                }
                if (_trustee[x] == None)
                {
                    terminal = None;
                    _terminal[x] = None;
                    state[x] = Done;
                    break;
                }
                state[x] = OnWalk;
                walk.Add(x);
                x = _trustee[x];
            }
            foreach (int m in walk)
            {
                _terminal[m] = terminal;
                state[m] = Done;
            }
        }

        Counted = 0;
        for (int m = 0; m < n; m++)
        {
            if (_terminal[m] != None)
            {
                _weight[_terminal[m]]++;
                Counted++;
            }
            if (_votes[m])
            {
                _voters++;
            }
            else if (_trustee[m] != None)
            {
                _delegatingNonVoters++;
            }
        }
    }

    /// <summary><paramref name="member"/> now delegates to <paramref name="trustee"/> (or to nobody: <see cref="None"/>).</summary>
    public void Delegate(int member, int trustee)
    {
        if (trustee == member)
        {
            throw new ArgumentException($"Member {member} cannot delegate to themselves.", nameof(trustee));
        }
        int old = _trustee[member];
        if (old == trustee)
        {
            return;
        }
        var trusters = Trusters();
        if (old != None)
        {
            trusters[old]!.Remove(member);
        }
        _trustee[member] = trustee;
        if (trustee != None)
        {
            (trusters[trustee] ??= []).Add(member);
        }
        if (!_votes[member])
        {
            _delegatingNonVoters += (trustee != None ? 1 : 0) - (old != None ? 1 : 0);
        }
        Update(member);
    }

    /// <summary><paramref name="member"/> casts a ballot (true) or withdraws it (false).</summary>
    public void SetVoting(int member, bool votes)
    {
        if (_votes[member] == votes)
        {
            return;
        }
        _votes[member] = votes;
        _voters += votes ? 1 : -1;
        if (_trustee[member] != None)
        {
            _delegatingNonVoters += votes ? -1 : 1;
        }
        Update(member);
    }

    private List<int>?[] Trusters()
    {
        if (_trusters is null)
        {
            _trusters = new List<int>?[Members];
            for (int m = 0; m < Members; m++)
            {
                if (_trustee[m] != None)
                {
                    (_trusters[_trustee[m]] ??= []).Add(m);
                }
            }
        }
        return _trusters;
    }

    /// <summary>Re-resolves everyone whose chain passes through <paramref name="changed"/>.</summary>
    private void Update(int changed)
    {
        var trusters = Trusters();
        // Everyone behind the changed member, through members who do not vote themselves.
        _epoch++;
        _affected.Clear();
        _affected.Add(changed);
        _mark[changed] = _epoch;
        _queue.Clear();
        _queue.Enqueue(changed);
        while (_queue.Count > 0)
        {
            int x = _queue.Dequeue();
            if (trusters[x] is not { } behind)
            {
                continue;
            }
            foreach (int t in behind)
            {
                if (!_votes[t] && _mark[t] != _epoch)
                {
                    _mark[t] = _epoch;
                    _affected.Add(t);
                    _queue.Enqueue(t);
                }
            }
        }

        // Before the change they all shared the changed member's old terminal; after it, its new one.
        int oldTerminal = _terminal[changed];
        int newTerminal = Follow(changed);
        long count = _affected.Count;
        if (oldTerminal != None)
        {
            _weight[oldTerminal] -= count;
            Counted -= count;
        }
        if (newTerminal != None)
        {
            _weight[newTerminal] += count;
            Counted += count;
        }
        foreach (int m in _affected)
        {
            _terminal[m] = newTerminal;
        }
    }

    /// <summary>The terminal of a member from its own chain: a walk that comes back to anyone behind it is a cycle.</summary>
    private int Follow(int member)
    {
        if (_votes[member])
        {
            return member;
        }
        int x = _trustee[member];
        int steps = 0;
        while (x != None)
        {
            if (x == member || steps++ > Members)
            {
                return None;
            }
            if (_votes[x])
            {
                return x;
            }
            if (!IsAffected(x))
            {
                return _terminal[x];
            }
            x = _trustee[x];
        }
        return None;
    }

    private bool IsAffected(int member) => _mark[member] == _epoch;
}
