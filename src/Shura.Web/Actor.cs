using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Shura.Core;
using Shura.Storage;
using Shura.Storage.Accounts;

namespace Shura.Web;

/// <summary>
/// Who is calling: the account behind the personal access token in "Authorization: Bearer …".
/// Tokens are looked up by the SHA-256 of their secret; a lookup is remembered for a few seconds
/// so busy clients do not cost a query per request. A revoked token stops working at once in the
/// process that revoked it and within <see cref="Remember"/> in other server processes.
/// </summary>
public sealed class Actors(AccountQueries accounts, TimeProvider clock)
{
    public static readonly TimeSpan Remember = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (AccountId Id, string Name, DateTimeOffset Until)> _known = new();

    public async Task<(AccountId Id, string Name)?> FindAsync(HttpContext context)
    {
        string? header = context.Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        string hash = HashOf(header["Bearer ".Length..].Trim());
        var now = clock.GetUtcNow();
        if (_known.TryGetValue(hash, out var known) && known.Until > now)
        {
            return (known.Id, known.Name);
        }
        var found = await accounts.FindByTokenAsync(hash, context.RequestAborted);
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
}
