using Dapper;
using Shura.Core;
using Shura.Core.Councils;

namespace Shura.Storage.Councils;

public sealed record CouncilView(Council Council, int Members);

public sealed record MotionSummary(string Id, string Kind, string Title, string State, string CreatedAt);

/// <summary>Reading councils and memberships, outside the writer.</summary>
public sealed class CouncilQueries(Database database)
{
    public async Task<CouncilView?> GetAsync(CouncilId id, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Rows.CouncilRow>(
            "SELECT id, name, description, settings, created_at FROM councils WHERE id = @id", new { id = id.ToString() });
        if (row is null)
        {
            return null;
        }
        long members = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM members WHERE council_id = @id", new { id = id.ToString() });
        return new CouncilView(row.ToCouncil(), (int)members);
    }

    public async Task<bool> IsMemberAsync(CouncilId council, AccountId account, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM members WHERE council_id = @council AND account_id = @account",
            new { council = council.ToString(), account = account.ToString() }) > 0;
    }

    public async Task<IReadOnlyList<MotionSummary>> MotionsAsync(CouncilId council, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<MotionSummary>(
            "SELECT id AS Id, kind AS Kind, title AS Title, state AS State, created_at AS CreatedAt FROM motions WHERE council_id = @council ORDER BY created_at",
            new { council = council.ToString() })];
    }
}
