using System.Text.Json;
using Shura.Core.Councils;
using Shura.Web.Councils;

namespace Shura.Web.Site;

/// <summary>The settings fields of the pages' forms (Pages/Shared/_SettingsFields), read into settings through the same checks as the API's.</summary>
public static class SettingsForm
{
    public static (CouncilSettings? Settings, Refusal? Refusal) Read(
        CouncilSettings over, string? joinPolicy, string? visibility, int? supportThreshold, PeriodFields periods, bool secretBallots, bool delegation,
        string? blockedServers = null)
    {
        var json = new SettingsJson(
            JoinPolicy: joinPolicy,
            Visibility: visibility,
            SupportThreshold: supportThreshold is int t ? JsonSerializer.SerializeToElement(t) : JsonSerializer.SerializeToElement<int?>(null),
            DeliberationPeriod: periods.Deliberation,
            VotingPeriod: periods.Voting,
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
        CouncilSettings current, string? joinPolicy, string? visibility, int? supportThreshold, PeriodFields periods, bool secretBallots, bool delegation,
        string? blockedServers = null)
    {
        var (settings, refusal) = Read(current, joinPolicy, visibility, supportThreshold, periods, secretBallots, delegation, blockedServers);
        return refusal is not null ? (null, refusal) : (SettingsChange.Between(current, settings!), null);
    }
}

/// <summary>
/// The settings form's two periods, each entered in days, hours and minutes: people think of a vote
/// lasting "2 days" or "a day and 12 hours", not 3,600 minutes; minutes stay for the rare council
/// that needs a period shorter than an hour. Fields left empty leave the period as it is.
/// </summary>
public sealed class PeriodFields
{
    public int? DeliberationDays { get; set; }

    public int? DeliberationHours { get; set; }

    public int? DeliberationMinutes { get; set; }

    public int? VotingDays { get; set; }

    public int? VotingHours { get; set; }

    public int? VotingMinutes { get; set; }

    public string? Deliberation => Iso(DeliberationDays, DeliberationHours, DeliberationMinutes);

    public string? Voting => Iso(VotingDays, VotingHours, VotingMinutes);

    /// <summary>As the API takes it (ISO 8601, in minutes); a negative part makes a negative period, which the settings' checks refuse by name.</summary>
    private static string? Iso(int? days, int? hours, int? minutes) =>
        days is null && hours is null && minutes is null ? null
        : $"PT{(long)(days ?? 0) * 24 * 60 + (long)(hours ?? 0) * 60 + (minutes ?? 0)}M";
}
