using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Shura.Core.Councils;
using Shura.Storage;
using Shura.Storage.Councils;
using Shura.Web.Councils;
using Shura.Web.Site;

namespace Shura.Web.Pages.Councils;

public sealed class NewModel(Writer writer) : ShuraPage
{
    public string? Name { get; private set; }

    public string? Description { get; private set; }

    public int? SupportThreshold { get; private set; }

    public int? DeliberationMinutes { get; private set; }

    public int? VotingMinutes { get; private set; }

    public IActionResult OnGet() => Me is null ? SignInFirst() : Page();

    public async Task<IActionResult> OnPostAsync(
        string? name, string? description, bool federation, string? joinPolicy, string? visibility, int? supportThreshold,
        int? deliberationMinutes, int? votingMinutes, bool secretBallots, bool delegation, CancellationToken ct)
    {
        if (Me is not { } me)
        {
            return SignInFirst();
        }
        (Name, Description, SupportThreshold, DeliberationMinutes, VotingMinutes) = (name, description, supportThreshold, deliberationMinutes, votingMinutes);
        var json = new SettingsJson(
            JoinPolicy: joinPolicy,
            Visibility: visibility,
            SupportThreshold: supportThreshold is int t ? JsonSerializer.SerializeToElement(t) : null,
            DeliberationPeriod: $"PT{deliberationMinutes ?? 2880}M",
            VotingPeriod: $"PT{votingMinutes ?? 4320}M",
            SecretBallots: secretBallots,
            Delegation: delegation);
        var (settings, refusal) = json.Over(CouncilSettings.Default);
        if (refusal is not null)
        {
            return Refused(refusal);
        }
        var result = await writer.RunAsync(s => CouncilCommands.Create(s, me, name, description ?? "", settings!, federation), ct);
        return result.Refusal is { } refused ? Refused(refused) : GoTo($"/councils/{result.Value}");
    }
}
