using Microsoft.AspNetCore.Mvc;
using Shura.Core.Councils;
using Shura.Storage;
using Shura.Storage.Councils;
using Shura.Web.Site;

namespace Shura.Web.Pages.Councils;

public sealed class NewModel : ShuraPage
{
    public string? Name { get; private set; }

    public string? Description { get; private set; }

    public IActionResult OnGet() => Me is null ? SignInFirst() : Page();

    public async Task<IActionResult> OnPostAsync(
        string? name, string? description, bool federation, string? joinPolicy, string? visibility, int? supportThreshold,
        int? deliberationMinutes, int? votingMinutes, bool secretBallots, bool delegation, CancellationToken ct)
    {
        if (Me is not { } me)
        {
            return SignInFirst();
        }
        (Name, Description) = (name, description);
        var (settings, refusal) = SettingsForm.Read(CouncilSettings.Default, joinPolicy, visibility, supportThreshold, deliberationMinutes, votingMinutes, secretBallots, delegation);
        if (refusal is not null)
        {
            return Refused(refusal);
        }
        var result = await RunAsync(me, Limit.Creation, s => CouncilCommands.Create(s, me, name, description ?? "", settings!, federation), ct);
        return result.Refusal is { } refused ? Refused(refused) : GoTo($"/councils/{result.Value}");
    }
}
