using System.Text.Json;
using System.Xml;
using Shura.Core.Councils;
using Shura.Core.Counting;

namespace Shura.Web.Councils;

/// <summary>
/// Council settings as the API writes them: {joinPolicy, visibility, supportThreshold,
/// deliberationPeriod, votingPeriod, quorum, secretBallots, liveResults, delegation, seatRatio,
/// weightedVoting, verifiedVoters, blockedServers}. Periods are ISO 8601
/// durations ("P2D", "PT3S"); the quorum is a fraction ("1/3") or null. In a request every field
/// is optional: a missing one keeps its current (or default) value; supportThreshold and quorum
/// may be null to return to DESIGN's default.
/// </summary>
public sealed record SettingsJson(
    string? JoinPolicy = null,
    string? Visibility = null,
    JsonElement? SupportThreshold = null,
    string? DeliberationPeriod = null,
    string? VotingPeriod = null,
    JsonElement? Quorum = null,
    bool? SecretBallots = null,
    bool? LiveResults = null,
    bool? Delegation = null,
    int? SeatRatio = null,
    bool? WeightedVoting = null,
    bool? VerifiedVoters = null,
    string[]? BlockedServers = null)
{
    public static SettingsView View(CouncilSettings s) => new(
        s.JoinPolicy.ToString().ToLowerInvariant(),
        s.Visibility.ToString().ToLowerInvariant(),
        s.SupportThreshold,
        XmlConvert.ToString(s.DeliberationPeriod),
        XmlConvert.ToString(s.VotingPeriod),
        s.Quorum?.ToString(),
        s.SecretBallots,
        s.LiveResults,
        s.Delegation,
        s.SeatRatio,
        s.WeightedVoting,
        s.VerifiedVoters,
        s.BlockedServers ?? []);

    /// <summary>These settings laid over <paramref name="current"/>, or what is wrong with them.</summary>
    public (CouncilSettings? Settings, Refusal? Refusal) Over(CouncilSettings current)
    {
        var s = current;
        if (JoinPolicy is not null)
        {
            if (!TryLower<JoinPolicy>(JoinPolicy, out var policy))
            {
                return (null, Bad("joinPolicy", "joinPolicy must be open, invitation or admission."));
            }
            s = s with { JoinPolicy = policy };
        }
        if (Visibility is not null)
        {
            if (!TryLower<Visibility>(Visibility, out var visibility))
            {
                return (null, Bad("visibility", "visibility must be public or members."));
            }
            s = s with { Visibility = visibility };
        }
        if (SupportThreshold is { } threshold)
        {
            if (threshold.ValueKind == JsonValueKind.Null)
            {
                s = s with { SupportThreshold = null };
            }
            else if (threshold.ValueKind == JsonValueKind.Number && threshold.TryGetInt32(out int n) && n >= 1)
            {
                s = s with { SupportThreshold = n };
            }
            else
            {
                return (null, Bad("supportThreshold", "supportThreshold must be a whole number of at least 1, or null for the default."));
            }
        }
        if (DeliberationPeriod is not null)
        {
            if (Duration(DeliberationPeriod) is not { } period)
            {
                return (null, Bad("deliberationPeriod", "deliberationPeriod must be an ISO 8601 duration such as \"P2D\" or \"PT0S\"."));
            }
            s = s with { DeliberationPeriod = period };
        }
        if (VotingPeriod is not null)
        {
            if (Duration(VotingPeriod) is not { } period)
            {
                return (null, Bad("votingPeriod", "votingPeriod must be an ISO 8601 duration such as \"P3D\" or \"PT3S\"."));
            }
            s = s with { VotingPeriod = period };
        }
        if (Quorum is { } quorum)
        {
            if (quorum.ValueKind == JsonValueKind.Null)
            {
                s = s with { Quorum = null };
            }
            else if (quorum.ValueKind == JsonValueKind.String && Core.Counting.Quorum.TryParse(quorum.GetString(), out var q))
            {
                s = s with { Quorum = q };
            }
            else
            {
                return (null, Bad("quorum", "quorum must be a fraction such as \"1/3\", or null."));
            }
        }
        s = s with
        {
            SecretBallots = SecretBallots ?? s.SecretBallots,
            LiveResults = LiveResults ?? s.LiveResults,
            Delegation = Delegation ?? s.Delegation,
            SeatRatio = SeatRatio ?? s.SeatRatio,
            WeightedVoting = WeightedVoting ?? s.WeightedVoting,
            VerifiedVoters = VerifiedVoters ?? s.VerifiedVoters,
        };
        if (BlockedServers is not null)
        {
            var blocked = Core.Councils.ServerBlocks.Of(BlockedServers);
            if (blocked.Refusal is { } bad)
            {
                return (null, bad);
            }
            s = s with { BlockedServers = blocked.Value };
        }
        return s.Problem() is Refusal refusal ? (null, refusal) : (s, null);
    }

    /// <summary>
    /// A settings motion's change: exactly the settings this request names (a field given, even
    /// null), to their new values; the others it leaves to whatever is in force when it passes.
    /// </summary>
    public (SettingsChange? Change, Refusal? Refusal) Change(CouncilSettings current)
    {
        var (proposed, refusal) = Over(current);
        if (refusal is not null)
        {
            return (null, refusal);
        }
        var named = new (string Name, bool Given)[]
        {
            ("joinPolicy", JoinPolicy is not null), ("visibility", Visibility is not null), ("supportThreshold", SupportThreshold is not null),
            ("deliberationPeriod", DeliberationPeriod is not null), ("votingPeriod", VotingPeriod is not null), ("quorum", Quorum is not null),
            ("secretBallots", SecretBallots is not null), ("liveResults", LiveResults is not null), ("delegation", Delegation is not null),
            ("seatRatio", SeatRatio is not null), ("weightedVoting", WeightedVoting is not null), ("verifiedVoters", VerifiedVoters is not null),
            ("blockedServers", BlockedServers is not null),
        };
        return (SettingsChange.Of(named.Where(n => n.Given).Select(n => n.Name), proposed!), null);
    }

    /// <summary>A change as the API shows it: only the settings named, each as in <see cref="SettingsView"/>.</summary>
    public static Dictionary<string, object?> View(SettingsChange change)
    {
        var all = JsonSerializer.SerializeToElement(View(change.Proposed), ViewOptions);
        return change.Names.ToDictionary(n => n, n => (object?)all.GetProperty(n).Clone());
    }

    private static readonly JsonSerializerOptions ViewOptions = new(JsonSerializerDefaults.Web);

    private static Refusal Bad(string field, string message) => Refusal.Invalid(Codes.InvalidField, message, "settings." + field);

    private static bool TryLower<T>(string text, out T value) where T : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value) && text == value.ToString().ToLowerInvariant();

    /// <summary>An ISO 8601 duration ("P2D", "PT30M"), or null for anything else — including one too long for any clock to reach.</summary>
    internal static TimeSpan? Duration(string text)
    {
        try
        {
            return text.StartsWith('P') ? XmlConvert.ToTimeSpan(text) : null;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }
}

public sealed record SettingsView(
    string JoinPolicy, string Visibility, int? SupportThreshold, string DeliberationPeriod, string VotingPeriod, string? Quorum,
    bool SecretBallots, bool LiveResults, bool Delegation, int SeatRatio, bool WeightedVoting, bool VerifiedVoters, IReadOnlyList<string> BlockedServers);
