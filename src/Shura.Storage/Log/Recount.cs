using Shura.Core.Log;
using Shura.Core.Motions;

namespace Shura.Storage.Log;

/// <summary>
/// The replay of <c>shura verify</c>, kept up to date one entry at a time as they are written:
/// it counts a motion from the log alone, so that a count from the tables can be held to it.
/// </summary>
public sealed class Recount(byte[] pseudonymKey)
{
    private readonly List<string> _problems = [];
    private Replay? _replay;

    private Replay State => _replay ??= new Replay(pseudonymKey, _problems);

    /// <summary>What the replay found wrong so far (a result recorded at a close that the log does not give, for one).</summary>
    public IReadOnlyList<string> Problems => _problems;

    public void Apply(LogEntry entry)
    {
        if (EventJson.Read(entry.Type, entry.Payload) is { } e)
        {
            State.Apply(entry, e);
        }
    }

    /// <summary>The motion's result now, as the log alone gives it (null for a motion the log does not know).</summary>
    public (MotionResult Result, long Electorate)? Count(MotionId motion)
    {
        if (!State.Motions.TryGetValue(motion, out var r))
        {
            return null;
        }
        var (weighted, electorate) = State.Weighted(r);
        return (MotionTally.Count(State.Counted(r), weighted, electorate, r.Seed, final: false), electorate);
    }
}
