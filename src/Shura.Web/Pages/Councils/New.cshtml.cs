using Shura.Core.Councils;

namespace Shura.Web.Pages.Councils;

[Microsoft.AspNetCore.Authorization.Authorize]
public sealed class NewModel : ShuraPage
{
    public string? Name { get; private set; }

    public string? Description { get; private set; }

    public IActionResult OnGet() => Page();

    public async Task<IActionResult> OnPostAsync(
        string? name, string? description, bool federation, string? joinPolicy, string? visibility, int? supportThreshold,
        PeriodFields periods, bool secretBallots, bool delegation, string? blockedServers, CancellationToken ct)
    {
        var me = Person;
        (Name, Description) = (name, description);
        var (settings, refusal) = SettingsForm.Read(CouncilSettings.Default, joinPolicy, visibility, supportThreshold, periods, secretBallots, delegation, blockedServers);
        if (refusal is not null)
        {
            return Refused(refusal);
        }
        var result = await RunAsync(me, Limit.Creation, s => CouncilCommands.Create(s, me, name, description ?? "", settings!, federation), ct);
        return result.Refusal is { } refused ? Refused(refused) : GoTo($"/councils/{result.Value}", Done.CouncilFormed);
    }
}
