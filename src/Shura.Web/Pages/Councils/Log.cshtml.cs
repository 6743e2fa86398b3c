using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Shura.Core.Log;
using Shura.Storage.Log;

namespace Shura.Web.Pages.Councils;

/// <summary>
/// The council's public log (DESIGN P7), the newest entries first, a page at a time: each entry with
/// what it concerns (the motion or mandate, linked), who wrote it (a person, a pseudonym, or the
/// clock that runs deadlines), and its hash. The whole log downloads as JSON Lines, the file
/// <c>shura verify --log</c> checks and recounts without the server.
/// </summary>
public sealed class LogModel(CouncilQueries councils, LogQueries log, AccountQueries accounts, Database database) : ShuraPage
{
    public const int PageSize = 100;

    public string CouncilName { get; private set; } = "";

    public IReadOnlyList<LogEntry> Entries { get; private set; } = [];

    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();

    /// <summary>What each entry concerns, by its sequence number: a link and the words for it.</summary>
    public IReadOnlyDictionary<long, (string Link, string Label)> Subjects { get; private set; } = new Dictionary<long, (string, string)>();

    /// <summary>Earlier entries follow this page.</summary>
    public bool More { get; private set; }

    public async Task<IActionResult> OnGetAsync(CouncilId id, long? before, CancellationToken ct)
    {
        var view = await councils.GetAsync(id, ct);
        if (view is null || !await MayReadAsync(view, ct))
        {
            return NotFound();
        }
        CouncilName = view.Council.Name;
        Entries = await log.NewestAsync(id.ToString(), before is > 0 ? before : null, PageSize, ct);
        More = Entries.Count > 0 && Entries[^1].Sequence > 1;
        Names = await accounts.NamesAsync(Entries.Select(e => e.Actor), ct);
        Subjects = await SubjectsAsync(ct);
        return Page();
    }

    /// <summary>The whole log as JSON Lines, as <c>shura export</c> writes it: the file <c>shura verify --log</c> reads.</summary>
    public async Task<IActionResult> OnGetDownloadAsync(CouncilId id, [FromServices] IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var view = await councils.GetAsync(id, ct);
        if (view is null || !await MayReadAsync(view, ct))
        {
            return NotFound();
        }
        Response.Headers.ContentDisposition = $"attachment; filename=\"shura-log-{id}.jsonl\"";
        Response.ContentType = "application/jsonl; charset=utf-8";
        await using var writer = new StreamWriter(Response.Body, new System.Text.UTF8Encoding(false));
        long after = 0;
        while (true)
        {
            var entries = await log.EntriesAsync(id.ToString(), after, 5000, ct);
            foreach (var entry in entries)
            {
                await writer.WriteLineAsync(JsonSerializer.Serialize(Shura.Web.Councils.CouncilsApi.View(entry), json.Value.SerializerOptions));
            }
            if (entries.Count == 0)
            {
                break;
            }
            after = entries[^1].Sequence;
        }
        return new EmptyResult();
    }

    /// <summary>
    /// Reads each entry's <c>motion</c> or <c>mandate</c> (every event about one names it so) and the
    /// titles and names of those, in one query each for the page.
    /// </summary>
    private async Task<IReadOnlyDictionary<long, (string Link, string Label)>> SubjectsAsync(CancellationToken ct)
    {
        var about = new Dictionary<long, (string Kind, string Id)>();
        foreach (var e in Entries)
        {
            using var payload = JsonDocument.Parse(e.Payload);
            if (payload.RootElement.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            foreach (string kind in new[] { "motion", "mandate" })
            {
                if (payload.RootElement.TryGetProperty(kind, out var id) && id.ValueKind == JsonValueKind.String && Guid.TryParse(id.GetString(), out _))
                {
                    about[e.Sequence] = (kind, id.GetString()!);
                    break;
                }
            }
        }
        await using var c = await database.OpenConnectionAsync(ct);
        var motions = (await c.QueryAsync<(string Id, string Kind, string Title)>(
            $"SELECT id, kind, title FROM motions WHERE {database.OneOf("id", "@ids")}", new { ids = about.Values.Where(a => a.Kind == "motion").Select(a => a.Id).Distinct().ToArray() }))
            .ToDictionary(m => m.Id, m => Words.MotionTitle(m.Kind, m.Title));
        var mandates = (await c.QueryAsync<(string Id, string Name)>(
            $"SELECT id, name FROM mandates WHERE {database.OneOf("id", "@ids")}", new { ids = about.Values.Where(a => a.Kind == "mandate").Select(a => a.Id).Distinct().ToArray() }))
            .ToDictionary(m => m.Id, m => m.Name);
        var subjects = new Dictionary<long, (string, string)>();
        foreach (var (seq, (kind, id)) in about)
        {
            if ((kind == "motion" ? motions : mandates).TryGetValue(id, out var label))
            {
                subjects[seq] = ($"/{kind}s/{id}", label);
            }
        }
        return subjects;
    }
}
