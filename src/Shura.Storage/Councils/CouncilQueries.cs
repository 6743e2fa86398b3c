using Dapper;
using Shura.Core.Councils;

namespace Shura.Storage.Councils;

/// <param name="MembersOnly">The member council is members-only: to those who may not read it, a federation shows its weight, seats and delegates (its counting needs them) but not its name.</param>
public sealed record MemberCouncil(string Id, string Name, long Weight, int Seats, IReadOnlyList<string> Delegates, bool MembersOnly = false);

/// <summary>A council with its size; for a federation, its member councils with their weights, seats and delegates.</summary>
public sealed record CouncilView(Council Council, int Members, IReadOnlyList<MemberCouncil> MemberCouncils, IReadOnlyList<string> Federations);

/// <summary>A council in a list: what a person needs to choose one.</summary>
/// <param name="Members">The people in a council; in a federation, its member councils.</param>
public sealed record CouncilSummary(Council Council, long Members);

/// <summary>A member as the pages list them.</summary>
public sealed record MemberView(string Id, string Name, string JoinedAt);

public sealed record MotionSummary(string Id, string Kind, string Title, string State, string CreatedAt);

/// <summary>Reading councils and memberships, outside the writer.</summary>
public sealed class CouncilQueries(Database database)
{
    public async Task<CouncilView?> GetAsync(CouncilId id, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Rows.CouncilRow>(
            Rows.CouncilById, new { id });
        if (row is null)
        {
            return null;
        }
        var council = row.ToCouncil();
        long members = Membership.Count(c, null, id);
        var memberCouncils = new List<MemberCouncil>();
        if (council.IsFederation)
        {
            var delegates = Membership.Delegates(c, null, id);
            foreach (var member in Membership.MemberCouncils(c, null, id))
            {
                var inner = (await c.QuerySingleAsync<Rows.CouncilRow>(Rows.CouncilById,
                    new { id = member })).ToCouncil();
                memberCouncils.Add(new MemberCouncil(member.ToString(), inner.Name, Membership.Weight(c, null, member), Membership.Seats(c, null, member, council.Settings),
                    [.. delegates.Where(d => d.Council == member).Select(d => d.Person.ToString())], inner.Settings.Visibility == Visibility.Members));
            }
        }
        var federations = Membership.FederationsOf(c, null, id).Select(f => f.ToString()).ToList();
        return new CouncilView(council, (int)members, memberCouncils, federations);
    }

    public async Task<bool> IsMemberAsync(CouncilId council, AccountId account, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return Membership.IsMember(c, null, council, account);
    }

