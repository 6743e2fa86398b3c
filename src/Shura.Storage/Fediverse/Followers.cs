using Dapper;

namespace Shura.Storage.Fediverse;

/// <summary>
/// An activity to deliver to one inbox, signed with its council's key when sent. Its body is its own
/// (an <c>Accept</c>), or, for what was fanned out, its activity's, kept once and read when sent.
/// </summary>
public sealed record ApDelivery(string Id, string Council, string Inbox, string Body, long Attempts, string CreatedAt, string? Activity = null);

/// <summary>
/// Who follows a public council from the federated social web, the keys of remote actors (cached
/// after a good signature only), and the durable queue of activities to deliver: written in the same
/// step as what they tell, sent by the deliverer, retried with back-off, and set aside after a day.
/// </summary>
public static class Followers
{
    /// <summary>How long a delivery is retried before it is set aside (dead-lettered).</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(1);

    /// <summary>A follow: the follower is kept (again, if they followed before) and the council's <c>Accept</c> is queued to their inbox.</summary>
    public static Result<bool> Follow(WriteSession s, CouncilId council, string actor, string inbox, string? sharedInbox, string accept)
    {
        // Read again in the write: a block that came into force since the inbox looked holds.
        if (Core.Councils.ServerBlocks.BlocksAny(Councils.CouncilCommands.Load(s, council)?.Settings.BlockedServers, actor, inbox, sharedInbox))
        {
            return Refusal.Forbidden(Codes.ServerBlocked, "The members of this council blocked this server.");
        }
        s.Execute("""
            INSERT INTO followers (council_id, actor, inbox, shared_inbox, followed_at) VALUES (@council, @actor, @inbox, @sharedInbox, @now)
            ON CONFLICT (council_id, actor) DO UPDATE SET inbox = excluded.inbox, shared_inbox = excluded.shared_inbox
            """, new { council = council.ToString(), actor, inbox, sharedInbox, now = s.Time });
        Queue(s, council, inbox, accept);
        return true;
    }

    public static Result<bool> Unfollow(WriteSession s, CouncilId council, string actor)
    {
        s.Execute("DELETE FROM followers WHERE council_id = @council AND actor = @actor", new { council = council.ToString(), actor });
        return true;
    }

    /// <summary>
    /// A block come into force: the council's followers on the blocked servers are followers no more,
    /// what was still to be delivered there is not, and their likes and boosts are not counted.
    /// (Their replies stay in the discussion, for the members to moderate like any other comment.)
    /// </summary>
    internal static void ForgetBlocked(WriteSession s, CouncilId council, IReadOnlyList<string>? blocked)
    {
        if (blocked is not { Count: > 0 })
        {
            return;
        }
        string id = council.ToString();
        foreach (var f in s.Query<(string Actor, string Inbox, string? Shared)>("SELECT actor, inbox, shared_inbox FROM followers WHERE council_id = @id", new { id }))
        {
            if (Core.Councils.ServerBlocks.BlocksAny(blocked, f.Actor, f.Inbox, f.Shared))
            {
                s.Execute("DELETE FROM followers WHERE council_id = @id AND actor = @actor", new { id, actor = f.Actor });
            }
        }
        foreach (var d in s.Query<(string Id, string Inbox)>("SELECT id, inbox FROM ap_deliveries WHERE council_id = @id AND sent_at IS NULL AND dead_at IS NULL", new { id }))
        {
            if (Core.Councils.ServerBlocks.BlocksAny(blocked, d.Inbox))
            {
                s.Execute("DELETE FROM ap_deliveries WHERE id = @delivery", new { delivery = d.Id });
            }
        }
        foreach (var r in s.Query<string>("SELECT DISTINCT r.actor FROM ap_reactions r JOIN posts p ON p.id = r.post_id WHERE p.council_id = @id", new { id }))
        {
            if (Core.Councils.ServerBlocks.BlocksAny(blocked, r))
            {
                s.Execute("DELETE FROM ap_reactions WHERE actor = @actor AND post_id IN (SELECT id FROM posts WHERE council_id = @id)", new { actor = r, id });
            }
        }
    }

    internal static void Queue(WriteSession s, CouncilId council, string inbox, string body) =>
        s.Execute("INSERT INTO ap_deliveries (id, council_id, inbox, body, created_at) VALUES (@id, @council, @inbox, @body, @now)",
            new { id = Guid.CreateVersion7(s.Now).ToString(), council = council.ToString(), inbox, body, now = s.Time });

    /// <summary>Keeps a remote actor's key, after a request it signed was found good.</summary>
    public static Result<bool> KeepKey(WriteSession s, string keyId, string actor, string publicPem)
    {
        s.Execute("""
            INSERT INTO remote_keys (key_id, actor, public_pem, fetched_at) VALUES (@keyId, @actor, @publicPem, @now)
            ON CONFLICT (key_id) DO UPDATE SET actor = excluded.actor, public_pem = excluded.public_pem, fetched_at = excluded.fetched_at
            """, new { keyId, actor, publicPem, now = s.Time });
        return true;
    }

    public static async Task<(string Actor, string PublicPem)?> KeyAsync(Database database, string keyId, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<(string, string)?>("SELECT actor, public_pem FROM remote_keys WHERE key_id = @keyId", new { keyId });
    }

