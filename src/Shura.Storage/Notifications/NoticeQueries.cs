using Dapper;

namespace Shura.Storage.Notifications;

/// <summary>One notice in a person's inbox: what happened, about what, where, and when; where to read it.</summary>
public sealed record NoticeView(string Kind, string Council, string CouncilName, string Subject, string? Title, string Link, string At, bool Unread);

/// <summary>
/// A person's notices (DESIGN §2, Notification): consequences of logged events, written with the
/// event in the same transaction (<see cref="Projector"/>), so none is lost and none is made twice.
/// A notice for a whole council is one row, read by each member who was one when it happened; a
/// notice for one person (an answer to their comment, their text hidden, a call they pledged to
/// going ahead) names them. A person reads only the notices of councils they are a member of now:
/// one who leaves hears nothing more from it. A notice due later (voting closes soon) shows from
/// then on; a kind the person turned off does not show. No notice carries a ballot.
/// </summary>
public sealed class NoticeQueries(Database database, TimeProvider clock)
{
    /// <summary>At most this many notices in one answer: the latest.</summary>
    public const int MaxList = 50;

    /// <summary>
    /// A notice after the last one the person marked read, in the order notices are listed (time,
    /// then chain and place in it): two notices of one instant are never taken for each other.
    /// </summary>
    private const string Unread = """
        (a.notices_read_at IS NULL OR n.at > a.notices_read_at
         OR (n.at = a.notices_read_at AND (n.chain > a.notices_read_chain OR (n.chain = a.notices_read_chain AND n.seq > a.notices_read_seq))))
        """;

    private const string Mine = $"""
        SELECT n.kind, n.council_id, c.name, n.subject, COALESCE(mo.title, pt.body, ma.name, ac.description) AS title,
               co.motion_id AS comment_motion, co.post_id AS comment_post, mo.id AS motion, po.id AS post, ma.id AS mandate, ac.id AS action, n.at,
               CASE WHEN {Unread} THEN 1 ELSE 0 END AS unread
        FROM notices n
        JOIN members m ON m.council_id = n.council_id AND m.account_id = @person AND n.at >= m.joined_at
        JOIN councils c ON c.id = n.council_id
        JOIN accounts a ON a.id = @person
        {Subjects}
        WHERE (n.person = '' OR n.person = @person) AND n.at <= @now
          AND NOT EXISTS (SELECT 1 FROM notice_channels nc WHERE nc.person = @person AND nc.kind = n.kind AND nc.channel = 'off')
        """;

