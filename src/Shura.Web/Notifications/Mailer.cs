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
    SiteAddress site, ILogger<Mailer> log) : BackgroundService
{
    /// <summary>How often the outbox is looked at: notices go out within about this much of their event.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long a mail server may take over one step (connect, a command, a message) before the
    /// sending counts as failed — well inside <see cref="Claim"/>, so no other node takes up a mail
    /// this one may still be sending.
    /// </summary>
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a mail is held by the node sending it. A node killed mid-send holds it that long:
    /// then any node (or this one restarted) sends it.
    /// </summary>
    private static readonly TimeSpan Claim = TimeSpan.FromMinutes(1);

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
        await AccountMailsAsync(ct);
        if (await MailQueue.AnyPendingAsync(database, clock.GetUtcNow(), ct))
        {
            await writer.RunAsync(s => MailQueue.Enqueue(s), ct);
        }
        var due = await MailQueue.DueAsync(database, clock.GetUtcNow(), 50, ct);
        if (due.Count == 0)
        {
            return;
        }
        // A notice at once is an e-mail of its own; a person's digest notices are one e-mail.
        var mails = due.Where(d => !d.Digest).Select(d => (IReadOnlyList<Delivery>)[d])
            .Concat(due.Where(d => d.Digest).GroupBy(d => d.Person).Select(g => (IReadOnlyList<Delivery>)[.. g]));
        using var smtp = new SmtpClient { Timeout = (int)StepTimeout.TotalMilliseconds };
        foreach (var mail in mails)
        {
            // Claimed: another node looking meanwhile leaves it alone.
            if ((await writer.RunAsync(s => MailQueue.ClaimAll(s, mail, clock.GetUtcNow() + Claim), ct)).Value != true)
            {
                continue;
            }
            try
            {
                await ConnectAsync(smtp, ct);
                await smtp.SendAsync(mail[0].Digest ? Digest(mail) : Message(mail[0]), ct);
                await writer.RunAsync(s => MailQueue.Sent(s, mail), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var wait = Shura.Web.Site.Backoff.After(mail.Max(d => d.Attempts));
                log.LogWarning("E-mail of notice {Chain}/{Seq} not sent ({Error}); tried again in {Wait}", mail[0].Chain, mail[0].Seq, e.Message, wait);
                await writer.RunAsync(s => MailQueue.Failed(s, mail, clock.GetUtcNow() + wait, e.Message), ct);
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

    /// <summary>The e-mails of people's own accounts (verification, reset): sent, then forgotten, since they carry secrets.</summary>
    private async Task AccountMailsAsync(CancellationToken ct)
    {
        var due = await Storage.Accounts.OwnAccount.DueAsync(database, clock.GetUtcNow(), ct);
        if (due.Count == 0)
        {
            return;
        }
        using var smtp = new SmtpClient { Timeout = (int)StepTimeout.TotalMilliseconds };
        foreach (var mail in due)
        {
            try
            {
                await ConnectAsync(smtp, ct);
                var message = new MimeMessage();
                message.From.Add(new MailboxAddress(words["Shura"], settings.From));
                message.To.Add(MailboxAddress.Parse(mail.Email));
                message.Subject = mail.Subject;
                message.Headers.Add("Auto-Submitted", "auto-generated");
                message.Body = new TextPart("plain") { Text = mail.Body };
                await smtp.SendAsync(message, ct);
                await writer.RunAsync(s => Storage.Accounts.OwnAccount.MailSent(s, mail.Id), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var wait = Shura.Web.Site.Backoff.After(mail.Attempts);
                log.LogWarning("An account e-mail was not sent ({Error}); tried again in {Wait}", e.Message, wait);
                await writer.RunAsync(s => Storage.Accounts.OwnAccount.MailFailed(s, mail.Id, clock.GetUtcNow() + wait), ct);
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

    private async Task ConnectAsync(SmtpClient smtp, CancellationToken ct)
    {
        if (smtp.IsConnected)
        {
            return;
        }
        await smtp.ConnectAsync(settings.Server.Host, settings.Server.Port > 0 ? settings.Server.Port : 25,
            settings.Server.Scheme == "smtps" ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable, ct);
        if (settings.Server.UserInfo.Split(':', 2) is [var user, var password] && user.Length > 0)
        {
            await smtp.AuthenticateAsync(Uri.UnescapeDataString(user), Uri.UnescapeDataString(password), ct);
        }
    }

    /// <summary>The words and formats of one person: their language, their time zone.</summary>
    private sealed record Reader(bool Persian, Shura.Web.Site.Formats Formats);

    private static Reader ReaderOf(Delivery d)
    {
        return new Reader(d.Language == "fa", new Shura.Web.Site.Formats(Shura.Web.Site.InLanguage.Of(d.Language), Shura.Web.Site.TimeZones.Find(d.TimeZone)));
    }

    /// <summary>Runs <paramref name="make"/> in the person's language.</summary>
    private static T InLanguage<T>(Delivery d, Func<T> make) => Shura.Web.Site.InLanguage.Run(Shura.Web.Site.InLanguage.Of(d.Language), make);

    /// <summary>What a notice says: what happened, about what.</summary>
    private string What(Delivery d)
    {
        string what = words["notice:" + d.Kind];
        return d.Title is { } title ? $"{what}: {Shura.Web.Site.MotionTitles.MotionTitle(words, title)}" : what;
    }

    /// <summary>Until when what it speaks of lasts (voting, pledges, an action's due date), in the person's zone, the zone named; or nothing.</summary>
    private string? Until(Delivery d, Reader reader) =>
        d.Ends is { } ends && d.Kind is "voting-open" or "closes-soon" or "call-on" or "pledge-missed" or "action-overdue"
            ? words["until {0}", reader.Formats.DateTime(ends)].Value
            : null;

    /// <summary>The e-mail of one notice, in the person's language: what happened, where, until when, the link, and how to stop such e-mails.</summary>
    internal MimeMessage Message(Delivery d) => InLanguage(d, () =>
    {
        var reader = ReaderOf(d);
        string subject = $"{What(d)} — {d.CouncilName}";
        string until = Until(d, reader) is { } u ? u + "\n\n" : "";
        string read = new Uri(Site(), d.Link).ToString();
        string stop = StopLink(d.Person, d.Kind);
        string why = words["You receive this as a member of {0}. No more e-mails of this kind: {1}", d.CouncilName, stop];
        var body = new BodyBuilder
        {
            TextBody = $"{subject}\n\n{until}{words["Read it here: {0}", read]}\n\n-- \n{why}\n",
            HtmlBody = Html(reader, $"""
                <p><strong>{WebUtility.HtmlEncode(subject)}</strong></p>
                {(Until(d, reader) is { } line ? $"<p>{WebUtility.HtmlEncode(line)}</p>" : "")}
                <p><a href="{WebUtility.HtmlEncode(read)}">{WebUtility.HtmlEncode(words["Read it on Shura"])}</a></p>
                <hr><p><small>{WebUtility.HtmlEncode(words["You receive this as a member of {0}.", d.CouncilName])}
                <a href="{WebUtility.HtmlEncode(stop)}">{WebUtility.HtmlEncode(words["No more e-mails of this kind"])}</a></small></p>
                """),
        };
        return Envelope(d, subject, stop, body);
    });

    /// <summary>A person's daily digest: every notice they chose to hear of this way since the last, each with its link.</summary>
    internal MimeMessage Digest(IReadOnlyList<Delivery> notices) => InLanguage(notices[0], () =>
    {
        var first = notices[0];
        var reader = ReaderOf(first);
        var ordered = notices.OrderBy(d => d.At, StringComparer.Ordinal).ToList();
        string subject = words["Your digest: {0} notices", reader.Formats.Number(ordered.Count)];
        string stop = StopLink(first.Person, "digest");
        var text = new System.Text.StringBuilder($"{subject}\n\n");
        var html = new System.Text.StringBuilder($"<p><strong>{WebUtility.HtmlEncode(subject)}</strong></p><ul>");
        foreach (var d in ordered)
        {
            string read = new Uri(Site(), d.Link).ToString();
            string line = $"{reader.Formats.DateTime(d.At)} · {d.CouncilName} · {What(d)}{(Until(d, reader) is { } until ? " — " + until : "")}";
            text.Append($"- {line}\n  {read}\n");
            html.Append($"<li>{WebUtility.HtmlEncode(line)} <a href=\"{WebUtility.HtmlEncode(read)}\">{WebUtility.HtmlEncode(words["Read it on Shura"])}</a></li>");
        }
        html.Append($"""
            </ul><hr><p><small>{WebUtility.HtmlEncode(words["You receive this digest because you chose it in your account."])}
            <a href="{WebUtility.HtmlEncode(stop)}">{WebUtility.HtmlEncode(words["No more digests"])}</a></small></p>
            """);
        text.Append($"\n-- \n{words["You receive this digest because you chose it in your account."]} {words["No more digests"]}: {stop}\n");
        return Envelope(first, subject, stop, new BodyBuilder { TextBody = text.ToString(), HtmlBody = Html(reader, html.ToString()) });
    });

    private string StopLink(string person, string kind) =>
        new Uri(Site(), $"/unsubscribe/{unsubscribing.Token(new AccountId(Guid.Parse(person)), kind)}").ToString();

    private static string Html(Reader reader, string inner) =>
        $"""<!doctype html><html lang="{(reader.Persian ? "fa" : "en")}" dir="{(reader.Persian ? "rtl" : "ltr")}"><body>{inner}</body></html>""";

    private MimeMessage Envelope(Delivery d, string subject, string stop, BodyBuilder body)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(words["Shura"], settings.From));
        message.To.Add(MailboxAddress.Parse(d.Email));
        message.Subject = subject;
        message.Headers.Add("List-Unsubscribe", $"<{stop}>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>The server's own address, for the links: the first it listens on.</summary>
    private Uri Site() => site.Base;
}

/// <summary>
/// The server's own address, for the links of its e-mails: the one configured (<c>--public-url</c>),
/// or else the first it listens on — never the Host a request named, which anyone can set.
/// </summary>
public sealed class SiteAddress(Microsoft.AspNetCore.Hosting.Server.IServer server, string? configured)
{
    public Uri Base => new((configured ?? server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost").TrimEnd('/') + "/");
}
