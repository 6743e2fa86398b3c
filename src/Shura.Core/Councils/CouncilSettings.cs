namespace Shura.Core.Councils;

/// <summary>How people join a council (DESIGN §2).</summary>
public enum JoinPolicy
{
    /// <summary>Anyone may join.</summary>
    Open,

    /// <summary>Only with a single-use invitation from a member.</summary>
    Invitation,

    /// <summary>Anyone may apply; a motion of the members admits the applicant.</summary>
    Admission,
}

/// <summary>Who may read a council.</summary>
public enum Visibility
{
    Public,
    Members,
}

/// <summary>
/// A council's settings, with DESIGN's defaults. Settings change only by a motion of the members
/// (a decision of kind "settings"), never by any single account.
/// </summary>
/// <param name="SupportThreshold">Supporters a proposal needs to move on to deliberation, the proposer
/// counted first; null means DESIGN's default, max(3, 5 % of the members).</param>
/// <param name="DeliberationPeriod">At least this long in deliberation; zero goes straight to voting.</param>
/// <param name="VotingPeriod">How long voting stays open; at least one second.</param>
/// <param name="Quorum">Participation quorum: the share of the electorate that must take part; null for none.</param>
/// <param name="SecretBallots">Secret ballots appear in the log under per-motion pseudonyms.</param>
/// <param name="LiveResults">Results are shown while voting is open (otherwise only after the close).</param>
/// <param name="Delegation">Members may let another member vote for them (DESIGN §2; off by default, since P3 comes first).</param>
/// <param name="SeatRatio">For a federation: members per delegate seat of a member council (one seat per started block).</param>
/// <param name="WeightedVoting">For a federation: a delegate's ballot weighs its council's members ÷ its seats.</param>
/// <param name="VerifiedVoters">Only members whose e-mail address is verified may vote on motions.</param>
/// <param name="BlockedServers">Servers of the federated social web the council will not hear nor tell
/// (host names; each blocks its subdomains too): null for none. See <see cref="ServerBlocks"/>.</param>
public sealed record CouncilSettings(
    JoinPolicy JoinPolicy,
    Visibility Visibility,
    int? SupportThreshold,
    TimeSpan DeliberationPeriod,
    TimeSpan VotingPeriod,
    Quorum? Quorum,
    bool SecretBallots,
    bool LiveResults,
    bool Delegation = false,
    int SeatRatio = 100,
    bool WeightedVoting = false,
    // Written only when on: a store made before this setting keeps the very settings text it had, so its log still verifies.
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    bool VerifiedVoters = false,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    IReadOnlyList<string>? BlockedServers = null)
{
    public static readonly CouncilSettings Default = new(
        JoinPolicy.Open,
        Visibility.Public,
        SupportThreshold: null,
        DeliberationPeriod: TimeSpan.FromDays(2),
        VotingPeriod: TimeSpan.FromDays(3),
        Quorum: null,
        SecretBallots: true,
        LiveResults: true);

    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(366);

    /// <summary>Supporters needed with <paramref name="members"/> members: the setting, or max(3, 5 %),
    /// and never more than the members there are — a small council can always move.</summary>
    public int SupportNeeded(int members) =>
        Math.Max(1, Math.Min(SupportThreshold ?? Math.Max(3, (members * 5 + 99) / 100), members));

    public Refusal? Problem()
    {
        if (SupportThreshold is < 1)
        {
            return Refusal.Invalid(Codes.InvalidField, "supportThreshold must be at least 1 (or null for the default).", "settings.supportThreshold");
        }
        if (DeliberationPeriod < TimeSpan.Zero || DeliberationPeriod > MaxPeriod)
        {
            return Refusal.Invalid(Codes.InvalidField, "deliberationPeriod must be from PT0S to P366D.", "settings.deliberationPeriod");
        }
        if (VotingPeriod < TimeSpan.FromSeconds(1) || VotingPeriod > MaxPeriod)
        {
            return Refusal.Invalid(Codes.InvalidField, "votingPeriod must be from PT1S to P366D.", "settings.votingPeriod");
        }
        if (SeatRatio is < 1 or > 1_000_000)
        {
            return Refusal.Invalid(Codes.InvalidField, "seatRatio must be from 1 to 1000000.", "settings.seatRatio");
        }
        return BlockedServers is { } blocked ? ServerBlocks.Problem(blocked) : null;
    }
}
