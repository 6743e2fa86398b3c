using Dapper;

namespace Shura.Storage.Fediverse;

/// <summary>Something a council tells its followers: a post or call (<c>post:ID</c>) or a decided motion (<c>motion:ID</c>) made, changed or gone.</summary>
public sealed record ApActivity(string Id, string Council, string Kind, string Subject, string At)
{
    public string SubjectType => Subject[..Subject.IndexOf(':')];

    public Guid SubjectId => Guid.Parse(Subject[(Subject.IndexOf(':') + 1)..]);
}

/// <summary>
/// A council's outbox on the federated social web. Activities are written with the events that make
/// them (<see cref="Projector"/>); the deliverer then writes each one's JSON once and, in one step,
/// a delivery of it to every inbox its followers have — one per shared inbox, as Mastodon asks, so a
/// server with a thousand followers gets it once. The outbox collection reads the same activities.
/// </summary>
public static class Outbox
{
    /// <summary>Activities not fanned out yet, oldest first.</summary>
    public static async Task<IReadOnlyList<ApActivity>> ToFanAsync(Database database, int most, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<ApActivity>(
            $"SELECT id AS Id, council_id AS Council, kind AS Kind, subject AS Subject, at AS At FROM ap_activities WHERE fanned_at IS NULL ORDER BY at, seq LIMIT {most}");
        return [.. rows];
    }

    /// <summary>Inboxes a fan-out step queues at most: a council with many followers is fanned out in
    /// several steps, so that ballots between them do not wait for one long write.</summary>
    public const int InboxesPerStep = 1000;

    /// <summary>
    /// One step of an activity's fan-out: its JSON kept once (at the first step), and one delivery of
    /// it to each of the next <see cref="InboxesPerStep"/> inboxes of the council's followers as they
    /// are now, in the order of their addresses from <paramref name="after"/> on. The last step marks it
    /// fanned out. A null <paramref name="body"/> — the council is not public, or what it told of is
    /// gone before it was told — marks it done with no delivery, as does a body dropped between steps
    /// (what it told of taken back meanwhile). Answers how many inboxes this step queued, and the
    /// last of them to go on after, or null when the fan-out is done. Steps are idempotent (a
    /// delivery's id is its activity's and its inbox), so one begun again after a restart adds nothing twice.
    /// </summary>
    public static Result<(int Queued, string? After)> FanOut(WriteSession s, ApActivity activity, string? body, string? after)
    {
        var done = (0, (string?)null);
        if (body is null
            || (after is null && s.Execute("UPDATE ap_activities SET body = @body WHERE id = @id AND fanned_at IS NULL", new { body, id = activity.Id }) == 0)
            || (after is not null && s.Scalar<string?>("SELECT body FROM ap_activities WHERE id = @id AND fanned_at IS NULL", new { id = activity.Id }) is null))
        {
            s.Execute("UPDATE ap_activities SET fanned_at = @now WHERE id = @id AND fanned_at IS NULL", new { now = s.Time, id = activity.Id });
            return done;
        }
        var parameters = new { id = activity.Id, council = activity.Council, now = s.Time, after = after ?? "", most = InboxesPerStep };
        const string Next = """
            SELECT DISTINCT COALESCE(shared_inbox, inbox) AS target FROM followers
            WHERE council_id = @council AND COALESCE(shared_inbox, inbox) > @after ORDER BY target LIMIT @most
            """;
        // This step's inboxes, counted and the last of them named in one reading.
        var (count, last) = s.Query<(long Count, string? Last)>($"SELECT COUNT(*), MAX(target) FROM ({Next}) t", parameters).Single();
        int queued = last is null ? 0 : s.Execute($"""
            INSERT INTO ap_deliveries (id, council_id, inbox, body, created_at, activity_id)
            SELECT @id || ' ' || target, @council, target, '', @now, @id FROM ({Next}) t WHERE true
            ON CONFLICT (id) DO NOTHING
            """, parameters); // "WHERE true": SQLite would read ON CONFLICT as the join's ON without it
        if (count < InboxesPerStep)
        {
            s.Execute("UPDATE ap_activities SET fanned_at = @now WHERE id = @id", new { now = s.Time, id = activity.Id });
            return (queued, null);
        }
        return (queued, last);
    }

    /// <summary>The latest activities that made something still standing (for the outbox collection), newest first.</summary>
    public static async Task<IReadOnlyList<ApActivity>> MadeAsync(Database database, CouncilId council, int most, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<ApActivity>($"""
            SELECT a.id AS Id, a.council_id AS Council, a.kind AS Kind, a.subject AS Subject, a.at AS At FROM ap_activities a
            WHERE a.council_id = @council AND a.kind = 'create'
              AND NOT EXISTS (SELECT 1 FROM ap_activities later WHERE later.subject = a.subject AND later.seq > a.seq AND later.kind IN ('create', 'delete'))
            ORDER BY a.seq DESC LIMIT {most}
            """, new { council = council.ToString() });
        return [.. rows];
    }

    public static async Task<int> CountMadeAsync(Database database, CouncilId council, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<int>("""
            SELECT COUNT(*) FROM ap_activities a WHERE a.council_id = @council AND a.kind = 'create'
              AND NOT EXISTS (SELECT 1 FROM ap_activities later WHERE later.subject = a.subject AND later.seq > a.seq AND later.kind IN ('create', 'delete'))
            """, new { council = council.ToString() });
    }

    /// <summary>A like or a boost of a council's post from another server, counted once per person and kind.</summary>
    public static Result<bool> React(WriteSession s, PostId post, string kind, string actor, string activity)
    {
        s.Execute("""
            INSERT INTO ap_reactions (post_id, kind, actor, activity, at) VALUES (@post, @kind, @actor, @activity, @now)
            ON CONFLICT (post_id, kind, actor) DO UPDATE SET activity = excluded.activity
            """, new { post = post.ToString(), kind, actor, activity, now = s.Time });
        return true;
    }

    /// <summary>A like or boost taken back (an <c>Undo</c> of it, which names the activity undone).</summary>
    public static Result<bool> Unreact(WriteSession s, string actor, string activity) =>
        s.Execute("DELETE FROM ap_reactions WHERE actor = @actor AND activity = @activity", new { actor, activity }) > 0;

    /// <summary>How many on other servers liked and boosted a post.</summary>
    public static async Task<(int Likes, int Boosts)> ReactionsAsync(Database database, PostId post, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var counts = (await c.QueryAsync<(string Kind, long Count)>("SELECT kind, COUNT(*) FROM ap_reactions WHERE post_id = @post GROUP BY kind", new { post = post.ToString() }))
            .ToDictionary(r => r.Kind, r => (int)r.Count);
        return (counts.GetValueOrDefault("like"), counts.GetValueOrDefault("boost"));
    }
}
