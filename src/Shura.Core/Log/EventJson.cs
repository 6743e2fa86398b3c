using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Shura.Core.Accounts;

namespace Shura.Core.Log;

/// <summary>
/// How events are written into the log: a type name (kebab-case, stable) and a JSON payload.
/// The payload text is what gets hashed, so it is written once and never re-serialised.
/// </summary>
public static class EventJson
{
    private static readonly (string Name, Type Type)[] Types =
    [
        ("account-registered", typeof(AccountRegistered)),
        ("account-renamed", typeof(AccountRenamed)),
        ("account-deleted", typeof(AccountDeleted)),
        ("token-created", typeof(TokenCreated)),
        ("token-revoked", typeof(TokenRevoked)),
        ("council-created", typeof(CouncilCreated)),
        ("member-joined", typeof(MemberJoined)),
        ("member-left", typeof(MemberLeft)),
        ("invitation-created", typeof(InvitationCreated)),
        ("settings-changed", typeof(SettingsChanged)),
        ("motion-put", typeof(MotionPut)),
        ("motion-proposed", typeof(MotionProposed)),
        ("motion-supported", typeof(MotionSupported)),
        ("motion-scheduled", typeof(MotionScheduled)),
        ("deliberation-started", typeof(DeliberationStarted)),
        ("amendment-proposed", typeof(AmendmentProposed)),
        ("counter-proposed", typeof(CounterProposed)),
        ("text-flagged", typeof(Moderation.TextFlagged)),
        ("text-unflagged", typeof(Moderation.TextUnflagged)),
        ("text-hidden", typeof(Moderation.TextHidden)),
        ("text-restored", typeof(Moderation.TextRestored)),
        ("text-erased", typeof(Moderation.TextErased)),
        ("amendment-adopted", typeof(AmendmentAdopted)),
        ("voting-started", typeof(VotingStarted)),
        ("ballot-cast", typeof(BallotCast)),
        ("ballot-withdrawn", typeof(BallotWithdrawn)),
        ("motion-closed", typeof(MotionClosed)),
        ("motion-repealed", typeof(MotionRepealed)),
        ("motion-lapsed", typeof(MotionLapsed)),
        ("candidate-nominated", typeof(CandidateNominated)),
        ("mandate-created", typeof(Mandates.MandateCreated)),
        ("seat-filled", typeof(Mandates.SeatFilled)),
        ("seat-vacated", typeof(Mandates.SeatVacated)),
        ("confidence-changed", typeof(Mandates.ConfidenceChanged)),
        ("holder-recalled", typeof(Mandates.HolderRecalled)),
        ("standing-ballot-cast", typeof(Mandates.StandingBallotCast)),
        ("standing-ballot-withdrawn", typeof(Mandates.StandingBallotWithdrawn)),
        ("lead-changed", typeof(Mandates.LeadChanged)),
        ("holders-settled", typeof(Mandates.HoldersSettled)),
        ("council-federated", typeof(CouncilFederated)),
        ("council-seceded", typeof(CouncilSeceded)),
        ("instruction-given", typeof(InstructionGiven)),
        ("referral-demanded", typeof(ReferralDemanded)),
        ("motion-referred", typeof(MotionReferred)),
        ("delegation-set", typeof(Delegation.DelegationSet)),
        ("delegation-revoked", typeof(Delegation.DelegationRevoked)),
        ("public-delegate-changed", typeof(Delegation.PublicDelegateChanged)),
        ("action-created", typeof(Actions.ActionCreated)),
        ("volunteer-confirmed", typeof(Actions.VolunteerConfirmed)),
        ("action-reported", typeof(Actions.ActionReported)),
        ("comment-posted", typeof(Discussion.CommentPosted)),
        ("comment-edited", typeof(Discussion.CommentEdited)),
        ("comment-deleted", typeof(Discussion.CommentDeleted)),
        ("fediverse-replied", typeof(Discussion.FediverseReplied)),
        ("fediverse-reply-edited", typeof(Discussion.FediverseReplyEdited)),
        ("fediverse-reply-deleted", typeof(Discussion.FediverseReplyDeleted)),
        ("post-published", typeof(Feed.PostPublished)),
        ("image-attached", typeof(Feed.ImageAttached)),
        ("post-deleted", typeof(Feed.PostDeleted)),
        ("call-published", typeof(Feed.CallPublished)),
        ("pledged", typeof(Feed.Pledged)),
        ("pledge-withdrawn", typeof(Feed.PledgeWithdrawn)),
        ("call-on", typeof(Feed.CallOn)),
        ("call-off", typeof(Feed.CallOff)),
    ];

    private static readonly Dictionary<Type, string> NameOf = Types.ToDictionary(t => t.Type, t => t.Name);
    private static readonly Dictionary<string, Type> TypeOf = Types.ToDictionary(t => t.Name, t => t.Type);

    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Converters =
            {
                new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower),
                new IdConverter<AccountId>(g => new(g), id => id.Value),
                new IdConverter<CouncilId>(g => new(g), id => id.Value),
                new IdConverter<MotionId>(g => new(g), id => id.Value),
                new IdConverter<TokenId>(g => new(g), id => id.Value),
                new IdConverter<InvitationId>(g => new(g), id => id.Value),
                new IdConverter<MandateId>(g => new(g), id => id.Value),
                new IdConverter<ActionId>(g => new(g), id => id.Value),
                new IdConverter<CommentId>(g => new(g), id => id.Value),
                new IdConverter<PostId>(g => new(g), id => id.Value),
                new QuorumConverter(),
            },
        };
        return options;
    }

    public static string TypeName(Event e) => NameOf[e.GetType()];

    /// <summary>Every event type's name, as the log writes it.</summary>
    public static IEnumerable<string> TypeNames => Types.Select(t => t.Name);

    public static string Payload(Event e) => JsonSerializer.Serialize(e, e.GetType(), Options);

    /// <summary>Reads an event back from its log entry; null for a type this version does not know.</summary>
    public static Event? Read(string type, string payload) =>
        TypeOf.TryGetValue(type, out var t) ? (Event?)JsonSerializer.Deserialize(payload, t, Options) : null;

    private sealed class IdConverter<T>(Func<Guid, T> create, Func<T, Guid> value) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => create(reader.GetGuid());

        public override void Write(Utf8JsonWriter writer, T id, JsonSerializerOptions options) => writer.WriteStringValue(value(id));
    }

    /// <summary>Quorums are written as the fraction the API uses: "1/3".</summary>
    private sealed class QuorumConverter : JsonConverter<Quorum>
    {
        public override Quorum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Quorum.TryParse(reader.GetString(), out var q) ? q : throw new JsonException("A quorum is a fraction such as \"1/3\".");

        public override void Write(Utf8JsonWriter writer, Quorum quorum, JsonSerializerOptions options) => writer.WriteStringValue(quorum.ToString());
    }
}
