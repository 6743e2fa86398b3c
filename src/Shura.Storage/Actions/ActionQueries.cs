using Dapper;
using Shura.Core.Actions;

namespace Shura.Storage.Actions;

public sealed record ReportView(int Number, string Author, string Text, string Status, string At);

public sealed record ActionView(
    string Id, string Council, string Motion, string Description, string Due, string? Executors, string Status, bool Overdue,
    IReadOnlyList<string> Volunteers, IReadOnlyList<string> ExecutorHolders, IReadOnlyList<ReportView> Reports);

public sealed class ActionQueries(Database database)
{
    public async Task<ActionView?> GetAsync(ActionId id, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var rows = (await c.QueryAsync<(string Id, string Council, string Motion, string Description, string Due, string? Executors, string Status)>(
            "SELECT id, council_id, motion_id, description, due, executors, status FROM actions WHERE id = @id", new { id })).ToList();
        return rows.Count == 0 ? null : await ViewAsync(c, rows[0], now);
    }

    /// <summary>A council's actions, or only the overdue ones: past their due date and not done, shown to the whole council.</summary>
    /// <summary>At most this many actions in one list: the ones due first.</summary>
    public const int MaxList = 200;

    public async Task<IReadOnlyList<ActionView>> OfCouncilAsync(CouncilId council, bool overdueOnly, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        string sql = "SELECT id, council_id, motion_id, description, due, executors, status FROM actions WHERE council_id = @council"
            + (overdueOnly ? " AND due < @now AND status <> 'done'" : "") + $" ORDER BY due, id LIMIT {MaxList}";
        var list = new List<ActionView>();
        foreach (var row in await c.QueryAsync<(string, string, string, string, string, string?, string)>(sql,
            new { council, now = Core.Log.LogEntry.FormatTime(now) }))
        {
            list.Add(await ViewAsync(c, row, now));
        }
        return list;
    }

    private static async Task<ActionView> ViewAsync(
        System.Data.Common.DbConnection c, (string Id, string Council, string Motion, string Description, string Due, string? Executors, string Status) a, DateTimeOffset now)
    {
        var volunteers = (await c.QueryAsync<string>("SELECT person FROM action_volunteers WHERE action_id = @id ORDER BY person", new { id = a.Id })).ToList();
        var holders = a.Executors is null ? [] : (await c.QueryAsync<string>("SELECT person FROM holders WHERE mandate_id = @m ORDER BY person", new { m = a.Executors })).ToList();
        var reports = (await c.QueryAsync<(long Number, string Author, string Text, string Status, string At)>(
            "SELECT number, author, text, status, at FROM action_reports WHERE action_id = @id ORDER BY number", new { id = a.Id }))
            .Select(r => new ReportView((int)r.Number, r.Author, r.Text, r.Status, r.At)).ToList();
        ActionRules.TryParse(a.Status, out var status);
        bool overdue = ActionRules.IsOverdue(WriteSession.Parse(a.Due), status, now);
        return new ActionView(a.Id, a.Council, a.Motion, a.Description, a.Due, a.Executors, a.Status, overdue, volunteers, holders, reports);
    }
}
