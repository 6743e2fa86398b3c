using Dapper;
using Shura.Core.Moderation;

namespace Shura.Storage.Moderation;

/// <summary>Reading flags and the words in question, outside the writer.</summary>
public sealed class ModerationQueries(Database database)
{
    /// <summary>
    /// The words of a comment or a post whatever its flags (hidden ones too), for the members who
    /// decide a hide or erase motion on it; none once taken back or erased.
    /// </summary>
    public async Task<(string? Title, string? Text, bool Gone)> WordsAsync(Moderated target, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var rows = target.Comment is { } comment
            ? await c.QueryAsync<(string? Title, string? Text, long Deleted)>(
                "SELECT NULL, t.body, x.deleted FROM comments x LEFT JOIN texts t ON t.hash = x.text_hash WHERE x.id = @id", new { id = comment })
            : await c.QueryAsync<(string? Title, string? Text, long Deleted)>("""
                SELECT title.body, text.body, x.deleted FROM posts x
                LEFT JOIN texts title ON title.hash = x.title_hash LEFT JOIN texts text ON text.hash = x.text_hash WHERE x.id = @id
                """, new { id = target.Post });
        var row = rows.FirstOrDefault();
        return row.Deleted != 0 ? (null, null, true) : (row.Title, row.Text, false);
    }

    /// <summary>Which of these texts <paramref name="reader"/> has flagged (by the pseudonym each flag carries), by <see cref="Moderated.Key"/>.</summary>
    public async Task<IReadOnlySet<string>> FlaggedByAsync(IEnumerable<Moderated> texts, AccountId reader, CancellationToken ct)
    {
        byte[] key = Keys.Pseudonyms(database);
        var names = texts.Select(t => (t.Key, Flagger: ModerationRules.Flagger(t, reader, key))).ToList();
        if (names.Count == 0)
        {
            return new HashSet<string>();
        }
        await using var c = await database.OpenConnectionAsync(ct);
        var flagged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in names.Select(n => n.Flagger).Chunk(500))
        {
            flagged.UnionWith(await c.QueryAsync<string>($"SELECT target FROM flags WHERE {database.OneOf("flagger", "@flaggers")}", new { flaggers = chunk }));
        }
        return flagged;
    }
}
