using Shura.Storage.Actions;

namespace Shura.Web.Pages.Actions;

/// <summary>
/// What the council is carrying out (DESIGN P3): each action with its executors, due date, status
/// and progress reports, the overdue ones first; members volunteer and report from here.
/// </summary>
public sealed class ActionsModel(CouncilQueries councils, ActionQueries actions, AccountQueries accounts) : ShuraPage
{
    public static readonly string[] Statuses = ["open", "in-progress", "done", "blocked"];

    public string CouncilName { get; private set; } = "";

    public bool IsMember { get; private set; }

    public IReadOnlyList<ActionView> Actions { get; private set; } = [];

    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();

    public string Name(string id) => Names.TryGetValue(id, out var name) ? name : id;

    public async Task<IActionResult> OnGetAsync(CouncilId id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    [SignedIn]
    public Task<IActionResult> OnPostVolunteerAsync(CouncilId id, Guid action, CancellationToken ct) =>
        StepAsync(id, Limit.None, (s, me) => ActionCommands.Volunteer(s, new ActionId(action), me), ct);

    [SignedIn]
    public Task<IActionResult> OnPostReportAsync(CouncilId id, Guid action, string? text, string? status, CancellationToken ct) =>
        StepAsync(id, Limit.Creation, (s, me) => ActionCommands.Report(s, new ActionId(action), me, text, status), ct);

    private Task<IActionResult> StepAsync<T>(CouncilId id, Limit limit, Func<WriteSession, AccountId, Result<T>> step, CancellationToken ct) =>
        ChangeAsync(limit, step, () => LoadAsync(id, ct), $"/councils/{id}/actions", ct);

    private async Task<bool> LoadAsync(CouncilId id, CancellationToken ct)
    {
        var council = await councils.GetAsync(id, ct);
        if (council is null || !await MayReadAsync(council, ct))
        {
            return false;
        }
        CouncilName = council.Council.Name;
        IsMember = Me is { } me && await councils.IsMemberAsync(council.Council.Id, me, ct);
        Actions = [.. (await actions.OfCouncilAsync(council.Council.Id, overdueOnly: false, Clock.GetUtcNow(), ct)).OrderByDescending(a => a.Overdue)];
        Names = await accounts.NamesAsync(Actions.SelectMany(a => a.Volunteers.Concat(a.ExecutorHolders).Concat(a.Reports.Select(r => r.Author))), ct);
        return true;
    }
}
