using System.Data.Common;
using Dapper;
using Shura.Core.Councils;
using Shura.Core.Federation;
using Shura.Core.Mandates;

namespace Shura.Storage.Councils;

/// <summary>
/// Who belongs to a council and who votes in it. In a plain council: its members. In a federation
/// (a council of councils): the delegates its member councils elected; and for a motion referred
/// to a direct vote, every person of every base council below it, however deep the nesting.
/// The same questions are asked inside the writer's transaction and by the read side.
/// </summary>
public static class Membership
{
    private const string BaseCouncils = """
        WITH RECURSIVE tree(id) AS (
            SELECT council_id FROM federation_members WHERE federation_id = @federation
            UNION SELECT fm.council_id FROM federation_members fm JOIN tree t ON fm.federation_id = t.id)
        """;

    public static bool IsFederation(DbConnection c, DbTransaction? t, CouncilId council) =>
        c.ExecuteScalar<long>("SELECT federation FROM councils WHERE id = @id", new { id = council }, t) == 1;

    /// <summary>The councils that are members of a federation.</summary>
    public static IReadOnlyList<CouncilId> MemberCouncils(DbConnection c, DbTransaction? t, CouncilId federation) =>
        [.. c.Query<CouncilId>("SELECT council_id FROM federation_members WHERE federation_id = @id ORDER BY joined_at", new { id = federation }, t)
            ];

    /// <summary>The federations a council is a member of.</summary>
    public static IReadOnlyList<CouncilId> FederationsOf(DbConnection c, DbTransaction? t, CouncilId council) =>
        [.. c.Query<CouncilId>("SELECT federation_id FROM federation_members WHERE council_id = @id", new { id = council }, t)
            ];

    /// <summary>Every federation above a council, however high: its federations, theirs, and so on.</summary>
    public static IReadOnlyList<CouncilId> FederationsAbove(DbConnection c, DbTransaction? t, CouncilId council) =>
        [.. c.Query<CouncilId>("""
            WITH RECURSIVE up(id) AS (
                SELECT federation_id FROM federation_members WHERE council_id = @council
                UNION SELECT fm.federation_id FROM federation_members fm JOIN up u ON fm.council_id = u.id)
            SELECT id FROM up
            """, new { council }, t)];

    /// <summary>Everyone in the base councils below a federation, counted once.</summary>
    public static long BasePersons(DbConnection c, DbTransaction? t, CouncilId federation) =>
        c.ExecuteScalar<long>(BaseCouncils + " SELECT COUNT(DISTINCT account_id) FROM members WHERE council_id IN (SELECT id FROM tree)",
            new { federation }, t);

    public static bool IsBasePerson(DbConnection c, DbTransaction? t, CouncilId federation, AccountId person) =>
        c.ExecuteScalar<long>(BaseCouncils + " SELECT COUNT(*) FROM members WHERE account_id = @person AND council_id IN (SELECT id FROM tree)",
            new { federation, person }, t) > 0;

    /// <summary>A council's weight in its federations: its members, or for a federation the persons below it.</summary>
    public static long Weight(DbConnection c, DbTransaction? t, CouncilId council) =>
        IsFederation(c, t, council) ? BasePersons(c, t, council) : Members(c, t, council);

    public static long Members(DbConnection c, DbTransaction? t, CouncilId council) =>
        c.ExecuteScalar<long>("SELECT member_count FROM councils WHERE id = @id", new { id = council }, t);

    /// <summary>The delegates sitting in a federation now: each holder with the council they represent.</summary>
    public static IReadOnlyList<(AccountId Person, CouncilId Council)> Delegates(DbConnection c, DbTransaction? t, CouncilId federation) =>
        [.. c.Query<(AccountId Person, CouncilId Council)>("""
            SELECT h.person, m.council_id FROM holders h
            JOIN mandates m ON m.id = h.mandate_id
            JOIN federation_members fm ON fm.federation_id = m.federation AND fm.council_id = m.council_id
            WHERE m.federation = @federation
            ORDER BY h.since, h.person
            """, new { federation }, t)];

