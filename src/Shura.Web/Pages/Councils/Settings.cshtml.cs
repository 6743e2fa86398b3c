using Shura.Core.Councils;
using Shura.Core.Motions;
using Shura.Storage.Motions;

namespace Shura.Web.Pages.Councils;

/// <summary>Settings change only by motion (P4): this page puts one, prefilled with the settings in force.</summary>
[Microsoft.AspNetCore.Authorization.Authorize]
public sealed class SettingsModel(CouncilQueries councils) : ShuraPage
{
    public string CouncilName { get; private set; } = "";

    public CouncilSettings Current { get; private set; } = CouncilSettings.Default;

    public string? Title { get; private set; }

    public async Task<IActionResult> OnGetAsync(CouncilId id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(
        CouncilId id, string? title, string? text, string? joinPolicy, string? visibility, int? supportThreshold, PeriodFields periods,
        bool secretBallots, bool delegation, string? blockedServers, CancellationToken ct)
    {
        var me = Person;
        Title = title;
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        var (settings, refusal) = SettingsForm.Change(Current, joinPolicy, visibility, supportThreshold, periods, secretBallots, delegation, blockedServers);
        if (refusal is not null)
        {
            return Refused(refusal);
        }
        var result = await RunAsync(me, Limit.Creation, s => MotionCommands.Put(s, id, me, new MotionRequest("settings", title, text ?? "", Settings: settings)), ct);
        return result.Refusal is { } refused ? Refused(refused) : GoTo($"/motions/{result.Value}");
    }

    private async Task<bool> LoadAsync(CouncilId id, CancellationToken ct)
    {
        var view = await councils.GetAsync(id, ct);
        if (view is null || !await councils.IsMemberAsync(view.Council.Id, Person, ct))
        {
            return false;
        }
        (CouncilName, Current) = (view.Council.Name, view.Council.Settings);
        return true;
    }
}