    public async Task<IReadOnlyList<NoticeView>> OfAsync(AccountId person, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string Kind, string Council, string Name, string Subject, string? Title,
            string? CommentMotion, string? CommentPost, string? Motion, string? Post, string? Mandate, string? Action, string At, long Unread)>(
            $"{Mine} ORDER BY n.at DESC, n.chain DESC, n.seq DESC, n.kind DESC LIMIT {MaxList}", new { person, now = Now });
        return [.. rows.Select(r => new NoticeView(r.Kind, r.Council, r.Name, r.Subject, r.Title,
            LinkOf(r.Council, r.Subject, r.Motion, r.Post, r.Mandate, r.CommentMotion, r.CommentPost, r.Action), r.At, r.Unread != 0))];
    }

    /// <summary>What a notice's subject is, joined for its title and where to read it.</summary>
    internal const string Subjects = """
        LEFT JOIN motions mo ON mo.id = n.subject
        LEFT JOIN posts po ON po.id = n.subject AND po.deleted = 0 AND po.hidden_by IS NULL
        LEFT JOIN texts pt ON pt.hash = po.title_hash
        LEFT JOIN comments co ON co.id = n.subject
        LEFT JOIN mandates ma ON ma.id = n.subject
        LEFT JOIN actions ac ON ac.id = n.subject
        """;

    /// <summary>The page a notice leads to: its motion, post, mandate or comment, or else its council.</summary>
    internal static string LinkOf(string council, string subject, string? motion, string? post, string? mandate, string? commentMotion, string? commentPost, string? action) =>
        motion is not null ? $"/motions/{motion}"
        : action is not null ? $"/councils/{council}/actions#action-{action}"
        : post is not null ? $"/posts/{post}"
        : mandate is not null ? $"/mandates/{mandate}"
        : commentMotion is not null ? $"/motions/{commentMotion}#comment-{subject}"
        : commentPost is not null ? $"/posts/{commentPost}#comment-{subject}"
        : $"/councils/{council}";

    /// <summary>How many notices this person has not read yet (up to <see cref="MaxList"/> and one more: "50+").</summary>
    public async Task<int> UnreadAsync(AccountId person, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM ({Mine} AND {Unread} LIMIT {MaxList + 1}) unread",
            new { person, now = Now });
    }

    private string Now => Core.Log.LogEntry.FormatTime(clock.GetUtcNow());

    /// <summary>How this person chose to hear of each kind: every kind, the default where they chose nothing.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ChannelsAsync(AccountId person, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var chosen = (await c.QueryAsync<(string Kind, string Channel)>("SELECT kind, channel FROM notice_channels WHERE person = @person", new { person }))
            .ToDictionary(r => r.Kind, r => r.Channel, StringComparer.Ordinal);
        return NoticeKinds.All.ToDictionary(k => k, k => chosen.GetValueOrDefault(k, NoticeKinds.Default), StringComparer.Ordinal);
    }
}

/// <summary>Marking one's notices read: private to the person, never in the log.</summary>
public static class NoticeCommands
{
    /// <summary>Everything up to the newest notice this person has now is read; what comes after, even in the same instant, is not.</summary>
    public static Result<bool> MarkRead(WriteSession s, AccountId person)
    {
        var newest = s.Query<(string At, string Chain, long Seq)>("""
            SELECT n.at, n.chain, n.seq FROM notices n JOIN members m ON m.council_id = n.council_id AND m.account_id = @person
            WHERE (n.person = '' OR n.person = @person) AND n.at <= @now ORDER BY n.at DESC, n.chain DESC, n.seq DESC LIMIT 1
            """, new { person, now = s.Time }).ToList();
        if (newest.Count == 1)
        {
            s.Execute("UPDATE accounts SET notices_read_at = @At, notices_read_chain = @Chain, notices_read_seq = @Seq WHERE id = @person",
                new { newest[0].At, newest[0].Chain, newest[0].Seq, person });
        }
        return true;
    }

    /// <summary>How this person hears of each kind they name (<see cref="NoticeKinds"/>); a kind or a channel not known is refused, and nothing changes.</summary>
    public static Result<bool> Choose(WriteSession s, AccountId person, IReadOnlyDictionary<string, string> channels)
    {
        foreach (var (kind, channel) in channels)
        {
            if (!NoticeKinds.All.Contains(kind))
            {
                return Refusal.Invalid(Codes.InvalidField, $"\"{kind}\" is not a kind of notice: one of {string.Join(", ", NoticeKinds.All)}.", "channels");
            }
            if (!NoticeKinds.Channels.Contains(channel))
            {
                return Refusal.Invalid(Codes.InvalidField, $"\"{channel}\" is not a channel: one of {string.Join(", ", NoticeKinds.Channels)}.", $"channels.{kind}");
            }
        }
        foreach (var (kind, channel) in channels)
        {
            s.Execute("""
                INSERT INTO notice_channels (person, kind, channel) VALUES (@person, @kind, @channel)
                ON CONFLICT (person, kind) DO UPDATE SET channel = excluded.channel
                """, new { person, kind, channel });
            if (channel is "in-app" or "off")
            {
                // E-mails of this kind not sent yet are not sent.
                s.Execute("DELETE FROM deliveries WHERE person = @person AND kind = @kind AND sent_at IS NULL", new { person, kind });
            }
        }
        return true;
    }
}
