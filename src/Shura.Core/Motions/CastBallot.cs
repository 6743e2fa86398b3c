using System.Security.Cryptography;
using System.Text;

namespace Shura.Core.Motions;

public static partial class MotionRules
{
    /// <summary>
    /// A member casts or changes a ballot while voting is open (P1: the latest counts). Under
    /// secret ballots the log shows the voter as <paramref name="voter"/>, a per-motion pseudonym.
    /// </summary>
    public static Verdict Cast(Motion motion, AccountId actor, bool isMember, string voter, MotionBallot ballot, DateTimeOffset now)
    {
        if (!isMember)
        {
            return Refusal.Forbidden(Codes.NotAMember, "Only members can vote on this council's motions.");
        }
        if (!motion.IsOpenAt(now))
        {
            return Refusal.Conflict(Codes.VotingClosed, $"The motion is {motion.State.Name()}: ballots are cast only while voting is open.");
        }
        if (motion.Kind == MotionKind.Admission && motion.Applicant == actor)
        {
            return Refusal.Forbidden(Codes.NotAMember, "An applicant does not vote on their own admission.");
        }
        var (valid, refusal) = ballot.Validate(motion);
        return refusal ?? Verdict.Accept(new BallotCast(motion.Id, motion.Council, voter, valid!));
    }

    /// <summary>A member withdraws their ballot while voting is open; the count is then as if it had never been cast.</summary>
    public static Verdict Withdraw(Motion motion, bool isMember, string voter, bool hasBallot, DateTimeOffset now)
    {
        if (!isMember)
        {
            return Refusal.Forbidden(Codes.NotAMember, "Only members can vote on this council's motions.");
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
