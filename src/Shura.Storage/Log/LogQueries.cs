using System.Data.Common;
using Dapper;
using Shura.Core.Log;

namespace Shura.Storage.Log;

/// <summary>Reading the log: a council's entries for the API, whole chains for export and verification.</summary>
public sealed class LogQueries(Database database)
{
    public async Task<IReadOnlyList<LogEntry>> EntriesAsync(string chain, long after, int limit, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return [.. (await c.QueryAsync<Row>(
            "SELECT chain, seq, time, actor, type, payload, previous_hash, hash FROM log WHERE chain = @chain AND seq > @after ORDER BY seq LIMIT @limit",
            new { chain, after, limit })).Select(r => r.ToEntry())];
    }

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
