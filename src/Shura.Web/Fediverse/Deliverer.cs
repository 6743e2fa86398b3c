using System.Text;
using Shura.Storage.Fediverse;

namespace Shura.Web.Fediverse;

/// <summary>
/// Sends the queued activities (<see cref="Followers"/>), each signed with its council's key, to its
/// inbox. Inboxes of different servers are served side by side, so that one slow or dead server
/// never holds up the others (DESIGN §8); a refusal or a failure is retried ever less often (at most
/// hourly), and after a day the delivery is set aside with its reason.
/// </summary>
public sealed class Deliverer(Database database, Writer writer, FediverseClient client, TimeProvider clock, ILogger<Deliverer> log) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var due = await Followers.DueAsync(database, clock.GetUtcNow(), 200, stopping);
                await Task.WhenAll(due.GroupBy(d => new Uri(d.Inbox).Authority).Select(server => ServeAsync(server.ToList(), stopping)));
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
                return;
            }
        }
    }

    /// <summary>One server's deliveries, one after another.</summary>
    private async Task ServeAsync(IReadOnlyList<ApDelivery> deliveries, CancellationToken ct)
    {
        foreach (var delivery in deliveries)
        {
            if ((await writer.RunAsync(s => Followers.Claim(s, delivery.Id, clock.GetUtcNow() + TimeSpan.FromMinutes(2)), ct)).Value != true)
            {
                continue;
            }
            string? failure;
            try
            {
                failure = await SendAsync(delivery, ct);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                failure = e.InnerException?.Message ?? e.Message;
            }
            if (failure is null)
            {
                await writer.RunAsync(s => Followers.Sent(s, delivery.Id), ct);
                continue;
            }
            var wait = Site.Backoff.After(delivery.Attempts);
            log.LogInformation("Delivery to {Inbox} not taken ({Error}); tried again in {Wait}", delivery.Inbox, failure, wait);
            await writer.RunAsync(s => Followers.Failed(s, delivery, clock.GetUtcNow() + wait, failure), ct);
        }
    }

    /// <summary>Posts one activity, signed; null when the inbox took it, else why not.</summary>
    private async Task<string?> SendAsync(ApDelivery delivery, CancellationToken ct)
    {
        if (await Followers.SigningKeyAsync(database, delivery.Council, ct) is not { } key)
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
        request.Headers.TryAddWithoutValidation("Signature", HttpSignatures.Sign(key.KeyId, key.PrivatePem, "POST", inbox.PathAndQuery, headers));
        using var response = await client.Http.SendAsync(request, ct);
        return response.IsSuccessStatusCode ? null : $"{(int)response.StatusCode} {response.ReasonPhrase}";
    }
}
