using System.Text;
using Shura.Storage.Fediverse;

namespace Shura.Web.Fediverse;

/// <summary>
/// Tells the council's followers what it said: each new activity in the outbox (<see cref="Outbox"/>)
/// is built once and fanned out into a delivery per inbox, and the queued deliveries (<see cref="Followers"/>)
/// are sent, each signed with its council's key. Every server is served by its own worker, a few
/// requests at a time, so that one slow or dead server never holds up the others (DESIGN §8): the
/// round that finds work only starts workers and never waits for them. A refusal or a failure is
/// retried ever less often (at most hourly); after a day the delivery is set aside with its reason.
/// </summary>
public sealed class Deliverer(
    Database database, Writer writer, FediverseClient client, Activities activities, TimeProvider clock, ILogger<Deliverer> log) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);

    /// <summary>Requests one server gets at once from here: enough to keep up with a big server, few enough not to flood a small one.</summary>
    public const int PerServer = 4;

    /// <summary>Deliveries one worker takes at a time.</summary>
    private const int Batch = 200;

    /// <summary>The servers a worker is sending to now.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task> _busy = new(StringComparer.OrdinalIgnoreCase);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await FanOutAsync(stopping);
                var due = await Followers.DueAsync(database, clock.GetUtcNow(), 5000, stopping);
                foreach (var server in due.GroupBy(d => new Uri(d.Inbox).Authority))
                {
                    if (!_busy.ContainsKey(server.Key))
                    {
                        var work = server.Take(Batch).ToList();
                        _busy[server.Key] = Task.Run(async () =>
                        {
                            try
                            {
                                await ServeAsync(work, stopping);
                            }
                            catch (Exception e) when (e is not OperationCanceledException)
                            {
                                log.LogWarning(e, "Deliveries to {Server} failed; they are tried again", server.Key);
                            }
                            finally
                            {
                                _busy.TryRemove(server.Key, out _);
                            }
                        }, stopping);
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "The deliverer's round failed; it tries again");
            }
            try
            {
                await Task.Delay(Every, stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await Task.WhenAll(_busy.Values).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>Builds each new activity and queues it to every inbox of its council's followers, in one step each.</summary>
    private async Task FanOutAsync(CancellationToken ct)
    {
        foreach (var activity in await Outbox.ToFanAsync(database, 20, ct))
        {
            if (activity.SubjectType == "council")
            {
                // Its key was rotated: from now on, sign with the new one (made, if need be, as the Update is built).
                _keys.TryRemove(activity.Council, out _);
            }
            string? body = (await activities.ActivityAsync(activity, ct))?.ToJsonString();
            // In steps (Outbox.InboxesPerStep): ballots go between them rather than wait for one long write.
            int queued = 0;
            string? after = null;
            do
            {
                var step = await writer.RunAsync(s => Outbox.FanOut(s, activity, body, after), ct);
                (queued, after) = (queued + step.Value.Queued, step.Value.After);
            }
            while (after is not null);
            if (queued > 0)
            {
                log.LogInformation("Activity {Activity} ({Kind}) queued to {Inboxes} inboxes", activity.Id, activity.Kind, queued);
            }
        }
    }

    /// <summary>One server's deliveries, a few at a time; what each came to is written in one step at the end.</summary>
    private async Task ServeAsync(IReadOnlyList<ApDelivery> deliveries, CancellationToken ct)
    {
        var taken = (await writer.RunAsync(s => Followers.Claim(s, [.. deliveries.Select(d => d.Id)], clock.GetUtcNow() + TimeSpan.FromMinutes(5)), ct)).Value!.ToHashSet();
        var bodies = await Followers.BodiesAsync(database, [.. deliveries.Where(d => taken.Contains(d.Id) && d.Activity is not null).Select(d => d.Activity!).Distinct()], ct);
        var sent = new System.Collections.Concurrent.ConcurrentBag<string>();
        var failed = new System.Collections.Concurrent.ConcurrentBag<(ApDelivery, DateTimeOffset, string)>();
        string? down = null;
        await Parallel.ForEachAsync(deliveries.Where(d => taken.Contains(d.Id)), new ParallelOptions { MaxDegreeOfParallelism = PerServer, CancellationToken = ct }, async (delivery, token) =>
        {
            string? failure;
            if (delivery.Activity is { } activity)
            {
                if (!bodies.TryGetValue(activity, out string? body))
                {
                    // What it told of was taken back since: there is nothing to send.
                    sent.Add(delivery.Id);
                    return;
                }
                delivery = delivery with { Body = body };
            }
            if (down is not null)
            {
                // The server did not answer: the rest wait with it rather than each waiting out the time limit.
                failure = down;
            }
            else
            {
                try
                {
                    failure = await SendAsync(delivery, token);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !token.IsCancellationRequested)
                {
                    failure = down = e.InnerException?.Message ?? e.Message;
                }
            }
            if (failure is null)
            {
                sent.Add(delivery.Id);
                return;
            }
            var wait = Site.Backoff.After(delivery.Attempts);
            log.LogInformation("Delivery to {Inbox} not taken ({Error}); tried again in {Wait}", delivery.Inbox, failure, wait);
            failed.Add((delivery, clock.GetUtcNow() + wait, failure));
        });
        await writer.RunAsync(s =>
        {
            Followers.Sent(s, [.. sent]);
            return Followers.Failed(s, [.. failed]);
        }, CancellationToken.None);
    }

    /// <summary>
    /// Signing is what a delivery costs most (an RSA signature each): one at a time, whatever the
    /// number of servers being sent to, so that a fan-out to ten thousand inboxes takes at most one
    /// core and ballots keep the rest.
    /// </summary>
    private readonly SemaphoreSlim _signing = new(1, 1);

    /// <summary>Each council's current key, read once and ready to sign (a rotated key is seen when the cache is renewed, each minute).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string KeyId, System.Security.Cryptography.RSA Rsa, DateTimeOffset Read)> _keys = new();

    private async Task<(string KeyId, System.Security.Cryptography.RSA Rsa)?> KeyOfAsync(string council, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_keys.TryGetValue(council, out var known) && now - known.Read < TimeSpan.FromMinutes(1))
        {
            return (known.KeyId, known.Rsa);
        }
        if (await Followers.SigningKeyAsync(database, council, ct) is not { } key)
        {
            return null;
        }
        var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportFromPem(key.PrivatePem);
        _keys[council] = (key.KeyId, rsa, now);
        return (key.KeyId, rsa);
    }

    /// <summary>Posts one activity, signed; null when the inbox took it, else why not.</summary>
    private async Task<string?> SendAsync(ApDelivery delivery, CancellationToken ct)
    {
        if (await KeyOfAsync(delivery.Council, ct) is not { } key)
        {
            return "the council has no key";
        }
        var inbox = new Uri(delivery.Inbox);
        byte[] body = Encoding.UTF8.GetBytes(delivery.Body);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = inbox.Authority,
            ["date"] = HttpSignatures.Date(clock.GetUtcNow()),
            ["digest"] = HttpSignatures.Digest(body),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, inbox) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/activity+json");
        request.Headers.Host = headers["host"];
        request.Headers.TryAddWithoutValidation("Date", headers["date"]);
        request.Headers.TryAddWithoutValidation("Digest", headers["digest"]);
        await _signing.WaitAsync(ct);
        try
        {
            request.Headers.TryAddWithoutValidation("Signature", HttpSignatures.Sign(key.KeyId, key.Rsa, "POST", inbox.PathAndQuery, headers));
        }
        finally
        {
            _signing.Release();
        }
        using var response = await client.Http.SendAsync(request, ct);
        return response.IsSuccessStatusCode ? null : $"{(int)response.StatusCode} {response.ReasonPhrase}";
    }
}
