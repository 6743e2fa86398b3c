using Dapper;

namespace Shura.Storage.Notifications;

/// <summary>
/// One notice to send by e-mail to one person, with what its words need: at once, or gathered with
/// others of the day into the person's <paramref name="Digest"/>. <paramref name="Ends"/> is when what
/// it speaks of ends (voting, a call's pledges, an action's due date), shown in the person's zone.
/// </summary>
public sealed record Delivery(
    string Chain, long Seq, string Person, string Email, string? Language, string? TimeZone, string Kind, string Council, string CouncilName,
    string? Title, string Link, int Attempts, bool Digest, string At, string? Ends);

/// <summary>
/// The durable outbox of e-mail. Notices are written with their events; the mailer turns each, once
/// it is due, into one delivery per person who gets it by e-mail (a member when it happened and
/// still, who chose e-mail at once or a digest for its kind), claims a delivery before sending it,
/// and marks it sent the moment the mail server accepts it. A crash anywhere before that mark sends
/// it again after the restart; nothing the server acknowledged is sent twice, unless the crash
/// falls between its answer and the mark.
/// </summary>
public static class MailQueue
{
    private sealed record Pending(string Chain, long Seq, string Person, string Council, string Kind, string At);

    /// <summary>Deliveries for up to <paramref name="most"/> notices due and not yet mailed; answers how many notices it took.</summary>
    public static Result<int> Enqueue(WriteSession s, int most = 200)
    {
        string now = s.Time;
        // A notice more than a day old is news no more: e-mail turned on after months sends none of them.
        s.Write("UPDATE notices SET mailed = 1 WHERE mailed = 0 AND at < @dayAgo", new { dayAgo = Core.Log.LogEntry.FormatTime(s.Now - TimeSpan.FromDays(1)) });
        var pending = s.Query<Pending>(
            "SELECT chain, seq, person, council_id AS council, kind, at FROM notices WHERE mailed = 0 AND at <= @now ORDER BY at LIMIT @most", new { most, now }).ToList();
        foreach (var notice in pending)
        {
            s.Write($"""
                INSERT INTO deliveries (chain, seq, person, kind, digest)
                SELECT @Chain, @Seq, m.account_id, @Kind, CASE WHEN {Channel} = 'digest' THEN 1 ELSE 0 END FROM members m
                WHERE m.council_id = @Council AND m.joined_at <= @At AND (@Person = '' OR m.account_id = @Person)
                  AND {Channel} IN ('at-once', 'digest')
                ON CONFLICT DO NOTHING
                """, notice);
            s.Write("UPDATE notices SET mailed = 1 WHERE chain = @Chain AND seq = @Seq AND person = @Person AND kind = @Kind", notice);
        }
        // A digest waits for the next digest hour of its person's day.
        var waiting = s.Query<(string Chain, long Seq, string Person, string Kind, string? Zone)>("""
            SELECT d.chain, d.seq, d.person, d.kind, a.time_zone FROM deliveries d JOIN accounts a ON a.id = d.person
            WHERE d.digest = 1 AND d.next_at IS NULL AND d.sent_at IS NULL
            """).ToList();
        foreach (var d in waiting)
        {
            s.Write("UPDATE deliveries SET next_at = @at WHERE chain = @Chain AND seq = @Seq AND person = @Person AND kind = @Kind",
                new { d.Chain, d.Seq, d.Person, d.Kind, at = Core.Log.LogEntry.FormatTime(NoticeKinds.NextDigest(s.Now, Zone(d.Zone))) });
        }
        return pending.Count;
    }

    /// <summary>The channel a member chose for the notice's kind, or the default.</summary>
    private const string Channel = $"COALESCE((SELECT nc.channel FROM notice_channels nc WHERE nc.person = m.account_id AND nc.kind = @Kind), '{NoticeKinds.Default}')";

