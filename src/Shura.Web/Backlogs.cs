using Dapper;

namespace Shura.Web;

/// <summary>What waits on the server, counted for /readyz and the metrics: counts and ages, never which.</summary>
public static class Backlogs
{
    /// <summary>Deadlines passed more than five minutes ago and still open, and how long ago the oldest passed (seconds).</summary>
    public static async Task<(long Count, double LagSeconds)> OverdueAsync(Database database, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        string before = Core.Log.LogEntry.FormatTime(now - Storage.Log.Verifier.Grace);
        var (count, oldest) = await c.QuerySingleAsync<(long, string?)>("""
            SELECT COUNT(*), MIN(due) FROM (
                SELECT CASE WHEN state = 'voting' THEN voting_ends_at ELSE deliberation_ends_at END AS due FROM motions
                WHERE (state = 'deliberation' AND deliberation_ends_at < @before) OR (state = 'voting' AND voting_ends_at < @before)
                UNION ALL SELECT settles_at FROM mandates WHERE settles_at < @before) overdue
            """, new { before });
        return (count, oldest is null ? 0 : Math.Max(0, (now - Core.Log.LogEntry.ParseTime(oldest)).TotalSeconds));
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
