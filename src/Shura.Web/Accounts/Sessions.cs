using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Shura.Web.Accounts;

/// <summary>
/// Sign-in sessions of the pages, kept on the server: the sign-in cookie carries a session secret,
/// and every request checks that its session has not ended. Signing out ends the session, so a
/// copy of the cookie (taken from a shared computer, say) signs nobody in any more — at once in
/// this process, and within <see cref="Remember"/> in other server processes, which remember a
/// live session that long so that a page view does not cost a query.
/// </summary>
public sealed class Sessions(AccountQueries accounts, Writer writer, TimeProvider clock)
{
    public const string Claim = "shura:session";

    public static readonly TimeSpan Remember = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _live = new(StringComparer.Ordinal);

    /// <summary>Signs the person in on this browser, in a new session.</summary>
    public async Task SignInAsync(HttpContext context, AccountId id, string name)
    {
        string secret = Secrets.Create("session_");
        await writer.RunAsync(s => AccountCommands.StartSession(s, id, Secrets.Hash(secret)), context.RequestAborted);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, id.ToString()), new Claim(ClaimTypes.Name, name), new Claim(Claim, secret)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }

    /// <summary>Ends this browser's session and its live connections, and clears the cookie.</summary>
    public async Task SignOutAsync(HttpContext context, Site.Live live)
    {
        if (context.User.FindFirstValue(Claim) is { } secret)
        {
            string hash = Secrets.Hash(secret);
            await writer.RunAsync(s => AccountCommands.EndSession(s, hash), context.RequestAborted);
            _live.TryRemove(hash, out _);
            live.EndSession(secret);
        }
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    /// <summary>Checks every signed-in request: a cookie whose session has ended (or that has none) signs nobody in.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.FindFirstValue(Claim) is not { } secret || !await IsLiveAsync(Secrets.Hash(secret), context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    private async Task<bool> IsLiveAsync(string hash, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_live.TryGetValue(hash, out var until) && until > now)
        {
            return true;
        }
        if (await accounts.SessionIsLiveAsync(hash, ct))
        {
            _live[hash] = now + Remember;
            return true;
        }
        _live.TryRemove(hash, out _);
        return false;
    }
}
