using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Shura.Web.Accounts;

/// <summary>
/// Personal access tokens ("Authorization: Bearer …"), looked up by the SHA-256 of their secret. A
/// lookup is remembered for a few seconds so busy clients do not cost a query per request. A
/// revoked token stops working at once in the process that revoked it and within
/// <see cref="Remember"/> in other server processes.
/// </summary>
public sealed class BearerTokens(AccountQueries accounts, TimeProvider clock)
{
    public const string Scheme = "Bearer";

    public static readonly TimeSpan Remember = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (AccountId Id, string Name, DateTimeOffset Until)> _known = new();

    public async Task<(AccountId Id, string Name)?> FindAsync(string secret, CancellationToken ct)
    {
        string hash = HashOf(secret);
        var now = clock.GetUtcNow();
        if (_known.TryGetValue(hash, out var known) && known.Until > now)
        {
            return (known.Id, known.Name);
        }
        var found = await accounts.FindByTokenAsync(hash, ct);
        if (found is { } account)
        {
            _known[hash] = (account.Id, account.Name, now + Remember);
        }
        else
        {
            _known.TryRemove(hash, out _);
        }
        return found;
    }

    /// <summary>Forgets every remembered token of an account, after one of them is revoked.</summary>
    public void Forget(AccountId account)
    {
        foreach (var (hash, known) in _known)
        {
            if (known.Id == account)
            {
                _known.TryRemove(hash, out _);
            }
        }
    }

    public static string HashOf(string secret) => Secrets.Hash(secret);

    /// <summary>A new token secret, prefixed so that a leaked one is easy to recognise.</summary>
    public static string NewSecret() => Secrets.Create("shura_");

    /// <summary>The secret of "Authorization: Bearer …", or null when the request carries none.</summary>
    public static string? SecretOf(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } header && header.StartsWith(Scheme + " ", StringComparison.OrdinalIgnoreCase)
            ? header[(Scheme.Length + 1)..].Trim()
            : null;
}

/// <summary>
/// Tokens as an ASP.NET Core authentication scheme beside the pages' cookie: whichever way a
/// person came, the API, the pages and the live hub read them from <see cref="HttpContext.User"/>.
/// A request without a token is anonymous; one with an unknown or revoked token is too (routes that
/// need a person then answer 401). The challenge is the API's 401 problem.
/// </summary>
public sealed class BearerTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, BearerTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerTokens.SecretOf(Request) is not { } secret)
        {
            return AuthenticateResult.NoResult();
        }
        if (await tokens.FindAsync(secret, Context.RequestAborted) is not { } account)
        {
            return AuthenticateResult.Fail("unknown or revoked token");
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, account.Id.ToString()), new Claim(ClaimTypes.Name, account.Name)], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => Problems.Unauthenticated.ExecuteAsync(Context);
}