    /// <summary>The councils this person is a member of now, by id.</summary>
    public async Task<IReadOnlyList<string>> OfMemberAsync(AccountId account, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<string>("SELECT council_id FROM members WHERE account_id = @account", new { account })];
    }

    /// <summary>
    /// The one rule of who may read a council (DESIGN §2), which the API, the pages, the live hub and
    /// the gate of invisible councils all ask: anyone a public council; a members-only one, its
    /// members and, for a federation, its delegates and the members of the councils below it.
    /// </summary>
    public async Task<bool> MayReadAsync(CouncilId council, Visibility visibility, AccountId? reader, CancellationToken ct) =>
        visibility != Visibility.Members || (reader is { } person && await IsReaderAsync(council, person, ct));

    /// <inheritdoc cref="MayReadAsync(CouncilId, Visibility, AccountId?, CancellationToken)"/>
    public Task<bool> MayReadAsync(CouncilView council, AccountId? reader, CancellationToken ct) =>
        MayReadAsync(council.Council.Id, council.Council.Settings.Visibility, reader, ct);

    private async Task<bool> IsReaderAsync(CouncilId council, AccountId account, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return Membership.IsMember(c, null, council, account)
            || (Membership.IsFederation(c, null, council) && Membership.IsBasePerson(c, null, council, account));
    }

    /// <summary>Whether <paramref name="secret"/> is an unused invitation to this council.</summary>
    public async Task<bool> InvitationIsValidAsync(CouncilId council, string secret, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM invitations WHERE council_id = @council AND secret_hash = @hash AND used_by IS NULL",
            new { council, hash = Secrets.Hash(secret) }) > 0;
    }

    /// <summary>The member's own delegations in a council: for the whole council (motion null) or one motion.</summary>
    public async Task<IReadOnlyList<(string? Motion, string Trustee)>> DelegationsAsync(CouncilId council, AccountId member, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return [.. (await c.QueryAsync<(string Motion, string Trustee)>(
            "SELECT motion_id, trustee FROM delegations WHERE council_id = @c AND truster = @m ORDER BY motion_id", new { c = council, m = member }))
            .Select(d => (d.Motion.Length == 0 ? null : d.Motion, d.Trustee))];
    }

    /// <summary>The members who chose to be public delegates in a council (under secret ballots, the only ones who receive delegations).</summary>
    public async Task<IReadOnlyList<MemberView>> PublicDelegatesAsync(CouncilId council, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<MemberView>("""
            SELECT a.id AS Id, a.name AS Name, p.since AS JoinedAt FROM public_delegates p JOIN accounts a ON a.id = p.account_id
            WHERE p.council_id = @c ORDER BY a.name, a.id
            """, new { c = council })];
    }

    /// <summary>
    /// A council's motions in the order they were put, <paramref name="limit"/> at a time after the
    /// motion <paramref name="after"/> (ids grow with time); a list never holds more than a page.
    /// </summary>
    /// <param name="reader">Who reads the list: a draft is listed to its author only (null: to no one).</param>
    public async Task<IReadOnlyList<MotionSummary>> MotionsAsync(CouncilId council, AccountId? reader, CancellationToken ct, string? after = null, int limit = 100)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<MotionSummary>(
            $"SELECT id AS Id, kind AS Kind, title AS Title, state AS State, created_at AS CreatedAt FROM motions WHERE council_id = @council AND id > @after AND {DraftsOf} ORDER BY id LIMIT @limit",
            new { council, after = after ?? "", limit, reader = reader?.ToString() ?? "" })];
    }

    /// <summary>A draft is its author's until they propose it: no one else's list shows it.</summary>
    private const string DraftsOf = "(state <> 'draft' OR proposer = @reader)";

    /// <summary>A page of a council's motions for people to read: open ones first, then the newest; <paramref name="before"/> pages back.</summary>
    public async Task<IReadOnlyList<MotionSummary>> RecentMotionsAsync(CouncilId council, AccountId? reader, string? before, int limit, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<MotionSummary>($"""
            SELECT id AS Id, kind AS Kind, title AS Title, state AS State, created_at AS CreatedAt FROM motions
            WHERE council_id = @council AND (@before = '' OR id < @before) AND {DraftsOf} ORDER BY id DESC LIMIT @limit
            """, new { council, before = before ?? "", limit, reader = reader?.ToString() ?? "" })];
    }

    /// <summary>A council's motions not yet decided (at most <paramref name="limit"/>, the newest).</summary>
    public async Task<IReadOnlyList<MotionSummary>> OpenMotionsAsync(CouncilId council, CancellationToken ct, int limit = 200)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<MotionSummary>("""
            SELECT id AS Id, kind AS Kind, title AS Title, state AS State, created_at AS CreatedAt FROM motions
            WHERE council_id = @council AND state IN ('proposed', 'deliberation', 'voting') ORDER BY id DESC LIMIT @limit
            """, new { council, limit })];
    }

    /// <summary>The councils a person is a member of, by name.</summary>
    public async Task<IReadOnlyList<CouncilSummary>> OfAccountAsync(AccountId account, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return [.. (await c.QueryAsync<Rows.CouncilRow>(
            $"SELECT {ListColumns} FROM councils c JOIN members m ON m.council_id = c.id WHERE m.account_id = @a ORDER BY c.name",
            new { a = account })).Select(r => Summary(c, r))];
    }

    private static CouncilSummary Summary(System.Data.Common.DbConnection c, Rows.CouncilRow row)
    {
        var council = row.ToCouncil();
        return new CouncilSummary(council, council.IsFederation ? Membership.MemberCouncils(c, null, council.Id).Count : row.MemberCount);
    }

    /// <summary>Public councils, the largest first: what a newcomer can look at and join.</summary>
    public async Task<IReadOnlyList<CouncilSummary>> PublicAsync(int limit, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return [.. (await c.QueryAsync<Rows.CouncilRow>($"SELECT {ListColumns} FROM councils c ORDER BY c.member_count DESC, c.name LIMIT @limit", new { limit }))
            .Select(r => Summary(c, r)).Where(s => s.Council.Settings.Visibility == Visibility.Public)];
    }

    /// <summary>At most this many members in one list: a page of a council of thousands shows the first by name and says how many more.</summary>
    public const int MaxMembers = 500;

    public async Task<IReadOnlyList<MemberView>> MembersAsync(CouncilId council, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<MemberView>(
            $"SELECT a.id AS Id, a.name AS Name, m.joined_at AS JoinedAt FROM members m JOIN accounts a ON a.id = m.account_id WHERE m.council_id = @c ORDER BY a.name, a.id LIMIT {MaxMembers}",
            new { c = council })];
    }

    private const string ListColumns = "c.id, c.name, c.description, c.settings, c.created_at, c.federation, c.member_count";
}
