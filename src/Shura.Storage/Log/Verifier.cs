using System.Text.Json;
using Dapper;
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
/// filled and every change of holders by a continuous election. Then every table the log decides
/// must hold exactly what the log gives (<see cref="Derivation"/>): a row added, changed or
/// removed anywhere in them shows up here. Finally no motion may be left open long past its
/// deadline: that means deadline work is stuck (or no server has run since).
/// </summary>
public static class Verifier
{
    /// <summary>How late a deadline may be processed before it counts as stuck.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    /// <param name="now">The instant to judge deadlines against.</param>
    public static Verification Run(Database database, DateTimeOffset now)
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
        long orphans = c.ExecuteScalar<long>("SELECT COUNT(*) FROM log WHERE chain NOT IN (SELECT chain FROM chain_heads)");
        if (orphans > 0)
        {
            problems.Add($"log: {orphans} entries belong to chains without a head");
        }
        var key = Keys.Read(c) ?? [];
        var replay = new Replay(key, problems);
        using var derivation = new Derivation(key);
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
                if (derivation.Apply(entry, e) is { } broken)
                {
                    problems.Add(broken);
                }
            }
            if (Guid.TryParse(chain, out var council))
            {
                // A recall is due the instant the threshold is crossed: never later than the writes of that moment.
                replay.CheckNoRecallDue(new CouncilId(council));
            }
        }
        problems.AddRange(derivation.Compare(c));
        problems.AddRange(TextProblems(c));
        problems.AddRange(Overdue(c, now));
        return new Verification(entries, heads.Count, replay.Recounted, problems);
    }

    /// <summary>
    /// Checks one council's log as downloaded (or exported), without the store: the chain from its
    /// first entry — every hash, every link, no gap — and then every result recounted from the
    /// ballots in it and held to the one its <c>motion-closed</c> entry records. What it cannot know
    /// without the server: the pseudonyms of members who left under secret ballots (docs/log.md), and,
    /// for a federation, its member councils' memberships, which are in their own logs.
    /// </summary>
    public static Verification RunOnLog(IReadOnlyList<LogEntry> entries)
    {
        var problems = new List<string>();
        if (Chain.Verify(entries) is { } broken)
        {
            problems.Add($"entry {broken.Sequence}: {broken.Problem}");
            return new Verification(entries.Count, 1, 0, problems);
        }
        var replay = new Replay([], problems);
        foreach (var entry in entries)
        {
            try
            {
                if (EventJson.Read(entry.Type, entry.Payload) is { } e)
                {
                    replay.Apply(entry, e);
                }
                else
                {
                    problems.Add($"entry {entry.Sequence}: an empty payload");
                }
            }
            catch (JsonException ex)
            {
                problems.Add($"entry {entry.Sequence}: unreadable payload ({ex.Message})");
            }
        }
        return new Verification(entries.Count, 1, replay.Recounted, problems);
    }

    /// <summary>
    /// The texts kept beside the log (DESIGN §2): each must be the text its hash names, and every
    /// comment still standing must still have its words. A text erased with its comment is no problem.
    /// </summary>
    private static IEnumerable<string> TextProblems(System.Data.Common.DbConnection c)
    {
        foreach (var (hash, body, salt) in c.Query<(string Hash, string Body, string? Salt)>("SELECT hash, body, salt FROM texts ORDER BY hash"))
        {
            if ((salt is null ? Core.Discussion.Texts.Hash(body) : Core.Discussion.Texts.Hash(body, salt)) != hash)
            {
                yield return $"texts: the text kept under {hash} is not the text of that hash";
            }
        }
        // Each name kept beside the log is the name its hash in the log names (an erased one, of a deleted account, is none).
        foreach (var (id, name, salt, hash) in c.Query<(string Id, string Name, string? Salt, string? Hash)>(
            "SELECT id, name, name_salt, name_hash FROM accounts WHERE deleted_at IS NULL ORDER BY id"))
        {
            if ((salt is null ? Core.Discussion.Texts.Hash(name) : Core.Discussion.Texts.Hash(name, salt)) != hash)
            {
                yield return $"account {id}: the name kept is not the name its hash in the log names";
            }
        }
        foreach (string id in c.Query<string>(
            "SELECT c.id FROM comments c LEFT JOIN texts t ON t.hash = c.text_hash WHERE c.deleted = 0 AND t.hash IS NULL ORDER BY c.id"))
        {
            yield return $"comment {id}: its text is missing";
        }
        foreach (string id in c.Query<string>("""
            SELECT p.id FROM posts p WHERE p.deleted = 0
            AND (NOT EXISTS (SELECT 1 FROM texts t WHERE t.hash = p.title_hash) OR NOT EXISTS (SELECT 1 FROM texts t WHERE t.hash = p.text_hash)
                OR EXISTS (SELECT 1 FROM calls c WHERE c.post_id = p.id AND NOT EXISTS (SELECT 1 FROM texts t WHERE t.hash = c.place_hash)))
            ORDER BY p.id
            """))
        {
            yield return $"post {id}: its words are missing";
        }
    }

    /// <summary>A deadline passed more than <see cref="Grace"/> ago whose work has not been done.</summary>
    /// <param name="Mandate">A continuous election due to settle, rather than a motion.</param>
    /// <param name="Voting">For a motion: its voting due to close, rather than its deliberation to end.</param>
    public readonly record struct OverdueDeadline(string Id, bool Mandate, bool Voting, string Due);

    /// <summary>
    /// Motions and continuous elections whose deadline passed more than <see cref="Grace"/> ago and
    /// that have not moved on, the earliest first — the one reading for the verifier's problems, /readyz
    /// and the metrics.
    /// </summary>
    public static IReadOnlyList<OverdueDeadline> OverdueDeadlines(System.Data.Common.DbConnection c, DateTimeOffset now)
    {
        string before = LogEntry.FormatTime(now - Grace);
        return [.. c.Query<(string Id, string State, string Due)>("""
            SELECT id, state, CASE WHEN state = 'voting' THEN voting_ends_at ELSE deliberation_ends_at END FROM motions
            WHERE (state = 'deliberation' AND deliberation_ends_at < @before) OR (state = 'voting' AND voting_ends_at < @before)
            """, new { before }).Select(m => new OverdueDeadline(m.Id, false, m.State == "voting", m.Due))
            .Concat(c.Query<(string Id, string Due)>("SELECT id, settles_at FROM mandates WHERE settles_at < @before", new { before })
                .Select(m => new OverdueDeadline(m.Id, true, false, m.Due)))
            .OrderBy(d => d.Due, StringComparer.Ordinal).ThenBy(d => d.Id, StringComparer.Ordinal)];
    }

    private static IEnumerable<string> Overdue(System.Data.Common.DbConnection c, DateTimeOffset now) =>
        OverdueDeadlines(c, now).Select(d => d.Mandate
            ? $"mandate {d.Id}: its holders were due to settle at {d.Due} and have not: deadline work on it is stuck, or no server has run since"
            : $"motion {d.Id}: {(d.Voting ? "voting" : "deliberation")} was due to end at {d.Due} and it is still open: deadline work on it is stuck, or no server has run since");

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
}
