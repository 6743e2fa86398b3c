using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;

namespace Shura.Load;

/// <summary>
/// Live watchers of one motion's page, each doing what the page script does: a SignalR connection
/// watching the council, and on "changed" the page fetched again 100 ms later (one fetch pending
/// at a time). Reports how often each watcher was told and how long its fetches took; a page is
/// thus at most the hub's coalescing (250 ms) + 100 ms + one fetch behind the ballots.
/// </summary>
internal static class WatchersLoad
{
    public static async Task<int> RunAsync(string url, string motion, int watchers, int seconds)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(url) };
        using var about = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"/api/v1/motions/{motion}"));
        string council = about.RootElement.GetProperty("council").GetString()!;
        var fetches = new List<double>();
        var told = new int[watchers];
        var connections = new List<HubConnection>();
        var clock = Stopwatch.StartNew();
        var stop = TimeSpan.FromSeconds(seconds);
        for (int w = 0; w < watchers; w++)
        {
            int me = w;
            var connection = new HubConnectionBuilder().WithUrl(new Uri(http.BaseAddress!, "/live")).Build();
            int pending = 0;
            connection.On<string>("changed", chain =>
            {
                Interlocked.Increment(ref told[me]);
                if (Interlocked.Exchange(ref pending, 1) == 1 || clock.Elapsed > stop)
                {
                    return;
                }
                _ = Task.Run(async () =>
                {
                    await Task.Delay(100);
                    Volatile.Write(ref pending, 0);
                    var started = clock.Elapsed;
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"/motions/{motion}");
                    request.Headers.Add("X-Shura-Live", "1");
                    using var response = await http.SendAsync(request);
                    await response.Content.ReadAsByteArrayAsync();
                    lock (fetches)
                    {
                        fetches.Add((clock.Elapsed - started).TotalMilliseconds);
                    }
                });
            });
            await connection.StartAsync();
            await connection.InvokeAsync("Watch", council);
            connections.Add(connection);
        }
        Console.Error.WriteLine($"{watchers} watchers connected");
        Console.WriteLine("ready");
        await Task.Delay(stop);
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }
        double[] sorted;
        lock (fetches)
        {
            sorted = [.. fetches.Order()];
        }
        double Percentile(double p) => sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
        Console.WriteLine($"watchers: {watchers}, told per watcher per second: {told.Average() / seconds:F1}, page fetches: {sorted.Length} " +
            $"({sorted.Length / (double)seconds:F0}/s), fetch p50 {Percentile(0.50):F0} ms, p99 {Percentile(0.99):F0} ms, max {(sorted.Length > 0 ? sorted[^1] : double.NaN):F0} ms");
        return 0;
    }
}
