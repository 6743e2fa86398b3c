using System.Data.Common;
using Dapper;
using Shura.Core.Log;

namespace Shura.Storage.Log;

/// <summary>Reading the log: a council's entries for the API, whole chains for export and verification.</summary>
public sealed class LogQueries(Database database)
{
    /// <summary>What one page of the log may weigh: entries stop there (but there is always at least one), and the reader asks for the next page.</summary>
    public const int MaxPageBytes = 1_000_000;

    /// <summary>Entries after <paramref name="after"/>: at most <paramref name="limit"/>, and no more than <paramref name="maxBytes"/> of payload.</summary>
    public async Task<IReadOnlyList<LogEntry>> EntriesAsync(string chain, long after, int limit, CancellationToken ct, int maxBytes = MaxPageBytes)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var entries = new List<LogEntry>();
        long bytes = 0;
        foreach (var row in c.Query<Row>(
            "SELECT chain, seq, time, actor, type, payload, previous_hash, hash FROM log WHERE chain = @chain AND seq > @after ORDER BY seq LIMIT @limit",
            new { chain, after, limit }, buffered: false))
        {
            bytes += row.Payload.Length + 256;
            if (entries.Count > 0 && bytes > maxBytes)
            {
                break;
            }
            entries.Add(row.ToEntry());
        }
        return entries;
    }

    /// <summary>A page of a chain's entries, the newest first, before <paramref name="before"/> (null: from the last).</summary>
    public async Task<IReadOnlyList<LogEntry>> NewestAsync(string chain, long? before, int limit, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return [.. (await c.QueryAsync<Row>(
            "SELECT chain, seq, time, actor, type, payload, previous_hash, hash FROM log WHERE chain = @chain AND seq < @before ORDER BY seq DESC LIMIT @limit",
            new { chain, before = before ?? long.MaxValue, limit })).Select(r => r.ToEntry())];
    }

    /// <summary>
    /// The entry with this hash (a ballot's receipt), and whether the entry after it names it as the
    /// one before (null when it is its chain's last).
    /// </summary>
    public async Task<(LogEntry Entry, bool? Followed)?> ByHashAsync(string hash, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var row = await c.QueryFirstOrDefaultAsync<Row>(
            "SELECT chain, seq, time, actor, type, payload, previous_hash, hash FROM log WHERE hash = @hash", new { hash });
        if (row is null)
        {
            return null;
        }
        string? next = await c.ExecuteScalarAsync<string>(
            "SELECT previous_hash FROM log WHERE chain = @chain AND seq = @seq", new { chain = row.Chain, seq = row.Seq + 1 });
        return (row.ToEntry(), next is null ? null : next == row.Hash);
    }

    /// <summary>The sequence number of a chain's last entry (0 for none).</summary>
    public async Task<long> LastAsync(string chain, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await LastAsync(c, chain);
    }

    internal static async Task<long> LastAsync(DbConnection c, string chain) =>
        await c.ExecuteScalarAsync<long?>("SELECT seq FROM chain_heads WHERE chain = @chain", new { chain }) ?? 0;

    internal static IEnumerable<LogEntry> Chain(DbConnection c, string chain) =>
        c.Query<Row>("SELECT chain, seq, time, actor, type, payload, previous_hash, hash FROM log WHERE chain = @chain ORDER BY seq",
            new { chain }, buffered: false).Select(r => r.ToEntry());

    internal sealed class Row
    {
        public string Chain { get; set; } = "";
        public long Seq { get; set; }
        public string Time { get; set; } = "";
        public string Actor { get; set; } = "";
        public string Type { get; set; } = "";
        public string Payload { get; set; } = "";
        public string PreviousHash { get; set; } = "";
        public string Hash { get; set; } = "";

        public LogEntry ToEntry() => new(Chain, Seq, WriteSession.Parse(Time), Actor, Type, Payload, PreviousHash, Hash);
    }
}
