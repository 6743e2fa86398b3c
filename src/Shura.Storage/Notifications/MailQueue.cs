using Dapper;

namespace Shura.Storage.Notifications;

/// <summary>One e-mail to send: a notice, for one person, with what its words need.</summary>
public sealed record Delivery(
    string Chain, long Seq, string Person, string Email, string? Language, string Kind, string Council, string CouncilName, string? Title, string Link, int Attempts);

/// <summary>
/// The durable outbox of e-mail. Notices are written with their events; the mailer turns each into
/// one delivery per person who gets it by e-mail (a member when it happened and still, not
/// unsubscribed from its kind), claims a delivery before sending it, and marks it sent the moment
/// the mail server accepts it. A crash anywhere before that mark sends it again after the restart;
/// nothing the server acknowledged is sent twice, unless the crash falls between its answer and
/// the mark.
/// </summary>
public static class MailQueue
{
    private sealed record Pending(string Chain, long Seq, string Person, string Council, string Kind, string At);

    /// <summary>Deliveries for up to <paramref name="most"/> notices not yet mailed; answers how many notices it took.</summary>
    public static Result<int> Enqueue(WriteSession s, int most = 200)
    {
        // A notice more than a day old is news no more: e-mail turned on after months sends none of them.
        s.Write("UPDATE notices SET mailed = 1 WHERE mailed = 0 AND at < @dayAgo", new { dayAgo = Core.Log.LogEntry.FormatTime(s.Now - TimeSpan.FromDays(1)) });
        var pending = s.Query<Pending>(
            "SELECT chain, seq, person, council_id AS council, kind, at FROM notices WHERE mailed = 0 ORDER BY at LIMIT @most", new { most }).ToList();
        foreach (var notice in pending)
        {
            s.Write("""
                INSERT INTO deliveries (chain, seq, person)
                SELECT @Chain, @Seq, m.account_id FROM members m
                WHERE m.council_id = @Council AND m.joined_at <= @At AND (@Person = '' OR m.account_id = @Person)
                  AND NOT EXISTS (SELECT 1 FROM unsubscribed u WHERE u.person = m.account_id AND u.kind = @Kind)
                ON CONFLICT DO NOTHING
                """, notice);
            s.Write("UPDATE notices SET mailed = 1 WHERE chain = @Chain AND seq = @Seq AND person = @Person", notice);
        }
        return pending.Count;
    }

    /// <summary>Whether any notice waits to be turned into deliveries: read first, so that an idle mailer never takes the writer.</summary>
    public static async Task<bool> AnyPendingAsync(Database database, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM (SELECT 1 FROM notices WHERE mailed = 0 LIMIT 1) pending") > 0;
    }

    /// <summary>Deliveries due now, to people who are still members of the council: one who left hears nothing more.</summary>
    public static async Task<IReadOnlyList<Delivery>> DueAsync(Database database, DateTimeOffset now, int most, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string Chain, long Seq, string Person, string Email, string? Language, string Kind, string Council, string Name,
            string Subject, string? Title, string? Motion, string? Post, string? Mandate, string? CommentMotion, string? CommentPost, long Attempts)>($"""
            SELECT d.chain, d.seq, d.person, a.email, a.language, n.kind, n.council_id, c.name, n.subject,
                   COALESCE(mo.title, pt.body, ma.name), mo.id, po.id, ma.id, co.motion_id, co.post_id, d.attempts
            FROM deliveries d
            JOIN notices n ON n.chain = d.chain AND n.seq = d.seq AND (n.person = '' OR n.person = d.person)
            JOIN accounts a ON a.id = d.person
            JOIN members m ON m.council_id = n.council_id AND m.account_id = d.person
            JOIN councils c ON c.id = n.council_id
            {NoticeQueries.Subjects}
            WHERE d.sent_at IS NULL AND (d.next_at IS NULL OR d.next_at <= @now)
            ORDER BY n.at LIMIT {most}
            """, new { now = Core.Log.LogEntry.FormatTime(now) });
        return [.. rows.Select(r => new Delivery(r.Chain, r.Seq, r.Person, r.Email, r.Language, r.Kind, r.Council, r.Name, r.Title,
            NoticeQueries.LinkOf(r.Council, r.Subject, r.Motion, r.Post, r.Mandate, r.CommentMotion, r.CommentPost), (int)r.Attempts))];
    }

    /// <summary>Takes a delivery for this sender until <paramref name="until"/>: false when another sender (another node) has it.</summary>
    public static Result<bool> Claim(WriteSession s, Delivery d, DateTimeOffset until) =>
        s.Execute("""
            UPDATE deliveries SET next_at = @until
            WHERE chain = @Chain AND seq = @Seq AND person = @Person AND sent_at IS NULL AND (next_at IS NULL OR next_at <= @now)
            """, new { d.Chain, d.Seq, d.Person, until = Core.Log.LogEntry.FormatTime(until), now = s.Time }) == 1;

    public static Result<bool> Sent(WriteSession s, Delivery d)
    {
        s.Execute("UPDATE deliveries SET sent_at = @now, error = NULL WHERE chain = @Chain AND seq = @Seq AND person = @Person", new { d.Chain, d.Seq, d.Person, now = s.Time });
        return true;
    }

    /// <summary>The mail server refused or could not be reached: tried again at <paramref name="retryAt"/>, the reason kept for the operator.</summary>
    public static Result<bool> Failed(WriteSession s, Delivery d, DateTimeOffset retryAt, string error)
    {
        s.Execute("""
            UPDATE deliveries SET attempts = attempts + 1, next_at = @retry, error = @error
            WHERE chain = @Chain AND seq = @Seq AND person = @Person
            """, new { d.Chain, d.Seq, d.Person, retry = Core.Log.LogEntry.FormatTime(retryAt), error = error.Length > 500 ? error[..500] : error });
        return true;
    }

    /// <summary>No more e-mail of this kind to this person (the one-click link of every e-mail); in-app notices stay.</summary>
    public static Result<bool> Unsubscribe(WriteSession s, AccountId person, string kind)
    {
        s.Execute("INSERT INTO unsubscribed (person, kind) VALUES (@person, @kind) ON CONFLICT DO NOTHING", new { person, kind });
        s.Execute("DELETE FROM deliveries WHERE person = @person AND sent_at IS NULL AND (chain, seq) IN (SELECT chain, seq FROM notices WHERE kind = @kind)",
            new { person, kind });
        return true;
    }
}
