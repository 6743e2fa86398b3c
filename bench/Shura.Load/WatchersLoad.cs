using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Shura.Load;

/// <summary>
/// Live watchers of one motion's page, each doing what the page script does: a SignalR connection
/// that watches the motion and takes the rendered parts pushed to it. Beside them a probe casts a
/// ballot every 100 ms and notes when it was acknowledged; after the run each probe ballot is
/// found in the council's log, and its staleness for a watcher is the time from its
/// acknowledgement to the first update that counted it (one counted from that place in the log or
/// later). Reports the update rate, the staleness p50/p99/max over every probe and watcher, and
/// the bytes pushed.
/// </summary>
internal static class WatchersLoad
{
    private sealed record Pushed(string State, long CountedAt, Dictionary<string, string> Parts);

    public static async Task<int> RunAsync(string url, string motion, int watchers, int seconds, string tokensFile)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(url) };
        using var about = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/motions/{motion}"));
        string council = about.RootElement.GetProperty("council").GetString()!;
        string[] options = [.. about.RootElement.GetProperty("options").EnumerateArray().Select(o => o.GetString()!)];
        bool decision = about.RootElement.GetProperty("kind").GetString() == "decision";
        var clock = Stopwatch.StartNew();
        // Each watcher's updates: when it arrived and where its count stood.
        var updates = new List<(double At, long CountedAt)>[watchers];
        long bytes = 0;
        var connections = new List<HubConnection>();
        long from = long.MaxValue;
        for (int w = 0; w < watchers; w++)
        {
            var mine = updates[w] = [];
            // Straight to a WebSocket, as a browser does once it has the page: no negotiation request
            // (and no second connection kept open per watcher beside the socket).
            var connection = new HubConnectionBuilder().WithUrl(new Uri(http.BaseAddress!, "/live"), o =>
            {
                o.SkipNegotiation = true;
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
            }).Build();
            connection.On<Pushed>("parts", parts =>
            {
                double at = clock.Elapsed.TotalMilliseconds;
                lock (mine)
                {
                    mine.Add((at, parts.CountedAt));
                }
                Interlocked.Add(ref bytes, parts.Parts.Values.Sum(p => (long)p.Length));
            });
            await connection.StartAsync();
            if (await connection.InvokeAsync<Pushed?>("WatchMotion", motion, w % 4 == 3 ? "fa" : "en") is not { } now)
            {
                Console.Error.WriteLine("the motion may not be watched");
                return 1;
            }
            from = Math.Min(from, now.CountedAt);
            if (w == 0)
            {
                Console.Error.WriteLine("parts: " + string.Join(", ", now.Parts.Select(p => $"{p.Key} {p.Value.Length / 1024.0:F1} KB")));
            }
            connections.Add(connection);
        }
        Console.Error.WriteLine($"{watchers} watchers connected");
        Console.WriteLine("ready");

        // The probe: one ballot every 100 ms, each from the next member, noting its receipt and acknowledgement.
        string[] tokens = File.ReadAllLines(tokensFile);
        var probes = new List<(string Receipt, double Acknowledged)>();
        var stop = TimeSpan.FromSeconds(seconds);
        var started = clock.Elapsed;
        for (int i = 0; clock.Elapsed - started < stop; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/motions/{motion}/ballot")
            {
                Content = decision
                    ? JsonContent.Create(new { choice = i % 2 == 0 ? "yes" : "no" })
                    : JsonContent.Create(new { ranking = new[] { options[i % options.Length], options[(i + 1) % options.Length] } }),
            };
            request.Headers.Authorization = new("Bearer", tokens[tokens.Length - 1 - (i % tokens.Length)]);
            using var response = await http.SendAsync(request);
            double acknowledged = clock.Elapsed.TotalMilliseconds;
            if (response.IsSuccessStatusCode)
            {
                using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                probes.Add((answer.RootElement.GetProperty("receipt").GetString()!, acknowledged));
            }
            await Task.Delay(100);
        }
        await Task.Delay(3000); // the last probes' updates
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }

        // Where each probe ballot is in the log: its receipt is its entry's hash.
        var places = new Dictionary<string, long>(StringComparer.Ordinal);
        for (long? after = from; after is not null;)
        {
            using var page = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/councils/{council}/log?after={after}&limit=1000"));
            foreach (var entry in page.RootElement.GetProperty("entries").EnumerateArray())
            {
                places[entry.GetProperty("hash").GetString()!] = entry.GetProperty("seq").GetInt64();
            }
            after = page.RootElement.GetProperty("next").ValueKind == JsonValueKind.Number ? page.RootElement.GetProperty("next").GetInt64() : null;
        }
        var staleness = new List<double>();
        int missed = 0;
        foreach (var (receipt, acknowledged) in probes)
        {
            long place = places[receipt];
            foreach (var mine in updates)
            {
                double first = mine.Where(u => u.CountedAt >= place).Select(u => u.At).DefaultIfEmpty(double.NaN).Min();
                if (double.IsNaN(first))
                {
                    missed++;
                }
                else
                {
                    staleness.Add(Math.Max(0, first - acknowledged));
                }
            }
        }
        double[] sorted = [.. staleness.Order()];
        double Percentile(double p) => sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
        double perSecond = updates.Average(u => u.Count) / seconds;
        Console.WriteLine($"watchers: {watchers}, updates per watcher per second: {perSecond:F1}, pushed {Interlocked.Read(ref bytes) / 1e6 / seconds:F1} MB/s of parts; " +
            $"staleness over {probes.Count} probe ballots x {watchers} watchers: p50 {Percentile(0.50):F0} ms, p99 {Percentile(0.99):F0} ms, max {(sorted.Length > 0 ? sorted[^1] : double.NaN):F0} ms" +
            (missed > 0 ? $", never shown: {missed}" : ""));
        return 0;
    }
}
