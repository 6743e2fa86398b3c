using Shura.Core.Log;
using Shura.Storage.Log;

namespace Shura.Web.Pages.Councils;

/// <summary>The council's public log (DESIGN P7), a page of entries at a time, newest page last.</summary>
public sealed class LogModel(CouncilQueries councils, LogQueries log, AccountQueries accounts) : ShuraPage
{
    public const int PageSize = 100;

    public string CouncilName { get; private set; } = "";

    public IReadOnlyList<LogEntry> Entries { get; private set; } = [];

    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();

    public long After { get; private set; }

    /// <summary>Later entries follow this page (a page holds at most <see cref="PageSize"/> entries and about a megabyte).</summary>
    public bool More { get; private set; }

    public async Task<IActionResult> OnGetAsync(CouncilId id, long? after, CancellationToken ct)
    {
        var view = await councils.GetAsync(id, ct);
        if (view is null || !await MayReadAsync(view, ct))
        {
            return NotFound();
        }
        CouncilName = view.Council.Name;
        After = Math.Max(0, after ?? 0);
        Entries = await log.EntriesAsync(id.ToString(), After, PageSize, ct);
        More = Entries.Count > 0 && Entries[^1].Sequence < await log.LastAsync(id.ToString(), ct);
        Names = await accounts.NamesAsync(Entries.Select(e => e.Actor), ct);
        return Page();
    }
}
