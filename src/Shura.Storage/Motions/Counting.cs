using Shura.Core;
using Shura.Core.Councils;
using Shura.Core.Delegation;
using Shura.Core.Motions;
using Shura.Storage.Councils;

namespace Shura.Storage.Motions;

/// <summary>
/// The ballots of a motion as the count takes them, each with its weight, and the electorate:
/// one member one vote; with delegation on, each direct voter carries everyone whose chain ends at
/// them; in a federation, the delegates' ballots (weighted if the federation says so), or after a
/// referral every base member's, one person one vote.
/// </summary>
public static class Counting
{
    /// <param name="Counted">The motion as its count takes it (an election passes over candidates who may no longer stand; see <see cref="Core.Motions.MotionRules.Counted"/>).</param>
    public sealed record Ballots(List<(MotionBallot Ballot, long Weight)> Weighted, long Electorate, string Seed)
    {
        public required Motion Counted { get; init; }
    }

    /// <summary>The motion as its count takes it now.</summary>
    public static Motion Counted(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? t, Motion motion) =>
        motion.Kind == MotionKind.Election && motion.Mandate is { } mandate
            ? Core.Motions.MotionRules.Counted(motion, person => Membership.IsMember(c, t, motion.Council, person),
                [.. Membership.Holders(c, t, mandate).Select(h => h.Person)])
            : motion;

    public static Ballots For(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? t, Motion motion, Council council, byte[] key) =>
        Weigh(c, t, motion, council, key) with { Counted = Counted(c, t, motion) };

    private static Ballots Weigh(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? t, Motion motion, Council council, byte[] key)
    {
        var rows = Dapper.SqlMapper.Query<(string Voter, string Ballot)>(c, "SELECT voter, ballot FROM ballots WHERE motion_id = @id", new { id = motion.Id.ToString() }, t)
            .ToDictionary(r => r.Voter, r => Projector.FromJson<MotionBallot>(r.Ballot));
        string seed = Dapper.SqlMapper.ExecuteScalar<string>(c, "SELECT seed FROM motions WHERE id = @id", new { id = motion.Id.ToString() }, t) ?? "";

        if (council.IsFederation)
        {
            if (motion.Referred)
            {
                return new([.. rows.Values.Select(b => (b, 1L))], Membership.BasePersons(c, t, council.Id), seed) { Counted = motion };
            }
            var (weights, electorate) = Membership.DelegateWeights(c, t, council.Id, council.Settings);
            var weighted = rows.Select(r => (r.Value, Guid.TryParse(r.Key, out var person) && weights.TryGetValue(new AccountId(person), out long w) ? w : 0L))
                .ToList();
            return new(weighted, electorate, seed) { Counted = motion };
        }

        long members = Membership.Members(c, t, council.Id);
        if (!council.Settings.Delegation)
        {
            return new([.. rows.Values.Select(b => (b, 1L))], members, seed) { Counted = motion };
        }
        var graph = Graph(c, t, motion, key, rows, out var people, out var voterOf);
        var list = new List<(MotionBallot, long)>();
        for (int m = 0; m < people.Count; m++)
        {
            if (graph.Votes(m))
            {
                list.Add((rows[voterOf[m]], graph.WeightOf(m)));
            }
        }
        return new(list, members, seed) { Counted = motion };
    }

    /// <summary>
    /// The delegation graph of a motion: every member, who they delegate to (for this motion, else
    /// for the council), and whether they cast a ballot themselves.
    /// </summary>
    public static DelegationGraph Graph(
        System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? t, Motion motion, byte[] key, Dictionary<string, MotionBallot> ballots,
        out List<AccountId> people, out List<string> voterOf)
    {
        people = [.. Dapper.SqlMapper.Query<string>(c, "SELECT account_id FROM members WHERE council_id = @id ORDER BY account_id", new { id = motion.Council.ToString() }, t)
            .Select(a => new AccountId(Guid.Parse(a)))];
        var delegations = Dapper.SqlMapper.Query<(string Truster, string Motion, string Trustee)>(c,
            "SELECT truster, motion_id, trustee FROM delegations WHERE council_id = @council AND (motion_id = '' OR motion_id = @motion)",
            new { council = motion.Council.ToString(), motion = motion.Id.ToString() }, t)
            .Select(d => (new AccountId(Guid.Parse(d.Truster)), d.Motion.Length > 0, new AccountId(Guid.Parse(d.Trustee))));
        var voters = people.Select(p => Core.Motions.MotionRules.Voter(motion, p, key)).ToList();
        voterOf = voters;
        return Delegations.Graph(people, delegations, m => ballots.ContainsKey(voters[m]));
    }
}
