using Dapper;
using Row = (string Id, string Council, string Kind, string Author, string Name, string? Title, string? Text, string At, long Deleted, string? HiddenBy);

namespace Shura.Storage.Feed;

/// <summary>A post as readers see it: its words in Markdown (none once taken back, erased, or while hidden).</summary>
public sealed record PostView(
    string Id, string Council, string Kind, string Author, string AuthorName, string? Title, string? Text, string PublishedAt, bool Deleted)
{
    /// <summary>Erased by the members' decision (then <see cref="Deleted"/> too), as against taken back by its author.</summary>
    public bool Erased { get; init; }

    /// <summary>The motion that holds it hidden, after flags reached the threshold.</summary>
    public string? HiddenBy { get; init; }

    /// <summary>Whether its words are shown: neither gone nor hidden.</summary>
    public bool Shown => !Deleted && HiddenBy is null;
}

public sealed class FeedQueries(Database database)
{
    /// <summary>At most this many posts in one answer: the latest.</summary>
    public const int MaxList = 100;

    private const string Select = """
        SELECT p.id, p.council_id, p.kind, p.author, a.name, title.body, text.body, p.published_at, p.deleted, p.hidden_by
        FROM posts p JOIN accounts a ON a.id = p.author
        LEFT JOIN texts title ON title.hash = p.title_hash LEFT JOIN texts text ON text.hash = p.text_hash
        """;

    private static PostView View(Row r)
    {
        bool shown = r.Deleted == 0 && r.HiddenBy is null;
        return new(r.Id, r.Council, r.Kind, r.Author, r.Name, shown ? r.Title : null, shown ? r.Text : null, r.At, r.Deleted != 0)
        {
            Erased = r.Deleted == 2, HiddenBy = r.HiddenBy,
        };
    }

    /// <summary>A council's feed, the latest first; posts taken back, erased or hidden are left out.</summary>
    public async Task<IReadOnlyList<PostView>> OfCouncilAsync(CouncilId council, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<Row>(
            $"{Select} WHERE p.council_id = @council AND p.deleted = 0 AND p.hidden_by IS NULL ORDER BY p.seq DESC LIMIT {MaxList}", new { council });
        return [.. rows.Select(View)];
    }

    public async Task<PostView?> GetAsync(PostId post, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<Row>($"{Select} WHERE p.id = @post", new { post });
        return rows.Select(View).FirstOrDefault();
    }

    /// <summary>A call to action as readers see it, with where it stands at <paramref name="now"/> and whether <paramref name="reader"/> pledged.</summary>
    public async Task<CallView?> CallAsync(PostId post, AccountId? reader, DateTimeOffset now, CancellationToken ct)
    {
        if (await GetAsync(post, ct) is not { } view)
        {
            return null;
        }
        await using var c = await database.OpenConnectionAsync(ct);
        var rows = (await c.QueryAsync<(string? Place, string StartsAt, long? Threshold, string? Deadline, long Pledges, long On)>("""
            SELECT t.body, c.starts_at, c.threshold, c.deadline, c.pledges, c.going_ahead FROM calls c LEFT JOIN texts t ON t.hash = c.place_hash WHERE c.post_id = @post
            """, new { post })).ToList();
        if (rows.Count == 0)
        {
            return null;
        }
        var r = rows[0];
        var call = new Core.Feed.CallRules.Call(post, new CouncilId(Guid.Parse(view.Council)), WriteSession.Parse(r.StartsAt), (int?)r.Threshold,
            r.Deadline is null ? null : WriteSession.Parse(r.Deadline), (int)r.Pledges, r.On != 0, view.Deleted);
        bool pledged = reader is { } me && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pledges WHERE post_id = @post AND person = @me", new { post, me }) > 0;
        return new CallView(view, view.Shown ? r.Place : null, r.StartsAt, (int?)r.Threshold, r.Deadline, (int)r.Pledges,
            Core.Feed.CallRules.Name(Core.Feed.CallRules.StatusOf(call, now)), pledged);
    }
}

/// <summary>A call to action: the post, its place and time, and its pledges.</summary>
public sealed record CallView(PostView Post, string? Place, string StartsAt, int? Threshold, string? Deadline, int Pledges, string Status, bool Pledged);
