using Dapper;

namespace Shura.Storage.Feed;

/// <summary>A post as readers see it: its words in Markdown (none once taken back).</summary>
public sealed record PostView(
    string Id, string Council, string Kind, string Author, string AuthorName, string? Title, string? Text, string PublishedAt, bool Deleted);

public sealed class FeedQueries(Database database)
{
    /// <summary>At most this many posts in one answer: the latest.</summary>
    public const int MaxList = 100;

    private const string Select = """
        SELECT p.id, p.council_id, p.kind, p.author, a.name, title.body, text.body, p.published_at, p.deleted
        FROM posts p JOIN accounts a ON a.id = p.author
        LEFT JOIN texts title ON title.hash = p.title_hash LEFT JOIN texts text ON text.hash = p.text_hash
        """;

    private static PostView View((string Id, string Council, string Kind, string Author, string Name, string? Title, string? Text, string At, long Deleted) r) =>
        new(r.Id, r.Council, r.Kind, r.Author, r.Name, r.Deleted != 0 ? null : r.Title, r.Deleted != 0 ? null : r.Text, r.At, r.Deleted != 0);

    /// <summary>A council's feed, the latest first; posts taken back are left out.</summary>
    public async Task<IReadOnlyList<PostView>> OfCouncilAsync(CouncilId council, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string, string, string, string, string, string?, string?, string, long)>(
            $"{Select} WHERE p.council_id = @council AND p.deleted = 0 ORDER BY p.seq DESC LIMIT {MaxList}", new { council });
        return [.. rows.Select(View)];
    }

    public async Task<PostView?> GetAsync(PostId post, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string, string, string, string, string, string?, string?, string, long)>($"{Select} WHERE p.id = @post", new { post });
        return rows.Select(View).FirstOrDefault();
    }
}
