using System.Text.Json;
using Shura.Core.Councils;
using Shura.Web.Councils;

namespace Shura.Web.Site;

/// <summary>The settings fields of the pages' forms (Pages/Shared/_SettingsFields), read into settings through the same checks as the API's.</summary>
public static class SettingsForm
{
    public static (CouncilSettings? Settings, Refusal? Refusal) Read(
        CouncilSettings over, string? joinPolicy, string? visibility, int? supportThreshold, int? deliberationMinutes, int? votingMinutes, bool secretBallots, bool delegation,
        string? blockedServers = null)
    {
        var json = new SettingsJson(
            JoinPolicy: joinPolicy,
            Visibility: visibility,
            SupportThreshold: supportThreshold is int t ? JsonSerializer.SerializeToElement(t) : JsonSerializer.SerializeToElement<int?>(null),
            DeliberationPeriod: deliberationMinutes is int d ? $"PT{d}M" : null,
            VotingPeriod: votingMinutes is int v ? $"PT{v}M" : null,
            SecretBallots: secretBallots,
            Delegation: delegation,
            // One server a line (or separated by spaces or commas); a form without the field leaves the list as it is.
            BlockedServers: blockedServers?.Split([' ', ',', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
        return json.Over(over);
    }

    /// <summary>
    /// What a settings form proposes: the settings whose values differ from those in force now.
    /// The form shows every setting; only the ones changed in it are named by the motion.
    /// </summary>
    public static (SettingsChange? Change, Refusal? Refusal) Change(
        CouncilSettings current, string? joinPolicy, string? visibility, int? supportThreshold, int? deliberationMinutes, int? votingMinutes, bool secretBallots, bool delegation,
        string? blockedServers = null)
    {
        var (settings, refusal) = Read(current, joinPolicy, visibility, supportThreshold, deliberationMinutes, votingMinutes, secretBallots, delegation, blockedServers);
        return refusal is not null ? (null, refusal) : (SettingsChange.Between(current, settings!), null);
    }
}