    private static TimeZoneInfo Zone(string? id)
    {
        try
        {
            return id is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    /// <summary>Whether any notice due now waits to be turned into deliveries: read first, so that an idle mailer never takes the writer.</summary>
    public static async Task<bool> AnyPendingAsync(Database database, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM (SELECT 1 FROM notices WHERE mailed = 0 AND at <= @now LIMIT 1) pending",
            new { now = Core.Log.LogEntry.FormatTime(now) }) > 0;
    }

    /// <summary>
    /// Deliveries due now, to people who are still members of the council: one who left hears
    /// nothing more. A person's digest comes whole: when one of its notices is due, all are.
    /// </summary>
    public static async Task<IReadOnlyList<Delivery>> DueAsync(Database database, DateTimeOffset now, int most, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string Chain, long Seq, string Person, string Email, string? Language, string? Zone, string Kind, string Council, string Name,
            string Subject, string? Title, string? Motion, string? Post, string? Mandate, string? CommentMotion, string? CommentPost, string? Action, long Attempts,
            long Digest, string At, string? Ends)>($"""
            SELECT d.chain, d.seq, d.person, a.email, a.language, a.time_zone, n.kind, n.council_id, c.name, n.subject,
                   COALESCE(mo.title, pt.body, ma.name, ac.description), mo.id, po.id, ma.id, co.motion_id, co.post_id, ac.id, d.attempts,
                   d.digest, n.at, COALESCE(mo.voting_ends_at, ca.deadline, ac.due)
            FROM deliveries d
            JOIN notices n ON n.chain = d.chain AND n.seq = d.seq AND n.kind = d.kind AND (n.person = '' OR n.person = d.person)
            JOIN accounts a ON a.id = d.person
            JOIN members m ON m.council_id = n.council_id AND m.account_id = d.person
            JOIN councils c ON c.id = n.council_id
            {NoticeQueries.Subjects}
            LEFT JOIN calls ca ON ca.post_id = po.id
            WHERE d.sent_at IS NULL AND (d.next_at IS NULL OR d.next_at <= @now)
            ORDER BY n.at LIMIT {most}
            """, new { now = Core.Log.LogEntry.FormatTime(now) });
        return [.. rows.Select(r => new Delivery(r.Chain, r.Seq, r.Person, r.Email, r.Language, r.Zone, r.Kind, r.Council, r.Name, r.Title,
            NoticeQueries.LinkOf(r.Council, r.Subject, r.Motion, r.Post, r.Mandate, r.CommentMotion, r.CommentPost, r.Action), (int)r.Attempts,
            r.Digest != 0, r.At, r.Ends))];
    }

    private const string Key = "chain = @Chain AND seq = @Seq AND person = @Person AND kind = @Kind";

    /// <summary>Takes a delivery for this sender until <paramref name="until"/>: false when another sender (another node) has it.</summary>
    public static Result<bool> Claim(WriteSession s, Delivery d, DateTimeOffset until) =>
        s.Execute($"""
            UPDATE deliveries SET next_at = @until
            WHERE {Key} AND sent_at IS NULL AND (next_at IS NULL OR next_at <= @now)
            """, new { d.Chain, d.Seq, d.Person, d.Kind, until = Core.Log.LogEntry.FormatTime(until), now = s.Time }) == 1;

    /// <summary>Takes every delivery of one e-mail (a digest has many), or none of them.</summary>
    public static Result<bool> ClaimAll(WriteSession s, IReadOnlyList<Delivery> mail, DateTimeOffset until)
    {
        foreach (var d in mail)
        {
            if (Claim(s, d, until).Value != true)
            {
                return Refusal.Conflict(Codes.ClaimedElsewhere, "Another sender has it.");
            }
        }
        return true;
    }

    public static Result<bool> Sent(WriteSession s, IReadOnlyList<Delivery> mail)
    {
        foreach (var d in mail)
        {
            s.Execute($"UPDATE deliveries SET sent_at = @now, error = NULL WHERE {Key}", new { d.Chain, d.Seq, d.Person, d.Kind, now = s.Time });
        }
        return true;
    }

    /// <summary>The mail server refused or could not be reached: tried again at <paramref name="retryAt"/>, the reason kept for the operator.</summary>
    public static Result<bool> Failed(WriteSession s, IReadOnlyList<Delivery> mail, DateTimeOffset retryAt, string error)
    {
        foreach (var d in mail)
        {
            s.Execute($"""
                UPDATE deliveries SET attempts = attempts + 1, next_at = @retry, error = @error
                WHERE {Key}
                """, new { d.Chain, d.Seq, d.Person, d.Kind, retry = Core.Log.LogEntry.FormatTime(retryAt), error = error.Length > 500 ? error[..500] : error });
        }
        return true;
    }

    /// <summary>
    /// How many e-mails the mail server refused or could not take yet, for <c>/health</c>: a count only,
    /// since a mail server's answer may name an address; the server log has the reasons.
    /// </summary>
    public static async Task<long> FailingAsync(Database database, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM deliveries WHERE sent_at IS NULL AND attempts > 0");
    }

    /// <summary>
    /// No more e-mail of this kind to this person (the one-click link of every e-mail; "digest" for
    /// the digest's link: every kind they get in it); their notices stay in the inbox.
    /// </summary>
    public static Result<bool> Unsubscribe(WriteSession s, AccountId person, string kind)
    {
        var kinds = kind == "digest"
            ? [.. s.Query<string>("SELECT kind FROM notice_channels WHERE person = @person AND channel = 'digest'", new { person })]
            : NoticeKinds.All.Contains(kind) ? [kind] : new List<string>();
        return NoticeCommands.Choose(s, person, kinds.ToDictionary(k => k, _ => "in-app", StringComparer.Ordinal));
    }
}
