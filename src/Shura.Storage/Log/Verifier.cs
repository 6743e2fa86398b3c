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
/// Recomputes everything from the log (DESIGN §6–7): every chain's hashes and links; then, replaying
/// all chains together in the order they were written, every result (with the delegation chains
/// and federation weights of that moment), every recall and the count that caused it, every seat
/// filled and every change of holders by a continuous election. Finally the tables must say what
/// the replay says: ballots, results, holders, confidence and standing ballots. Anything that
/// differs is a problem: a byte changed anywhere in the store shows up here.
/// </summary>
public static class Verifier
{
    public static Verification Run(Database database)
    {
        var problems = new List<string>();
        long entries = 0;
        using var c = database.OpenConnection();
        var heads = c.Query<(string Chain, long Seq, string Hash)>("SELECT chain, seq, hash FROM chain_heads ORDER BY chain").ToList();
        var chains = new List<List<LogEntry>>();
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
            chains.Add(list);
        }
        var replay = new Replay(Keys.Pseudonyms(database), problems);
        foreach (var (chain, moment) in InWrittenOrder(chains))
        {
            foreach (var entry in moment)
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
                if (e is null)
                {
                    problems.Add($"chain {chain}, entry {entry.Sequence}: an empty payload");
                    continue;
                }
                replay.Apply(entry, e);
            }
            if (Guid.TryParse(chain, out var council))
            {
                // A recall is due the instant the threshold is crossed: never later than the writes of that moment.
                replay.CheckNoRecallDue(new CouncilId(council));
            }
        }
        CompareTables(c, replay, problems);
        return new Verification(entries, heads.Count, replay.Recounted, problems);
    }

    /// <summary>
    /// All chains merged by time, each chain's own order kept, in runs of one chain's entries
    /// written at the same moment (one transaction's share of that chain).
    /// </summary>
    private static IEnumerable<(string Chain, List<LogEntry> Moment)> InWrittenOrder(List<List<LogEntry>> chains)
    {
        var next = new int[chains.Count];
        var queue = new PriorityQueue<int, (DateTimeOffset, int)>();
        for (int i = 0; i < chains.Count; i++)
        {
            if (chains[i].Count > 0)
            {
                queue.Enqueue(i, (chains[i][0].Time, i));
            }
        }
        while (queue.TryDequeue(out int i, out _))
        {
            var chain = chains[i];
            var time = chain[next[i]].Time;
            var moment = new List<LogEntry>();
            while (next[i] < chain.Count && chain[next[i]].Time == time)
            {
                moment.Add(chain[next[i]++]);
            }
            yield return (chain[0].Chain, moment);
            if (next[i] < chain.Count)
            {
                queue.Enqueue(i, (chain[next[i]].Time, i));
            }
        }
    }

    /// <summary>The tables must say what the log says: the same current ballots, the same results.</summary>
    private static void CompareTables(System.Data.Common.DbConnection c, Replay replay, List<string> problems)
    {
        CompareMandates(c, replay, problems);
        var motions = replay.Motions;
        var stored = c.Query<(string Motion, string Voter, string Ballot)>("SELECT motion_id, voter, ballot FROM ballots")
            .GroupBy(b => new MotionId(Guid.Parse(b.Motion)))
            .ToDictionary(g => g.Key, g => g.ToDictionary(b => b.Voter, b => b.Ballot));
        foreach (var (id, replayed) in motions)
        {
            stored.TryGetValue(id, out var rows);
            rows ??= [];
            var expected = replayed.Motion.State == MotionState.Voting || rows.Count > 0 || replayed.Ballots.Count > 0
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

    /// <summary>Holders, withdrawals of confidence, standing ballots and delegations must be what the replay left.</summary>
    private static void CompareMandates(System.Data.Common.DbConnection c, Replay replay, List<string> problems)
    {
        static HashSet<string> Rows(IEnumerable<(string, string)> rows) => [.. rows.Select(r => $"{r.Item1} {r.Item2}")];
        var holders = Rows(c.Query<(string, string, long)>("SELECT mandate_id, person, withdrawals FROM holders").Select(h => (h.Item1, $"{h.Item2} {h.Item3}")));
        var replayedHolders = Rows(replay.Mandates.Values.SelectMany(m => m.Holders.Select(h =>
            (m.Mandate.Id.ToString(), $"{h} {(m.Withdrawn.TryGetValue(h, out var w) ? w.Count : 0)}"))));
        if (!holders.SetEquals(replayedHolders))
        {
            problems.Add("mandates: the holders table (or its counts of withdrawals) differs from the seats and withdrawals in the log");
        }
        var confidence = Rows(c.Query<(string, string)>("SELECT mandate_id, holder || ' ' || elector FROM confidence"));
        var replayedConfidence = Rows(replay.Mandates.Values.SelectMany(m =>
            m.Withdrawn.SelectMany(w => w.Value.Select(e => (m.Mandate.Id.ToString(), $"{w.Key} {e}")))));
        if (!confidence.SetEquals(replayedConfidence))
        {
            problems.Add("mandates: the withdrawals of confidence in the tables differ from those in the log");
        }
        var standing = Rows(c.Query<(string, string)>("SELECT mandate_id, elector || ' ' || ranking FROM standing_ballots")
            .Select(r => (r.Item1, Canonical(r.Item2))));
        var replayedStanding = Rows(replay.Mandates.Values.SelectMany(m =>
            m.Standing.Select(b => (m.Mandate.Id.ToString(), $"{b.Key} {string.Join(',', b.Value)}"))));
        if (!standing.SetEquals(replayedStanding))
        {
            problems.Add("mandates: the standing ballots in the tables differ from those in the log");
        }

        var counts = Rows(c.Query<(string, long)>("SELECT id, member_count FROM councils").Select(x => (x.Item1, x.Item2.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var replayedCounts = Rows(replay.Councils.Select(x => (x.Key.ToString(), x.Value.Members.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        if (!counts.SetEquals(replayedCounts))
        {
            problems.Add("councils: a member count differs from the members who joined and left in the log");
        }
        var delegations = Rows(c.Query<(string, string)>("SELECT council_id, truster || ' ' || motion_id || ' ' || trustee FROM delegations"));
        var replayedDelegations = Rows(replay.Councils.SelectMany(council => council.Value.Delegations.Select(d =>
            (council.Key.ToString(), $"{d.Key.Truster} {d.Key.Motion?.ToString() ?? ""} {d.Value}"))));
        if (!delegations.SetEquals(replayedDelegations))
        {
            problems.Add("delegations: the delegations table differs from the delegations set and revoked in the log");
        }

        static string Canonical(string electorAndRanking)
        {
            int space = electorAndRanking.IndexOf(' ', StringComparison.Ordinal);
            var ranking = JsonSerializer.Deserialize<string[]>(electorAndRanking[(space + 1)..]) ?? [];
            return $"{electorAndRanking[..space]} {string.Join(',', ranking)}";
        }
    }

    private static bool SameJson(string a, string b) =>
        JsonNode.DeepEquals(JsonNode.Parse(a), JsonNode.Parse(b));
}
