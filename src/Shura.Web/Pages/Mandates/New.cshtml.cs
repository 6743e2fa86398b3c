using Shura.Storage.Mandates;

namespace Shura.Web.Pages.Mandates;

[Microsoft.AspNetCore.Authorization.Authorize]
public sealed class NewModel(CouncilQueries councils) : ShuraPage
{
    public string CouncilName { get; private set; } = "";

    public string? Name { get; private set; }

    public IReadOnlyList<(string Id, string Name)> Federations { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CouncilId id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CouncilId id, string? name, string? kind, int? seats, Guid? federation, bool schedule, CancellationToken ct)
    {
        var me = Person;
        Name = name;
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        var result = await RunAsync(me, Limit.Creation, s => MandateCommands.Create(s, id, me, name, kind, seats,
            federation is Guid f ? new CouncilId(f) : null, schedule ? [Core.Mandates.Powers.ScheduleMotions] : []), ct);
        return result.Refusal is { } refused ? Refused(refused) : GoTo($"/mandates/{result.Value}");
    }

    private async Task<bool> LoadAsync(CouncilId id, CancellationToken ct)
    {
        var view = await councils.GetAsync(id, ct);
        if (view is null)
        {
            return false;
        }
        CouncilName = view.Council.Name;
        var federations = new List<(string, string)>();
        foreach (string f in view.Federations)
        {
            if (await councils.GetAsync(new CouncilId(Guid.Parse(f)), ct) is { } fed)
            {
                federations.Add((f, fed.Council.Name));
            }
        }
        Federations = federations;
        return true;
    }
}