    /// <summary>The post and comment a reply from another server made, by the reply's id there.</summary>
    public static async Task<(PostId Post, CommentId Comment)?> ReplyAsync(Database database, string objectId, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var found = await c.QuerySingleOrDefaultAsync<(string Post, string Comment)?>(
            "SELECT c.post_id, c.id FROM ap_replies r JOIN comments c ON c.id = r.comment_id WHERE r.object_id = @objectId", new { objectId });
        return found is { } f ? (new PostId(Guid.Parse(f.Post)), new CommentId(Guid.Parse(f.Comment))) : null;
    }

    /// <summary>The council a post belongs to.</summary>
    public static async Task<CouncilId?> CouncilOfPostAsync(Database database, PostId post, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<string?>("SELECT council_id FROM posts WHERE id = @post", new { post = post.ToString() }) is { } council
            ? new CouncilId(Guid.Parse(council))
            : null;
    }

    public static async Task<int> CountAsync(Database database, CouncilId council, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM followers WHERE council_id = @council", new { council = council.ToString() });
    }

    /// <summary>
    /// Deliveries due now, oldest first. Those of an activity fanned out come without its body (each
    /// round reads thousands of them; the worker reads each activity's body once, <see cref="BodiesAsync"/>).
    /// </summary>
    public static async Task<IReadOnlyList<ApDelivery>> DueAsync(Database database, DateTimeOffset now, int most, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        // Read as a tuple: the engines give the attempts column as different integer types.
        var rows = await c.QueryAsync<(string Id, string Council, string Inbox, string Body, long Attempts, string CreatedAt, string? Activity)>($"""
            SELECT d.id, d.council_id, d.inbox, d.body, d.attempts, d.created_at, d.activity_id FROM ap_deliveries d
            WHERE d.sent_at IS NULL AND d.dead_at IS NULL AND (d.next_at IS NULL OR d.next_at <= @now) ORDER BY d.created_at LIMIT {most}
            """, new { now = Core.Log.LogEntry.FormatTime(now) });
        return [.. rows.Select(r => new ApDelivery(r.Id, r.Council, r.Inbox, r.Body, r.Attempts, r.CreatedAt, r.Activity))];
    }

    /// <summary>The bodies of these activities, by id; one dropped since (its post taken back) is not there.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> BodiesAsync(Database database, IReadOnlyCollection<string> activities, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var bodies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string id in activities)
        {
            if (await c.ExecuteScalarAsync<string?>("SELECT body FROM ap_activities WHERE id = @id", new { id }) is { } body)
            {
                bodies[id] = body;
            }
        }
        return bodies;
    }

    /// <summary>The private half of a council's current key, to sign with.</summary>
    public static async Task<(string KeyId, string PrivatePem)?> SigningKeyAsync(Database database, string council, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<(string, string)?>(
            "SELECT key_id, private_pem FROM actor_keys WHERE council_id = @council AND retired_at IS NULL", new { council });
    }

    /// <summary>"id is one of @chunk", as each engine says it: PostgreSQL takes the list as one array, SQLite as a list Dapper spreads out.</summary>
    private static string OneOf(WriteSession s) => s.Database.Engine == Engine.Postgres ? "id = ANY(@chunk)" : "id IN @chunk";

    /// <summary>Takes deliveries for sending (for a while, so another round does not send them too): answers those it took.</summary>
    public static Result<IReadOnlyList<string>> Claim(WriteSession s, IReadOnlyList<string> ids, DateTimeOffset until)
    {
        var taken = new List<string>();
        foreach (var chunk in ids.Chunk(500))
        {
            taken.AddRange(s.Query<string>($"SELECT id FROM ap_deliveries WHERE {OneOf(s)} AND sent_at IS NULL AND (next_at IS NULL OR next_at <= @now)",
                new { chunk, now = s.Time }));
            s.Execute($"UPDATE ap_deliveries SET next_at = @until WHERE {OneOf(s)} AND sent_at IS NULL AND (next_at IS NULL OR next_at <= @now)",
                new { chunk, until = Core.Log.LogEntry.FormatTime(until), now = s.Time });
        }
        return taken;
    }

    public static Result<bool> Sent(WriteSession s, IReadOnlyList<string> ids)
    {
        foreach (var chunk in ids.Chunk(500))
        {
            s.Execute($"UPDATE ap_deliveries SET sent_at = @now, error = NULL WHERE {OneOf(s)}", new { chunk, now = s.Time });
        }
        return true;
    }

    /// <summary>Not taken: tried again later, ever less often; after <see cref="GiveUpAfter"/> set aside with its reason.</summary>
    public static Result<bool> Failed(WriteSession s, IReadOnlyList<(ApDelivery Delivery, DateTimeOffset RetryAt, string Error)> failures)
    {
        foreach (var (d, retryAt, error) in failures)
        {
            bool dead = s.Now - Core.Log.LogEntry.ParseTime(d.CreatedAt) > GiveUpAfter;
            s.Execute("UPDATE ap_deliveries SET attempts = attempts + 1, next_at = @retry, error = @error, dead_at = @dead WHERE id = @Id", new
            {
                d.Id, retry = Core.Log.LogEntry.FormatTime(retryAt), error = error.Length > 500 ? error[..500] : error, dead = dead ? s.Time : null,
            });
        }
        return true;
    }
}
