using System.Security.Cryptography;
using System.Text;
using Shura.Core.Motions;

namespace Shura.Core.Moderation;

/// <summary>
/// Moderation by the members, not by a moderator (DESIGN §2, P4). Any member may flag a post or a
/// comment; when the flags reach the council's threshold — the same number of members that puts a
/// proposal before everyone, by default max(3, 5 % of members) — the text is hidden at once and a
/// short motion asks the members whether to keep it hidden; if it does not pass, the text shows
/// again. Erasing a text for good (doxxing, a threat) takes an erase motion that passes, or its
/// author taking it back; either way the log keeps its hash and still verifies.
/// </summary>
public static class ModerationRules
{
    /// <summary>A hide-or-restore motion is short: voting opens at once, for the council's voting period but never more than a day.</summary>
    public static readonly TimeSpan HideVoting = TimeSpan.FromHours(24);

    /// <summary>A text as the rules need it.</summary>
    /// <param name="Gone">Taken back by its author or erased: nothing left to flag.</param>
    /// <param name="HiddenBy">The hide-or-restore motion that holds it hidden, if any.</param>
    public sealed record Text(Moderated Target, CouncilId Council, bool Gone, MotionId? HiddenBy);

    /// <summary>
    /// The name a flagger has in the log: HMAC-SHA256 of the text and the account under the
    /// server's key, different for every text, so neither the author nor anyone reading the log
    /// learns who flagged, nor links one flag of a person to another. The operator, who holds the key, can.
    /// </summary>
    public static string Flagger(Moderated text, AccountId account, ReadOnlySpan<byte> key)
    {
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"flag/{text.Key}/{account}"));
        return "f:" + Convert.ToHexStringLower(mac.AsSpan(0, 16));
    }

    /// <param name="flags">Flags the text has before this one.</param>
    /// <param name="needed">The council's threshold now.</param>
    /// <param name="hideMotion">The id the hide-or-restore motion takes should this flag reach the threshold.</param>
    public static Verdict Flag(
        Text text, bool isMember, string flagger, bool flaggedAlready, int flags, int needed, MotionId hideMotion, CouncilSettings settings, DateTimeOffset now)
    {
        if (!isMember)
        {
            return Refusal.Forbidden(Codes.NotAMember, "Only members flag their council's texts.");
        }
        if (Closed(text) is Refusal closed)
        {
            return closed;
        }
        if (flaggedAlready)
        {
            return Refusal.Conflict(Codes.AlreadyFlagged, "You have flagged this text already.");
        }
        var flagged = new TextFlagged(text.Council, text.Target, flagger);
        if (flags + 1 < needed)
        {
            return Verdict.Accept(flagged);
        }
        var put = MotionPut.Of(hideMotion, text.Council, AccountId.TheCouncil, new MotionSubject.Hide(text.Target),
            text.Target.Comment is null ? "Keep a flagged post hidden?" : "Keep a flagged comment hidden?", "",
            [], Counting.TallyMethod.Decision, 1, Counting.Threshold.Simple, urgent: false, draft: false);
        var voting = settings.VotingPeriod < HideVoting ? settings.VotingPeriod : HideVoting;
        return Verdict.Accept(
            flagged,
            new TextHidden(text.Council, text.Target, hideMotion, flags + 1, needed),
            put,
            new DeliberationStarted(hideMotion, text.Council, now, "flags"),
            new VotingStarted(hideMotion, text.Council, now + voting, settings.SecretBallots, settings.LiveResults, null, "flags"));
    }

    public static Verdict Unflag(Text text, bool isMember, string flagger, bool flagged)
    {
        if (!isMember)
        {
            return Refusal.Forbidden(Codes.NotAMember, "Only members flag their council's texts.");
        }
        if (Closed(text) is Refusal closed)
        {
            return closed;
        }
        return flagged
            ? Verdict.Accept(new TextUnflagged(text.Council, text.Target, flagger))
            : Refusal.Conflict(Codes.NoFlag, "You have not flagged this text.");
    }

    /// <summary>A text gone or hidden already takes no more flags: the motion decides now.</summary>
    private static Refusal? Closed(Text text) =>
        text.Gone ? Refusal.Conflict(text.Target.Comment is null ? Codes.PostDeleted : Codes.CommentDeleted, "This text was taken back or erased.")
        : text.HiddenBy is { } motion ? Refusal.Conflict(Codes.AlreadyHidden, $"This text is hidden while motion {motion} decides whether to keep it hidden.")
        : null;
}
