using Dapper;
using Shura.Core.Accounts;

namespace Shura.Storage.Accounts;

public sealed record TokenInfo(string Id, string Label, string CreatedAt, string? RevokedAt);

/// <summary>Reading accounts and tokens, outside the writer.</summary>
public sealed class AccountQueries(Database database)
{
    /// <summary>The IANA name of the time zone a person chose (or their browser said at sign-up); null when none.</summary>
    public async Task<string?> TimeZoneAsync(AccountId account, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<string?>("SELECT time_zone FROM accounts WHERE id = @account", new { account });
    }

    public async Task<(AccountId Id, string PasswordHash)?> FindByEmailAsync(string email, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        foreach (var (id, hash) in await c.QueryAsync<(AccountId, string)>(
            "SELECT id, password_hash FROM accounts WHERE email = @email", new { email = Registration.NormalizeEmail(email) }))
        {
            return (id, hash);
        }
        return null;
    }

    /// <summary>The account a token's secret belongs to, if the token exists and is not revoked.</summary>
    public async Task<(AccountId Id, string Name)?> FindByTokenAsync(string secretHash, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        foreach (var (id, name) in await c.QueryAsync<(AccountId, string)>("""
            SELECT a.id, a.name FROM tokens t JOIN accounts a ON a.id = t.account_id
            WHERE t.secret_hash = @secretHash AND t.revoked_at IS NULL
            """, new { secretHash }))
        {
            return (id, name);
        }
        return null;
    }

    /// <summary>Whether the session with this secret's hash was started and has not ended.</summary>
    public async Task<bool> SessionIsLiveAsync(string secretHash, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sessions WHERE id = @secretHash AND ended_at IS NULL", new { secretHash }) > 0;
    }

    public async Task<IReadOnlyList<TokenInfo>> TokensAsync(AccountId account, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<TokenInfo>(
            "SELECT id AS Id, label AS Label, created_at AS CreatedAt, revoked_at AS RevokedAt FROM tokens WHERE account_id = @account ORDER BY created_at",
            new { account })];
    }

    public async Task<string?> NameAsync(AccountId account, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<string>("SELECT name FROM accounts WHERE id = @id", new { id = account });
    }

    /// <summary>The names of the given accounts (unknown ids are left out).</summary>
    public async Task<IReadOnlyDictionary<string, string>> NamesAsync(IEnumerable<string> ids, CancellationToken ct)
    {
        string[] wanted = [.. ids.Distinct()];
        if (wanted.Length == 0)
        {
            return new Dictionary<string, string>();
        }
        await using var c = await database.OpenConnectionAsync(ct);
        var names = new Dictionary<string, string>();
        foreach (var chunk in wanted.Chunk(500))
        {
            foreach (var (id, name) in await c.QueryAsync<(string, string)>($"SELECT id, name FROM accounts WHERE {database.OneOf("id", "@ids")}", new { ids = chunk }))
            {
                names[id] = name;
            }
        }
        return names;
    }

    /// <summary>The language this person's e-mails are written in.</summary>
    public async Task<string?> LanguageAsync(AccountId account, CancellationToken ct) => (await EmailAndLanguageAsync(account, ct)).Language;

    public async Task<(string Email, string? Language)> EmailAndLanguageAsync(AccountId account, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await c.QuerySingleAsync<(string, string?)>("SELECT email, language FROM accounts WHERE id = @account", new { account });
    }

    public async Task<string?> PasswordHashAsync(AccountId account, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<string>("SELECT password_hash FROM accounts WHERE id = @account AND deleted_at IS NULL", new { account });
    }

    /// <summary>Whether this person's e-mail address is verified.</summary>
    public async Task<bool> VerifiedAsync(AccountId account, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<string?>("SELECT email_verified_at FROM accounts WHERE id = @account", new { account }) is not null;
    }

    /// <summary>One's sign-in sessions still open, the newest first; <paramref name="current"/> marks the one asking.</summary>
    public async Task<IReadOnlyList<SessionView>> SessionsAsync(AccountId account, string? current, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string Id, string CreatedAt)>(
            "SELECT id, created_at FROM sessions WHERE account_id = @account AND ended_at IS NULL ORDER BY created_at DESC", new { account });
        return [.. rows.Select(r => new SessionView(r.Id, r.CreatedAt, r.Id == current))];
    }
}
