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

    /// <summary>Its images, in the order they were attached; none once it is gone or while it is hidden.</summary>
    public IReadOnlyList<ImageView> Images { get; init; } = [];
}

/// <summary>An image of a post: where the API serves it (pages show it from <c>/images/{id}</c>), its size, and the words that describe it.</summary>
public sealed record ImageView(string Id, string Url, int Width, int Height, string Description);

/// <summary>An image's bytes with what deciding who may fetch them needs.</summary>
public sealed record ImageFile(CouncilId Council, bool Shown, string ContentType, byte[] Bytes);

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
        if (rows.Select(View).FirstOrDefault() is not { } view)
        {
            return null;
        }
        if (!view.Shown)
        {
            return view;
        }
        var images = await c.QueryAsync<(string Id, long Width, long Height, string? Description)>("""
            SELECT i.id, i.width, i.height, t.body FROM images i LEFT JOIN texts t ON t.hash = i.description_hash WHERE i.post_id = @post ORDER BY i.seq
            """, new { post });
        return view with { Images = [.. images.Select(i => new ImageView(i.Id, $"/api/v1/images/{i.Id}", (int)i.Width, (int)i.Height, i.Description ?? ""))] };
    }

    /// <summary>An image's bytes, and whether its post shows it (neither gone nor hidden); null when there is no such image or its bytes are gone.</summary>
    public async Task<ImageFile?> ImageAsync(ImageId image, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string Council, long Deleted, string? HiddenBy, string ContentType, byte[] Bytes)>("""
            SELECT i.council_id, p.deleted, p.hidden_by, i.content_type, b.bytes
            FROM images i JOIN posts p ON p.id = i.post_id JOIN image_bytes b ON b.hash = i.hash WHERE i.id = @image
            """, new { image });
        return rows.Select(r => new ImageFile(new CouncilId(Guid.Parse(r.Council)), r.Deleted == 0 && r.HiddenBy is null, r.ContentType, r.Bytes)).FirstOrDefault();
    }

    /// <summary>A call to action as readers see it, with where it stands at <paramref name="now"/> and whether <paramref name="reader"/> pledged.</summary>
    public async Task<CallView?> CallAsync(PostId post, AccountId? reader, DateTimeOffset now, CancellationToken ct)
    {
        if (await GetAsync(post, ct) is not { } view)
        {
            return null;
        }
        await using var c = await database.OpenConnectionAsync(ct);
        var rows = (await c.QueryAsync<(string? Place, string StartsAt, long? Threshold, string? Deadline, long Pledges, long On, string? EndsAt)>("""
            SELECT t.body, c.starts_at, c.threshold, c.deadline, c.pledges, c.going_ahead, c.ends_at FROM calls c LEFT JOIN texts t ON t.hash = c.place_hash WHERE c.post_id = @post
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
            Core.Feed.CallRules.Name(Core.Feed.CallRules.StatusOf(call, now)), pledged, r.EndsAt);
    }
}

/// <summary>A call to action: the post, its place and time, and its pledges.</summary>
public sealed record CallView(PostView Post, string? Place, string StartsAt, int? Threshold, string? Deadline, int Pledges, string Status, bool Pledged, string? EndsAt = null);
