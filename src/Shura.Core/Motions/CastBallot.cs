using System.Security.Cryptography;
using System.Text;

namespace Shura.Core.Motions;

public static partial class MotionRules
{
    /// <summary>
    /// A member casts or changes a ballot while voting is open (P1: the latest counts). Under
    /// secret ballots the log shows the voter as <paramref name="voter"/>, a per-motion pseudonym.
    /// </summary>
    /// <param name="instructed">For a delegate whose council instructed them on this federation motion: the ballot the instruction casts, which no other may replace.</param>
    public static Verdict Cast(Motion motion, AccountId actor, bool isMember, string voter, MotionBallot ballot, DateTimeOffset now, MotionBallot? instructed = null)
    {
        if (!isMember)
        {
            return Refusal.Forbidden(Codes.NotAMember, "Only members can vote on this council's motions.");
        }
        if (!motion.IsOpenAt(now))
        {
            return Refusal.Conflict(Codes.VotingClosed, $"The motion is {motion.State.Name()}: ballots are cast only while voting is open.");
        }
        if (motion.Subject is MotionSubject.Admission admission && admission.Applicant == actor)
        {
            return Refusal.Forbidden(Codes.NotAMember, "An applicant does not vote on their own admission.");
        }
        var (valid, refusal) = ballot.Validate(motion);
        if (refusal is not null)
        {
            return refusal;
        }
        if (instructed is not null && instructed.Validate(motion).Ballot is { } bound && !bound.SameAs(valid!))
        {
            return Instructed;
        }
        return Verdict.Accept(new BallotCast(motion.Id, motion.Council, voter, valid!));
    }

    private static readonly Refusal Instructed = Refusal.Conflict(Codes.Instructed,
        "Your council instructed its delegates how to vote on this motion; the ballot is locked until the instruction is repealed.");

    /// <summary>A member withdraws their ballot while voting is open; the count is then as if it had never been cast.</summary>
    /// <param name="instructed">The voter is a delegate whose ballot an instruction of their council locks.</param>
    public static Verdict Withdraw(Motion motion, bool isMember, string voter, bool hasBallot, DateTimeOffset now, bool instructed = false)
    {
        if (!isMember)
        {
            return Refusal.Forbidden(Codes.NotAMember, "Only members can vote on this council's motions.");
        }
        if (instructed)
        {
            return Instructed;
        }
        if (!motion.IsOpenAt(now))
        {
            return Refusal.Conflict(Codes.VotingClosed, "Ballots can be withdrawn only while voting is open.");
        }
        if (!hasBallot)
        {
            return Refusal.Conflict(Codes.NoBallot, "You have no ballot on this motion to withdraw.");
        }
        return Verdict.Accept(new BallotWithdrawn(motion.Id, motion.Council, voter));
    }

    /// <summary>
    /// The name a voter has in the log of one motion. Open ballots show the account; secret ones a
    /// pseudonym: HMAC-SHA256 of motion and account under the server's key. The same voter has a
    /// different pseudonym on every motion, so the log cannot link one secret ballot to another;
    /// whoever holds the key (the server's operator) can.
    /// </summary>
    public static string Voter(Motion motion, AccountId account, ReadOnlySpan<byte> key) =>
        motion.SecretBallots ? Pseudonym(motion.Id, account, key) : account.ToString();

    public static string Pseudonym(MotionId motion, AccountId account, ReadOnlySpan<byte> key)
    {
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{motion}/{account}"));
        return "p:" + Convert.ToHexStringLower(mac.AsSpan(0, 16));
    }
}
