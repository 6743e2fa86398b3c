using Dapper;
using Row = (string Id, string? ReplyTo, string Author, string Name, string? Body, string PostedAt, string? EditedAt, long Deleted);

namespace Shura.Storage.Discussion;

/// <summary>A comment as readers see it: its words (none once taken back) and its place in the thread.</summary>
public sealed record CommentView(
    string Id, string? ReplyTo, string Author, string AuthorName, string? Text, string PostedAt, string? EditedAt, bool Deleted);

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
        SELECT c.id, c.reply_to, c.author, a.name, t.body, c.posted_at, c.edited_at, c.deleted
        FROM comments c JOIN accounts a ON a.id = c.author LEFT JOIN texts t ON t.hash = c.text_hash
        """;

    /// <summary>A comment taken back shows no words, even should its text still be kept for another.</summary>
    private static CommentView View(Row r) =>
        new(r.Id, r.ReplyTo, r.Author, r.Name, r.Deleted != 0 ? null : r.Body, r.PostedAt, r.EditedAt, r.Deleted != 0);

    /// <summary>
    /// A number that grows with every change to a motion's discussion (a comment, a change, a
    /// comment taken back): a page compares it with the one it was drawn at.
    /// </summary>
    public async Task<long> VersionAsync(MotionId motion, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>("""
            SELECT (SELECT COUNT(*) FROM comment_versions v JOIN comments c ON c.id = v.comment_id WHERE c.motion_id = @motion)
                 + (SELECT COUNT(*) FROM comments WHERE motion_id = @motion AND deleted = 1)
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

    /// <summary>The motion a comment belongs to, for checking who may read it.</summary>
    public async Task<(MotionId Motion, CouncilId Council)?> PlaceOfAsync(CommentId comment, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var row = (await c.QueryAsync<(string Motion, string Council)>("SELECT motion_id, council_id FROM comments WHERE id = @comment", new { comment })).ToList();
        return row.Count == 0 ? null : (new MotionId(Guid.Parse(row[0].Motion)), new CouncilId(Guid.Parse(row[0].Council)));
    }
}
