using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Shura.Core;
using Shura.Core.Councils;
using Shura.Core.Log;
using Shura.Core.Motions;

namespace Shura.Storage.Log;

/// <summary>What <c>shura verify</c> found: the number of entries and results checked, and every problem.</summary>
public sealed record Verification(long Entries, int Chains, int Results, IReadOnlyList<string> Problems)
{
    public bool IsIntact => Problems.Count == 0;
}

/// <summary>
/// Recomputes everything from the log (DESIGN §6–7): every chain's hashes and links, every ballot
/// a motion holds now, and every result, by replaying the events and counting again with the tally
/// engine. Anything that differs from what the tables say, or from what the log recorded, is a
/// problem: a byte changed anywhere in the store shows up here.
/// </summary>
public static class Verifier
{
    private sealed class Replayed
    {
        public Motion? Motion;
        public string Seed = "";
        public readonly Dictionary<string, MotionBallot> Ballots = [];
    }

    public static Verification Run(Database database)
    {
        var problems = new List<string>();
        long entries = 0;
        int results = 0;
        using var c = database.OpenConnection();
        var heads = c.Query<(string Chain, long Seq, string Hash)>("SELECT chain, seq, hash FROM chain_heads ORDER BY chain").ToList();
        var motions = new Dictionary<Guid, Replayed>();
        foreach (var (chain, headSeq, headHash) in heads)
        {
            var list = LogQueries.Chain(c, chain).ToList();
            entries += list.Count;
            if (Chain.Verify(list) is { } broken)
            {
                problems.Add($"chain {broken.Chain}, entry {broken.Sequence}: {broken.Problem}");
                continue;
            }
            var last = list.Count == 0 ? (Sequence: 0L, Hash: LogEntry.Genesis) : (list[^1].Sequence, list[^1].Hash);
            if (last.Sequence != headSeq || last.Hash != headHash)
            {
                problems.Add($"chain {chain}: its head says entry {headSeq}, the log ends at {last.Sequence}");
            }
            results += Replay(chain, list, motions, problems);
        }
        CompareTables(c, motions, problems);
        return new Verification(entries, heads.Count, results, problems);
    }

    /// <summary>Replays a council's chain; recounts each closed motion and compares with its recorded result.</summary>
    private static int Replay(string chain, List<LogEntry> entries, Dictionary<Guid, Replayed> motions, List<string> problems)
    {
        int recounted = 0;
        var members = new HashSet<AccountId>();
        foreach (var entry in entries)
        {
            Event? e;
            try
            {
                e = EventJson.Read(entry.Type, entry.Payload);
            }
            catch (JsonException ex)
            {
                problems.Add($"chain {chain}, entry {entry.Sequence}: unreadable payload ({ex.Message})");
                continue;
            }
            switch (e)
            {
                case MemberJoined joined:
                    members.Add(joined.Member);
                    break;
                case MemberLeft left:
                    members.Remove(left.Member);
                    break;
                case MotionPut put:
                    motions[put.Motion.Value] = new Replayed { Motion = put.ToMotion(entry.Time) };
                    break;
                case VotingStarted voting when motions.TryGetValue(voting.Motion.Value, out var r):
                    r.Motion = r.Motion! with { State = MotionState.Voting, VotingEndsAt = voting.EndsAt, SecretBallots = voting.Secret, LiveResults = voting.LiveResults, Quorum = voting.Quorum };
                    r.Seed = entry.Hash;
                    break;
                case BallotCast cast when motions.TryGetValue(cast.Motion.Value, out var r):
                    r.Ballots[cast.Voter] = cast.Ballot;
                    break;
                case BallotWithdrawn withdrawn when motions.TryGetValue(withdrawn.Motion.Value, out var r):
                    r.Ballots.Remove(withdrawn.Voter);
                    break;
                case MotionClosed closed when motions.TryGetValue(closed.Motion.Value, out var r):
                    recounted++;
                    var (passed, result) = MotionTally.Count(r.Motion!, r.Ballots.Values, members.Count, r.Seed, final: true);
                    string recount = Core.Counting.TallyJson.Write(result);
                    if (recount != closed.Result)
                    {
                        problems.Add($"motion {closed.Motion}: the recount from the log differs from the result recorded at entry {entry.Sequence}");
                    }
                    if (closed.Electorate != members.Count || closed.Seed != r.Seed)
                    {
                        problems.Add($"motion {closed.Motion}: electorate or seed at entry {entry.Sequence} differ from the log before it");
                    }
                    var expected = !passed ? MotionState.Rejected : r.Motion!.IsDecision ? MotionState.InForce : MotionState.Decided;
                    if (closed.Outcome != expected)
                    {
                        problems.Add($"motion {closed.Motion}: recorded as {closed.Outcome.Name()}, the recount gives {expected.Name()}");
                    }
                    r.Motion = r.Motion! with { State = closed.Outcome };
                    break;
            }
        }
        return recounted;
    }

    /// <summary>The tables must say what the log says: the same current ballots, the same results.</summary>
    private static void CompareTables(System.Data.Common.DbConnection c, Dictionary<Guid, Replayed> motions, List<string> problems)
    {
        var stored = c.Query<(string Motion, string Voter, string Ballot)>("SELECT motion_id, voter, ballot FROM ballots")
            .GroupBy(b => Guid.Parse(b.Motion))
            .ToDictionary(g => g.Key, g => g.ToDictionary(b => b.Voter, b => b.Ballot));
        foreach (var (id, replayed) in motions)
        {
            stored.TryGetValue(id, out var rows);
            rows ??= [];
            var expected = replayed.Motion!.State == MotionState.Voting || rows.Count > 0 || replayed.Ballots.Count > 0
                ? replayed.Ballots.ToDictionary(b => b.Key, b => JsonSerializer.Serialize(b.Value, EventJson.Options))
                : [];
            if (rows.Count != expected.Count || rows.Any(r => !expected.TryGetValue(r.Key, out var e) || !SameJson(e, r.Value)))
            {
                problems.Add($"motion {id}: the ballots table differs from the ballots in the log");
            }
        }
        foreach (var (id, result) in c.Query<(string Id, string Result)>("SELECT id, result FROM motions WHERE result IS NOT NULL"))
        {
            string? logged = c.ExecuteScalar<string>(
                "SELECT payload FROM log WHERE type = 'motion-closed' AND payload LIKE @pattern", new { pattern = $"%\"motion\":\"{id}\"%" });
            string? loggedResult = logged is null ? null : JsonNode.Parse(logged)?["result"]?.GetValue<string>();
            if (loggedResult != result)
            {
                problems.Add($"motion {id}: the result in the motions table differs from the one in the log");
            }
        }
    }

    private static bool SameJson(string a, string b) =>
        JsonNode.DeepEquals(JsonNode.Parse(a), JsonNode.Parse(b));
}
