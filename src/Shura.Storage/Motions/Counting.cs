using Shura.Core.Councils;
using Shura.Core.Motions;
using Shura.Storage.Councils;

namespace Shura.Storage.Motions;

/// <summary>
/// The facts a count of a motion rests on, gathered from the tables for <see cref="Electorate.Of"/>
/// (the rule itself lives in Core; the replay of <c>shura verify</c> gathers the same facts from the log).
/// </summary>
public static class Counting
{
    /// <param name="Counted">The motion as its count takes it (an election passes over candidates who may no longer stand; see <see cref="MotionRules.Counted"/>).</param>
    public sealed record Ballots(IReadOnlyList<(MotionBallot Ballot, long Weight)> Weighted, long Electorate, string Seed, Motion Counted);

    public static Ballots For(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? t, Motion motion, Council council, byte[] key) =>
        For(c, t, motion, Facts(c, t, motion, council), key);

    /// <summary>The count's ballots from facts already gathered (a live count keeps them between counts).</summary>
    public static Ballots For(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? t, Motion motion, VotingFacts facts, byte[] key)
    {
        var (weighted, electorate) = Electorate.Of(facts, key);
        string seed = Dapper.SqlMapper.ExecuteScalar<string>(c, "SELECT seed FROM motions WHERE id = @id", new { id = motion.Id }, t) ?? "";
        return new Ballots(weighted, electorate, seed, Counted(c, t, motion));
    }

    /// <summary>What the count needs to know, read from the tables.</summary>
    public static VotingFacts Facts(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? t, Motion motion, Council council)
    {
        var ballots = Dapper.SqlMapper.Query<(string Voter, string Ballot)>(c, "SELECT voter, ballot FROM ballots WHERE motion_id = @id", new { id = motion.Id }, t)
            .ToDictionary(r => r.Voter, r => Projector.FromJson<MotionBallot>(r.Ballot));
        if (council.IsFederation)
        {
            return new VotingFacts(motion, ballots)
            {
                Federation = true,
                MemberCouncils = [.. Membership.MemberCouncils(c, t, council.Id)
                    .Select(m => (m, Membership.Weight(c, t, m), Core.Federation.Federations.Seats(Membership.Weight(c, t, m), council.Settings.SeatRatio)))],
                Delegates = Membership.Delegates(c, t, council.Id),
                WeightedVoting = council.Settings.WeightedVoting,
                BasePersons = motion.Referred ? Membership.BasePersons(c, t, council.Id) : 0,
            };
        }
        var members = Dapper.SqlMapper.Query<AccountId>(c, "SELECT account_id FROM members WHERE council_id = @id", new { id = motion.Council }, t)
            .ToList();
        var delegations = !council.Settings.Delegation ? [] : Dapper.SqlMapper.Query<(AccountId Truster, string Motion, AccountId Trustee)>(c,
            "SELECT truster, motion_id, trustee FROM delegations WHERE council_id = @council AND (motion_id = '' OR motion_id = @motion)",
            new { council = motion.Council, motion = motion.Id }, t)
            .Select(d => (d.Truster, d.Motion.Length > 0, d.Trustee)).ToList();
        return new VotingFacts(motion, ballots) { Members = members, Delegation = council.Settings.Delegation, Delegations = delegations };
    }

    /// <summary>The motion as its count takes it now.</summary>
    public static Motion Counted(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? t, Motion motion) =>
        motion.Kind == MotionKind.Election && motion.Mandate is { } mandate
            ? MotionRules.Counted(motion, person => Membership.IsMember(c, t, motion.Council, person),
                [.. Membership.Holders(c, t, mandate).Select(h => h.Person)])
            : motion;
}
