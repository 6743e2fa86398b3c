using Shura.Core.Mandates;

namespace Shura.Core.Councils;

/// <summary>
/// What stops counting the instant a member leaves (DESIGN §2): their ballots on motions open for
/// voting, their withdrawals of confidence and their standing ballots. None of this is written to
/// the log as a change of its own: under secret ballots such an entry beside the named
/// member-left entry would tie the leaver to their pseudonyms. The member-left entry itself is
/// the change, and the store and the replay both drop what it takes, by the names below.
/// </summary>
public static class Leaving
{
    /// <summary>The name the leaver's ballot has on a motion open for voting (an account id, or the motion's pseudonym).</summary>
    public static string Voter(Motion motion, AccountId leaver, ReadOnlySpan<byte> key) => Motions.MotionRules.Voter(motion, leaver, key);

    /// <summary>
    /// The names the leaver's withdrawal of confidence from <paramref name="holder"/> may have: the
    /// pseudonym, or the account where ballots were open when it was given (secrecy may have changed since).
    /// </summary>
    public static string[] Elector(MandateId mandate, AccountId holder, AccountId leaver, ReadOnlySpan<byte> key) =>
        [Mandates.MandateRules.Elector(mandate, holder, leaver, secret: true, key), leaver.ToString()];

    /// <summary>The names the leaver's standing ballot for a continuously elected mandate may have.</summary>
    public static string[] StandingElector(MandateId mandate, AccountId leaver, ReadOnlySpan<byte> key) =>
        [ContinuousElection.Elector(mandate, leaver, secret: true, key), leaver.ToString()];

}
