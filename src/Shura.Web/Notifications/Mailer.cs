using System.Globalization;
using System.Net;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Localization;
using MimeKit;
using Shura.Storage.Notifications;

namespace Shura.Web.Notifications;

/// <summary>Where e-mail goes: <c>smtp://[user:password@]host:port</c> (STARTTLS when the server offers it) or <c>smtps://…</c> (TLS from the start).</summary>
public sealed record MailSettings(Uri Server, string From)
{
    /// <summary>The settings <paramref name="url"/> describes, or a refusal naming what is wrong with it.</summary>
    public static MailSettings? Parse(string? url, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var server) || server.Scheme is not ("smtp" or "smtps") || server.Host.Length == 0)
        {
            problem = $"--smtp \"{url}\" is not smtp://[user:password@]host:port or smtps://…";
            return null;
        }
        return new MailSettings(server, $"shura@{(server.Host is "127.0.0.1" or "localhost" ? "localhost" : server.Host)}");
    }
}

/// <summary>
/// Sends the notices by e-mail, in each person's language, plain text and HTML, with a one-click
/// unsubscribe (RFC 8058). It never stands in a ballot's or a page's way: it runs beside them,
/// reading the durable outbox (<see cref="MailQueue"/>), and a mail server that refuses or cannot
/// be reached is tried again later, ever less often (at most hourly), the reason kept.
/// </summary>
public sealed class Mailer(
    MailSettings settings, Writer writer, Database database, TimeProvider clock, IStringLocalizer<Site.Words> words, Unsubscribing unsubscribing,
    Microsoft.AspNetCore.Hosting.Server.IServer server, ILogger<Mailer> log) : BackgroundService
{
    /// <summary>How often the outbox is looked at: notices go out within about this much of their event.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await RoundAsync(stopping);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "The mailer's round failed; it tries again");
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

    private async Task RoundAsync(CancellationToken ct)
    {
        if (await MailQueue.AnyPendingAsync(database, ct))
        {
            await writer.RunAsync(s => MailQueue.Enqueue(s), ct);
        }
        var due = await MailQueue.DueAsync(database, clock.GetUtcNow(), 50, ct);
        if (due.Count == 0)
        {
            return;
        }
        using var smtp = new SmtpClient();
        foreach (var delivery in due)
        {
            // Claimed for two minutes: another node looking meanwhile leaves it alone.
            if ((await writer.RunAsync(s => MailQueue.Claim(s, delivery, clock.GetUtcNow() + TimeSpan.FromMinutes(2)), ct)).Value != true)
            {
                continue;
            }
            try
            {
                if (!smtp.IsConnected)
                {
                    await smtp.ConnectAsync(settings.Server.Host, settings.Server.Port > 0 ? settings.Server.Port : 25,
                        settings.Server.Scheme == "smtps" ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable, ct);
                    if (settings.Server.UserInfo.Split(':', 2) is [var user, var password] && user.Length > 0)
                    {
                        await smtp.AuthenticateAsync(Uri.UnescapeDataString(user), Uri.UnescapeDataString(password), ct);
                    }
                }
                await smtp.SendAsync(Message(delivery), ct);
                await writer.RunAsync(s => MailQueue.Sent(s, delivery), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var wait = TimeSpan.FromSeconds(Math.Min(3600, 5 * Math.Pow(2, Math.Min(delivery.Attempts, 10))));
                log.LogWarning("E-mail of notice {Chain}/{Seq} not sent ({Error}); tried again in {Wait}", delivery.Chain, delivery.Seq, e.Message, wait);
                await writer.RunAsync(s => MailQueue.Failed(s, delivery, clock.GetUtcNow() + wait, e.Message), ct);
                if (smtp.IsConnected)
                {
                    await smtp.DisconnectAsync(true, ct);
                }
            }
        }
        if (smtp.IsConnected)
        {
            await smtp.DisconnectAsync(true, ct);
        }
    }

    /// <summary>The e-mail of one notice, in the person's language: what happened, where, the link, and how to stop such e-mails.</summary>
    internal MimeMessage Message(Delivery d)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(d.Language == "fa" ? "fa" : "en");
        try
        {
            var site = Site();
            string what = words["notice:" + d.Kind];
            string subject = d.Title is { } title ? $"{what}: {title} — {d.CouncilName}" : $"{what} — {d.CouncilName}";
            string read = new Uri(site, d.Link).ToString();
            string stop = new Uri(site, $"/unsubscribe/{unsubscribing.Token(new AccountId(Guid.Parse(d.Person)), d.Kind)}").ToString();
            string why = words["You receive this as a member of {0}. No more e-mails of this kind: {1}", d.CouncilName, stop];
            bool rtl = d.Language == "fa";
            var message = new MimeMessage();
            message.From.Add(new MailboxAddress(words["Shura"], settings.From));
            message.To.Add(MailboxAddress.Parse(d.Email));
            message.Subject = subject;
            message.Headers.Add("List-Unsubscribe", $"<{stop}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            message.Headers.Add("Auto-Submitted", "auto-generated");
            var body = new BodyBuilder
            {
                TextBody = $"{subject}\n\n{words["Read it here: {0}", read]}\n\n-- \n{why}\n",
                HtmlBody = $"""
                    <!doctype html><html lang="{(rtl ? "fa" : "en")}" dir="{(rtl ? "rtl" : "ltr")}"><body>
                    <p><strong>{WebUtility.HtmlEncode(subject)}</strong></p>
                    <p><a href="{WebUtility.HtmlEncode(read)}">{WebUtility.HtmlEncode(words["Read it on Shura"])}</a></p>
                    <hr><p><small>{WebUtility.HtmlEncode(words["You receive this as a member of {0}.", d.CouncilName])}
                    <a href="{WebUtility.HtmlEncode(stop)}">{WebUtility.HtmlEncode(words["No more e-mails of this kind"])}</a></small></p>
                    </body></html>
                    """,
            };
            message.Body = body.ToMessageBody();
            return message;
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    /// <summary>The server's own address, for the links: the first it listens on.</summary>
    private Uri Site() =>
        new((server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost") + "/");
}
