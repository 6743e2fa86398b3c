using Dapper;
using Row = (string Id, string? ReplyTo, string Author, string Name, string? Body, string PostedAt, string? EditedAt, long Deleted, string? HiddenBy, string? Remote);

namespace Shura.Storage.Discussion;

/// <summary>
/// A comment as readers see it: its words (none once taken back, erased, or while hidden) and its
/// place in the thread.
/// </summary>
public sealed record CommentView(
    string Id, string? ReplyTo, string Author, string AuthorName, string? Text, string PostedAt, string? EditedAt, bool Deleted)
{
    /// <summary>Erased by the members' decision (then <see cref="Deleted"/> too), as against taken back by its author.</summary>
    public bool Erased { get; init; }

    /// <summary>The motion that holds it hidden, after flags reached the threshold.</summary>
    public string? HiddenBy { get; init; }

    /// <summary>For a reply from another server of the federated social web: its author's address there (null once erased).</summary>
    public string? RemoteActor { get; init; }

    /// <summary>Whether it came from another server (its <see cref="Author"/> is then no account here).</summary>
    public bool FromFediverse => Author == Core.Discussion.FediverseReplied.From;
}

public sealed class DiscussionQueries(Database database)
{
    /// <summary>At most this many comments in one answer: the first ones.</summary>
    public const int MaxList = 1000;

    /// <summary>A motion's discussion in the order the log holds it (replies name the comment they answer).</summary>
    public Task<IReadOnlyList<CommentView>> OfMotionAsync(MotionId motion, CancellationToken ct) => ThreadAsync("motion_id", motion.ToString(), ct);

    /// <summary>A post's discussion in the order the log holds it.</summary>
    public Task<IReadOnlyList<CommentView>> OfPostAsync(PostId post, CancellationToken ct) => ThreadAsync("post_id", post.ToString(), ct);

    private async Task<IReadOnlyList<CommentView>> ThreadAsync(string column, string subject, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<Row>($"{Select} WHERE c.{column} = @subject ORDER BY c.seq LIMIT {MaxList}", new { subject });
        return [.. rows.Select(View)];
    }

    private const string Select = """
        SELECT c.id, c.reply_to, c.author, COALESCE(a.name, '') AS name, t.body, c.posted_at, c.edited_at, c.deleted, c.hidden_by, ra.body AS remote
        FROM comments c LEFT JOIN accounts a ON a.id = c.author LEFT JOIN texts t ON t.hash = c.text_hash LEFT JOIN texts ra ON ra.hash = c.remote_author
        """;

    /// <summary>How a reply's author from another server is kept beside the log: their name, a line feed, their actor's address.</summary>
    public static string RemoteAuthor(string name, string actor) => $"{name}\n{actor}";

    /// <summary>A comment taken back, erased or hidden shows no words, even should its text still be kept for another.</summary>
    private static CommentView View(Row r)
    {
        string[] remote = r.Remote?.Split('\n', 2) ?? [];
        return new(r.Id, r.ReplyTo, r.Author, remote.Length == 2 ? remote[0] : r.Name, r.Deleted != 0 || r.HiddenBy is not null ? null : r.Body, r.PostedAt, r.EditedAt, r.Deleted != 0)
        {
            Erased = r.Deleted == 2, HiddenBy = r.HiddenBy, RemoteActor = remote.Length == 2 ? remote[1] : null,
        };
    }

    /// <summary>
    /// A number that grows with every change to a motion's discussion (a comment, a change, a
    /// comment taken back): a page compares it with the one it was drawn at.
    /// </summary>
    public async Task<long> VersionAsync(MotionId motion, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>("""
            SELECT (SELECT COUNT(*) FROM comment_versions v JOIN comments c ON c.id = v.comment_id WHERE c.motion_id = @motion)
                 + (SELECT COALESCE(SUM(deleted), 0) FROM comments WHERE motion_id = @motion)
                 + (SELECT COUNT(*) FROM comments WHERE motion_id = @motion AND hidden_by IS NOT NULL)
            """, new { motion });
    }

    /// <summary>One comment as readers see it.</summary>
    public async Task<CommentView?> GetAsync(CommentId comment, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<Row>($"{Select} WHERE c.id = @comment", new { comment });
        return rows.Select(View).FirstOrDefault();
    }

    /// <summary>The council a motion belongs to, for checking who may read its discussion.</summary>
    public async Task<CouncilId?> CouncilOfMotionAsync(MotionId motion, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var council = await c.ExecuteScalarAsync<string?>("SELECT council_id FROM motions WHERE id = @motion", new { motion });
        return council is null ? null : new CouncilId(Guid.Parse(council));
    }

    /// <summary>The council a comment (on a motion or on a post) belongs to, for checking who may read it.</summary>
    public async Task<CouncilId?> CouncilOfCommentAsync(CommentId comment, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var council = await c.ExecuteScalarAsync<string?>("SELECT council_id FROM comments WHERE id = @comment", new { comment });
        return council is null ? null : new CouncilId(Guid.Parse(council));
    }
}
