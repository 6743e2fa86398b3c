using Dapper;
using Shura.Storage.Log;

namespace Shura.Web;

/// <summary>What waits on the server, counted for /readyz and the metrics: counts and ages, never which.</summary>
public static class Backlogs
{
    /// <summary>Deadlines passed more than five minutes ago and still open (<see cref="Verifier.OverdueDeadlines"/>), and how long ago the oldest passed (seconds).</summary>
    public static async Task<(long Count, double LagSeconds)> OverdueAsync(Database database, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var overdue = Verifier.OverdueDeadlines(c, now);
        return (overdue.Count, overdue.Count == 0 ? 0 : Math.Max(0, (now - Core.Log.LogEntry.ParseTime(overdue[0].Due)).TotalSeconds));
    }

    /// <summary>Fediverse deliveries due more than ten minutes ago and not yet attempted again.</summary>
    public static async Task<long> StuckDeliveriesAsync(Database database, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ap_deliveries WHERE COALESCE(next_at, created_at) < @before",
            new { before = Core.Log.LogEntry.FormatTime(now - TimeSpan.FromMinutes(10)) });
    }

    /// <summary>Fediverse deliveries waiting, whatever their time.</summary>
    public static async Task<long> DeliveriesAsync(Database database, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ap_deliveries");
    }
}
