using Dapper;
using Shura.Core.Motions;

namespace Shura.Storage.Accounts;

/// <summary>
/// Everything the server keeps about one person, for them to take away (DESIGN §2, Person): their
/// account, memberships, their own ballots on motions open now (found through their pseudonym where
/// ballots are secret: only they can ask), comments, posts, pledges, notices, tokens and sessions.
/// Nobody else's ballot, and no secret (token and session secrets are kept only as hashes anyway).
/// </summary>
public sealed class PersonalData(Database database)
{
    public async Task<Dictionary<string, object?>> ExportAsync(AccountId person, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        object? One(string sql) => c.QuerySingleOrDefault(sql, new { person });
        List<dynamic> All(string sql) => [.. c.Query(sql, new { person })];
        var key = Keys.Pseudonyms(database);
        var open = c.Query<(string Id, string Council, string Title, long Secret)>("""
            SELECT mo.id, mo.council_id, mo.title, mo.secret FROM motions mo JOIN members m ON m.council_id = mo.council_id AND m.account_id = @person
            WHERE mo.state = 'voting' ORDER BY mo.id
            """, new { person });
        var ballots = new List<object>();
        foreach (var motion in open)
        {
            string voter = motion.Secret != 0 ? MotionRules.Pseudonym(new MotionId(Guid.Parse(motion.Id)), person, key) : person.ToString();
            if (c.QuerySingleOrDefault<(string Ballot, string CastAt)?>("SELECT ballot, cast_at FROM ballots WHERE motion_id = @id AND voter = @voter",
                new { id = motion.Id, voter }) is { } ballot)
            {
                ballots.Add(new
                {
                    motion = motion.Id, council = motion.Council, title = motion.Title, secret = motion.Secret != 0,
                    ballot = System.Text.Json.JsonDocument.Parse(ballot.Ballot).RootElement.Clone(), castAt = ballot.CastAt,
                });
            }
        }
        return new Dictionary<string, object?>
        {
            ["account"] = One("""
                SELECT id, name, email, email_verified_at AS "emailVerifiedAt", registered_at AS "registeredAt", time_zone AS "timeZone", language
                FROM accounts WHERE id = @person
                """),
            ["memberships"] = All("""SELECT m.council_id AS council, c.name, m.joined_at AS "joinedAt" FROM members m JOIN councils c ON c.id = m.council_id WHERE m.account_id = @person ORDER BY m.joined_at"""),
            ["openBallots"] = ballots,
            ["comments"] = All("""
                SELECT co.id, co.council_id AS council, co.motion_id AS motion, co.post_id AS post, co.reply_to AS "replyTo", t.body AS text, co.posted_at AS "postedAt"
                FROM comments co LEFT JOIN texts t ON t.hash = co.text_hash WHERE co.author = @person AND co.deleted = 0 ORDER BY co.seq
                """),
            ["posts"] = All("""
                SELECT p.id, p.council_id AS council, p.kind, tt.body AS title, tx.body AS text, p.published_at AS "publishedAt"
                FROM posts p LEFT JOIN texts tt ON tt.hash = p.title_hash LEFT JOIN texts tx ON tx.hash = p.text_hash
                WHERE p.author = @person AND p.deleted = 0 ORDER BY p.seq
                """),
            ["pledges"] = All("""SELECT post_id AS call, at FROM pledges WHERE person = @person ORDER BY at"""),
            ["notices"] = All("""
                SELECT n.kind, n.council_id AS council, n.subject, n.at FROM notices n JOIN members m ON m.council_id = n.council_id AND m.account_id = @person AND n.at >= m.joined_at
                WHERE n.person = '' OR n.person = @person ORDER BY n.at
                """),
            ["noticeChannels"] = All("SELECT kind, channel FROM notice_channels WHERE person = @person ORDER BY kind"),
            ["tokens"] = All("""SELECT id, label, created_at AS "createdAt", revoked_at AS "revokedAt" FROM tokens WHERE account_id = @person ORDER BY created_at"""),
            ["sessions"] = All("""SELECT created_at AS "createdAt", ended_at AS "endedAt" FROM sessions WHERE account_id = @person ORDER BY created_at"""),
        };
    }
}