    /// <summary>True when <paramref name="person"/> is a member: of a council, or as a delegate, of a federation.</summary>
    /// <param name="federation">Whether the council is a federation, when the caller knows already.</param>
    public static bool IsMember(DbConnection c, DbTransaction? t, CouncilId council, AccountId person, bool? federation = null)
    {
        if (!(federation ?? IsFederation(c, t, council)))
        {
            return c.ExecuteScalar<long>("SELECT COUNT(*) FROM members WHERE council_id = @council AND account_id = @person",
                new { council, person }, t) > 0;
        }
        return Delegates(c, t, council).Any(d => d.Person == person);
    }

    /// <summary>Who a council's rules count: its members, or a federation's delegates.</summary>
    public static HashSet<AccountId> Electors(DbConnection c, DbTransaction? t, CouncilId council) =>
        IsFederation(c, t, council)
            ? [.. Delegates(c, t, council).Select(d => d.Person)]
            : [.. c.Query<AccountId>("SELECT account_id FROM members WHERE council_id = @id", new { id = council }, t)];

    /// <summary>The members a council's rules count: its members, or a federation's delegates.</summary>
    public static long Count(DbConnection c, DbTransaction? t, CouncilId council) =>
        IsFederation(c, t, council) ? Delegates(c, t, council).Select(d => d.Person).Distinct().Count() : Members(c, t, council);

    /// <summary>Seats a member council has in a federation: one per started block of the ratio.</summary>
    public static int Seats(DbConnection c, DbTransaction? t, CouncilId member, CouncilSettings federationSettings) =>
        Federations.Seats(Weight(c, t, member), federationSettings.SeatRatio);

    /// <summary>The weight of each delegate's ballot in a federation, and the electorate (see <see cref="Federations.DelegateWeights"/>).</summary>
    public static (Dictionary<AccountId, long> Weights, long Electorate) DelegateWeights(DbConnection c, DbTransaction? t, CouncilId federation, CouncilSettings settings)
    {
        var councils = MemberCouncils(c, t, federation)
            .Select(m => (m, Weight(c, t, m), Federations.Seats(Weight(c, t, m), settings.SeatRatio))).ToList();
        return Federations.DelegateWeights(councils, Delegates(c, t, federation), settings.WeightedVoting);
    }

    public static Mandate? LoadMandate(DbConnection c, DbTransaction? t, MandateId id) =>
        c.QuerySingleOrDefault<MandateRow>($"SELECT {MandateRow.Columns} FROM mandates WHERE id = @id",
            new { id }, t)?.ToMandate();

    public static IReadOnlyList<Holder> Holders(DbConnection c, DbTransaction? t, MandateId mandate) =>
        [.. c.Query<(AccountId Person, string Since)>("SELECT person, since FROM holders WHERE mandate_id = @id ORDER BY since, person", new { id = mandate }, t)
            .Select(h => new Holder(h.Person, WriteSession.Parse(h.Since)))];

    internal sealed class MandateRow
    {
        public MandateId Id { get; set; }
        public CouncilId CouncilId { get; set; }
        public string Name { get; set; } = "";
        public string Kind { get; set; } = "";
        public long Seats { get; set; }
        public CouncilId? Federation { get; set; }
        public string Powers { get; set; } = "[]";
        public string CreatedAt { get; set; } = "";
        public long? SettleTicks { get; set; }

        public const string Columns = "id, council_id, name, kind, seats, federation, powers, created_at, settle_ticks";

        public Mandate ToMandate() => new(
            Id, CouncilId, Name, Enum.Parse<MandateKind>(Kind, ignoreCase: true), (int)Seats, Federation,
            Projector.FromJson<System.Collections.Immutable.ImmutableArray<string>>(Powers), WriteSession.Parse(CreatedAt))
        {
            SettlePeriod = SettleTicks is long ticks ? TimeSpan.FromTicks(ticks) : null,
        };
    }
}
