using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Shura.Core.Councils;
using Shura.Core.Motions;
using Shura.Storage;
using Shura.Storage.Motions;
using Shura.Storage.Schema;
using Shura.Web.Fediverse;

namespace Shura.Load;

/// <summary>
/// The fediverse load test (bench/load/fediverse.sh): a public council of N members with an open
/// decision, followed by F people on S servers, and S inboxes on loopback that take the deliveries.
/// </summary>
internal static class FediverseLoad
{
    /// <summary>
    /// Seeds the store; each follower's inbox is on one of the servers 127.0.0.1:BASE … BASE+S-1,
    /// with the server's shared inbox given (as Mastodon does) unless <paramref name="shared"/> is
    /// false. Prints the motion's id and the council's.
    /// </summary>
    public static async Task<int> SeedAsync(string db, int members, int followers, int servers, int basePort, bool shared, string tokensFile)
    {
        using var database = Database.Open(db);
        Migrations.Apply(database, TimeProvider.System.GetUtcNow());
        await using var writer = new Writer(database, TimeProvider.System, Keys.Pseudonyms(database));
        var (accounts, tokens, council) = await BallotsLoad.CouncilAsync(writer, members);
        var motion = (await writer.RunAsync(s => MotionCommands.Put(s, council, accounts[0], new MotionRequest("decision", "Strike on Monday", "")))).Value;
        for (int start = 0; start < followers; start += 1000)
        {
            int from = start;
            await writer.RunAsync(s =>
            {
                for (int i = from; i < Math.Min(followers, from + 1000); i++)
                {
                    string server = $"http://127.0.0.1:{basePort + i % servers}";
                    s.Execute("INSERT INTO followers (council_id, actor, inbox, shared_inbox, followed_at) VALUES (@council, @actor, @inbox, @shared, @now)", new
                    {
                        council = council.ToString(), actor = $"{server}/users/{i}", inbox = $"{server}/users/{i}/inbox", shared = shared ? $"{server}/inbox" : null, now = s.Time,
                    });
                }
                return true;
            });
        }
        await File.WriteAllLinesAsync(tokensFile, tokens);
        Console.WriteLine($"{motion} {council}");
        return 0;
    }

    /// <summary>
    /// S servers' inboxes on loopback, taking every delivery (202). Prints "ready", then, once
    /// <paramref name="expected"/> deliveries of one activity have arrived, when the first and the
    /// last came (Unix milliseconds) and how many signatures it checked (one in 50, with the
    /// council's key from <paramref name="shura"/>) and found good. Gives up after <paramref name="seconds"/>.
    /// </summary>
    public static async Task<int> InboxesAsync(int basePort, int servers, int expected, int seconds, string shura)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls([.. Enumerable.Range(basePort, servers).Select(p => $"http://127.0.0.1:{p}")]);
        await using var app = builder.Build();
        var counts = new ConcurrentDictionary<string, int>();
        long first = 0, last = 0;
        int checkedCount = 0, good = 0, seen = 0;
        using var http = new HttpClient();
        var keys = new ConcurrentDictionary<string, string>();
        var done = new TaskCompletionSource<string>();
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            byte[] body = buffer.ToArray();
            long now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
            Interlocked.CompareExchange(ref first, now, 0);
            string id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
            if (Interlocked.Increment(ref seen) % 50 == 0)
            {
                var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
                headers["host"] = context.Request.Host.Value!;
                var signature = HttpSignatures.Parse(headers["signature"])!;
                string pem = keys.GetOrAdd(signature.KeyId, keyId =>
                {
                    using var actor = JsonDocument.Parse(http.GetStringAsync(new Uri(new Uri(shura), new Uri(keyId).AbsolutePath)).Result);
                    return actor.RootElement.GetProperty("publicKey").GetProperty("publicKeyPem").GetString()!;
                });
                Interlocked.Increment(ref checkedCount);
                if (HttpSignatures.Check(signature, pem, "POST", context.Request.Path + context.Request.QueryString, headers, body, TimeProvider.System.GetUtcNow()) == SignatureCheck.Good)
                {
                    Interlocked.Increment(ref good);
                }
            }
            if (counts.AddOrUpdate(id, 1, (_, n) => n + 1) == expected)
            {
                Interlocked.Exchange(ref last, now);
                done.TrySetResult(id);
            }
            return Results.Accepted();
        });
        await app.StartAsync();
        Console.WriteLine("ready");
        var finished = await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(seconds)));
        Console.WriteLine(finished == done.Task
            ? $"delivered {expected} first {first} last {last} signatures-checked {checkedCount} good {good}"
            : $"not delivered: {counts.Values.DefaultIfEmpty(0).Max()} of {expected} within {seconds} s");
        await app.StopAsync();
        return finished == done.Task ? 0 : 1;
    }
}
