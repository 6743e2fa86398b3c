using System.Security.Cryptography;
using System.Text;

namespace Shura.Web.Notifications;

/// <summary>
/// The one-click unsubscribe of every e-mail (RFC 8058): a link that stops one kind of e-mail for
/// one person, without signing in. The link carries the person, the kind and an HMAC of both under
/// a key the server derives from its own: nobody can make a link for someone else.
/// </summary>
public sealed class Unsubscribing(Database database)
{
    private byte[] Key => HMACSHA256.HashData(Keys.Pseudonyms(database), "unsubscribe"u8);

    public string Token(AccountId person, string kind)
    {
        string said = $"{person}.{kind}";
        return $"{Base64Url(Encoding.UTF8.GetBytes(said))}.{Base64Url(Mac(said))}";
    }

    /// <summary>The person and kind a token stands for, or null for a token the server did not make.</summary>
    public (AccountId Person, string Kind)? Read(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 2 || FromBase64Url(parts[0]) is not { } said || FromBase64Url(parts[1]) is not { } mac)
        {
            return null;
        }
        string text = Encoding.UTF8.GetString(said);
        int dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || !CryptographicOperations.FixedTimeEquals(mac, Mac(text)) || !Guid.TryParse(text[..dot], out var person))
        {
            return null;
        }
        return (new AccountId(person), text[(dot + 1)..]);
    }

    private byte[] Mac(string said) => HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(said))[..16];

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? FromBase64Url(string text)
    {
        string padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// <c>POST /unsubscribe/{token}</c>, the one-click of mail programs (body "List-Unsubscribe=One-Click"),
    /// and <c>GET</c>, a page with one button, so that a link scanner following links unsubscribes nobody.
    /// </summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/unsubscribe/{token}", (string token, Unsubscribing unsubscribing, Microsoft.Extensions.Localization.IStringLocalizer<Site.Words> words) =>
            unsubscribing.Read(token) is null
                ? Results.NotFound()
                : Results.Content($"""
                    <!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{System.Net.WebUtility.HtmlEncode(words["No more e-mails of this kind"])}</title></head>
                    <body><form method="post"><button type="submit">{System.Net.WebUtility.HtmlEncode(words["No more e-mails of this kind"])}</button></form></body></html>
                    """, "text/html; charset=utf-8")).ExcludeFromDescription();
        app.MapPost("/unsubscribe/{token}", async (string token, Unsubscribing unsubscribing, Writer writer, Microsoft.Extensions.Localization.IStringLocalizer<Site.Words> words, CancellationToken ct) =>
        {
            if (unsubscribing.Read(token) is not { } asked)
            {
                return Results.NotFound();
            }
            await writer.RunAsync(s => Storage.Notifications.MailQueue.Unsubscribe(s, asked.Person, asked.Kind), ct);
            return Results.Text(words["Done: no more e-mails of this kind. Your notices stay on the site."]);
        }).DisableAntiforgery().ExcludeFromDescription();
    }
}
