namespace Shura.Core;

/// <summary>
/// Every stable code a refusal or a problem answer carries, in one list: scripts may rely on them,
/// and docs/api.md lists exactly these (a test holds the two together). Codes marked <see cref="Internal"/>
/// are refusals the server makes to itself (a deadline that is not due) and never answers with.
/// </summary>
public static class Codes
{
    public const string UnknownTimeZone = "unknown-time-zone";

    public const string TooManyPixels = "too-many-pixels";

    public const string ImageTooLarge = "image-too-large";

    public const string NotAnImage = "not-an-image";

    public const string TooManyImages = "too-many-images";

    public const string UnknownText = "unknown-text";

    public const string TextHidden = "text-hidden";

    public const string NoFlag = "no-flag";

    public const string AlreadyHidden = "already-hidden";

    public const string AlreadyFlagged = "already-flagged";

    public const string ActionDone = "action-done";

    public const string AdmissionByMotion = "admission-by-motion";

    public const string AlreadyApplied = "already-applied";

    public const string AlreadyFederated = "already-federated";

    public const string NotFederated = "not-federated";

    public const string AlreadyMember = "already-member";

    public const string AlreadyNominated = "already-nominated";

    public const string AlreadyPledged = "already-pledged";

    public const string AlreadySupported = "already-supported";

    public const string AlreadyVolunteered = "already-volunteered";

    public const string BadRequest = "bad-request";

    public const string BodyTooLarge = "body-too-large";

    public const string CandidateNotAMember = "candidate-not-a-member";

    public const string CommentDeleted = "comment-deleted";

    public const string ContinuousElection = "continuous-election";

    public const string CouncilsOnly = "councils-only";

    public const string DelegationOff = "delegation-off";

    public const string DiscussionClosed = "discussion-closed";

    public const string DuplicateKey = "duplicate-key";

    public const string DuplicatePosition = "duplicate-position";

    public const string DuplicateRanking = "duplicate-ranking";

    public const string EditWindowPassed = "edit-window-passed";

    public const string EmailTaken = "email-taken";

    public const string Error = "error";

    public const string FederationCycle = "federation-cycle";

    public const string HoldsSeat = "holds-seat";

    public const string Instructed = "instructed";

    public const string InternalError = "internal-error";

    /// <summary>The store (PostgreSQL) cannot be reached for the moment: nothing was changed, and trying again later is right.</summary>
    public const string NoPledge = "no-pledge";

    public const string NotAuthor = "not-author";

    public const string PledgesClosed = "pledges-closed";

    public const string PostDeleted = "post-deleted";

    public const string StoreUnavailable = "store-unavailable";

    public const string InvalidBallot = "invalid-ballot";

    public const string InvalidCharacter = "invalid-character";

    public const string InvalidCredentials = "invalid-credentials";

    public const string InvalidField = "invalid-field";

    /// <summary>A link from an e-mail (to verify an address, to reset a password) that was used, expired or never sent.</summary>
    public const string InvalidToken = "invalid-token";

    /// <summary>The server sends no e-mail (started without --smtp): what needs one cannot be done.</summary>
    public const string MailOff = "mail-off";

    /// <summary>A list to import (CSV) with something wrong at a line and column; nothing was imported.</summary>
    public const string InvalidList = "invalid-list";

    /// <summary>Voting in this council needs a verified e-mail address (its setting verifiedVoters).</summary>
    public const string EmailNotVerified = "email-not-verified";

    public const string InvalidForm = "invalid-form";

    public const string InvalidJson = "invalid-json";

    public const string InvalidParameter = "invalid-parameter";

    public const string InvitationRequired = "invitation-required";

    public const string MethodNotAllowed = "method-not-allowed";

    public const string MotionClosed = "motion-closed";

    public const string NoAdmission = "no-admission";

    public const string NoBallot = "no-ballot";

    public const string NoDelegation = "no-delegation";

    public const string NoPasskeyCeremony = "no-passkey-ceremony";

    public const string NoPower = "no-power";

    public const string NominationsClosed = "nominations-closed";

    public const string NotADecision = "not-a-decision";

    public const string NotADraft = "not-a-draft";

    public const string NotAHolder = "not-a-holder";

    public const string NotAMember = "not-a-member";

    public const string NotAPublicDelegate = "not-a-public-delegate";

    public const string NotAnElection = "not-an-election";

    public const string NotAnElector = "not-an-elector";

    public const string NotAnExecutor = "not-an-executor";

    public const string NotContinuous = "not-continuous";

    public const string NotDecided = "not-decided";

    public const string NotDue = "not-due";

    /// <summary>Work another node took first (an e-mail it is sending): left to it.</summary>
    public const string ClaimedElsewhere = "claimed-elsewhere";

    public const string NotEligible = "not-eligible";

    public const string NotFound = "not-found";

    public const string NotInDeliberation = "not-in-deliberation";

    public const string NotInFederation = "not-in-federation";

    public const string NotInForce = "not-in-force";

    public const string NotProposed = "not-proposed";

    public const string NotProposer = "not-proposer";

    public const string NothingDue = "nothing-due";

    public const string PasskeyRefused = "passkey-refused";

    public const string ScoreOutOfRange = "score-out-of-range";

    public const string SelfDelegation = "self-delegation";

    public const string ServerBlocked = "server-blocked";

    public const string TooManyAccounts = "too-many-accounts";

    public const string TooManyAttempts = "too-many-attempts";

    public const string TooManyBallots = "too-many-ballots";

    public const string TooManyCounterProposals = "too-many-counter-proposals";

    public const string TooManyCreations = "too-many-creations";

    public const string TooManyDeliveries = "too-many-deliveries";

    public const string TrusteeNotAMember = "trustee-not-a-member";

    public const string Unauthenticated = "unauthenticated";

    public const string UnknownFederation = "unknown-federation";

    public const string UnknownMandate = "unknown-mandate";

    public const string UnknownMotion = "unknown-motion";

    public const string UnknownOption = "unknown-option";

    public const string UnsupportedMediaType = "unsupported-media-type";

    public const string VotingClosed = "voting-closed";

    public const string WrongBallotKind = "wrong-ballot-kind";

    /// <summary>Refusals the server makes to itself and never answers with.</summary>
    public static readonly IReadOnlySet<string> Internal = new HashSet<string>(StringComparer.Ordinal) { NothingDue, NotDue, Error, ClaimedElsewhere };

    /// <summary>Every code, from the constants above.</summary>
    public static IReadOnlyList<string> All { get; } =
        [.. typeof(Codes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal)];
}
