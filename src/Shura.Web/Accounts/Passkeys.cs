using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace Shura.Web.Accounts;

/// <summary>An account as ASP.NET Core Identity's passkey support sees it: only what the ceremonies need.</summary>
public sealed class PasskeyUser
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Email { get; init; }
}

/// <summary>
/// The store behind Identity's WebAuthn ceremonies (SignInManager's passkey methods): accounts
/// are Shura's own, and passkeys live in their own table. Passkeys are credentials, like password
/// hashes and tokens, so they are kept beside the accounts and not in any council's public log.
/// Writes go through the one writer like every other change.
/// </summary>
public sealed class PasskeyStore(Database database, Writer writer) : IUserPasskeyStore<PasskeyUser>
{
    public async Task<PasskeyUser?> FindByIdAsync(string userId, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenConnectionAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<(string Id, string Name, string Email)?>(
            "SELECT id, name, email FROM accounts WHERE id = @id", new { id = userId });
        return row is { } r ? new PasskeyUser { Id = r.Id, Name = r.Name, Email = r.Email } : null;
    }

    public Task<PasskeyUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) => Task.FromResult<PasskeyUser?>(null);

    public Task<string> GetUserIdAsync(PasskeyUser user, CancellationToken cancellationToken) => Task.FromResult(user.Id);

    public Task<string?> GetUserNameAsync(PasskeyUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email);

    public Task<string?> GetNormalizedUserNameAsync(PasskeyUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email.ToUpperInvariant());

    // Accounts are made and renamed by Shura's own commands, never through Identity.
    public Task SetUserNameAsync(PasskeyUser user, string? userName, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SetNormalizedUserNameAsync(PasskeyUser user, string? normalizedName, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IdentityResult> CreateAsync(PasskeyUser user, CancellationToken cancellationToken) =>
        Task.FromResult(IdentityResult.Failed(new IdentityError { Code = "not-supported", Description = "Accounts are made by signing up." }));

    public Task<IdentityResult> UpdateAsync(PasskeyUser user, CancellationToken cancellationToken) => Task.FromResult(IdentityResult.Success);

    public Task<IdentityResult> DeleteAsync(PasskeyUser user, CancellationToken cancellationToken) =>
        Task.FromResult(IdentityResult.Failed(new IdentityError { Code = "not-supported", Description = "Accounts are not deleted here." }));

    public async Task AddOrUpdatePasskeyAsync(PasskeyUser user, UserPasskeyInfo passkey, CancellationToken cancellationToken)
    {
        string id = WebEncoders.Base64UrlEncode(passkey.CredentialId);
        string info = Write(passkey);
        await writer.RunAsync(s =>
        {
            int changed = s.Execute("UPDATE passkeys SET info = @info WHERE credential_id = @id AND account_id = @account", new { id, info, account = user.Id });
            if (changed == 0)
            {
                s.Execute("INSERT INTO passkeys (credential_id, account_id, info, created_at) VALUES (@id, @account, @info, @at)",
                    new { id, account = user.Id, info, at = s.Time });
            }
            return changed;
        }, cancellationToken);
    }

    public async Task<IList<UserPasskeyInfo>> GetPasskeysAsync(PasskeyUser user, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenConnectionAsync(cancellationToken);
        return [.. (await c.QueryAsync<string>("SELECT info FROM passkeys WHERE account_id = @a ORDER BY created_at", new { a = user.Id })).Select(Read)];
    }

    public async Task<PasskeyUser?> FindByPasskeyIdAsync(byte[] credentialId, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenConnectionAsync(cancellationToken);
        string? account = await c.QuerySingleOrDefaultAsync<string>("SELECT account_id FROM passkeys WHERE credential_id = @id",
            new { id = WebEncoders.Base64UrlEncode(credentialId) });
        return account is null ? null : await FindByIdAsync(account, cancellationToken);
    }

    public async Task<UserPasskeyInfo?> FindPasskeyAsync(PasskeyUser user, byte[] credentialId, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenConnectionAsync(cancellationToken);
        string? info = await c.QuerySingleOrDefaultAsync<string>("SELECT info FROM passkeys WHERE credential_id = @id AND account_id = @a",
            new { id = WebEncoders.Base64UrlEncode(credentialId), a = user.Id });
        return info is null ? null : Read(info);
    }

    public async Task RemovePasskeyAsync(PasskeyUser user, byte[] credentialId, CancellationToken cancellationToken) =>
        await writer.RunAsync(s => s.Execute("DELETE FROM passkeys WHERE credential_id = @id AND account_id = @a",
            new { id = WebEncoders.Base64UrlEncode(credentialId), a = user.Id }), cancellationToken);

    public void Dispose()
    {
    }

    private sealed record Stored(
        string CredentialId, string PublicKey, DateTimeOffset CreatedAt, uint SignCount, string[]? Transports, bool IsUserVerified,
        bool IsBackupEligible, bool IsBackedUp, string AttestationObject, string ClientDataJson, string? Name);

    private static string Write(UserPasskeyInfo p) => JsonSerializer.Serialize(new Stored(
        WebEncoders.Base64UrlEncode(p.CredentialId), WebEncoders.Base64UrlEncode(p.PublicKey), p.CreatedAt, p.SignCount, p.Transports, p.IsUserVerified,
        p.IsBackupEligible, p.IsBackedUp, WebEncoders.Base64UrlEncode(p.AttestationObject), WebEncoders.Base64UrlEncode(p.ClientDataJson), p.Name));

    private static UserPasskeyInfo Read(string json)
    {
        var s = JsonSerializer.Deserialize<Stored>(json)!;
        return new UserPasskeyInfo(WebEncoders.Base64UrlDecode(s.CredentialId), WebEncoders.Base64UrlDecode(s.PublicKey), s.CreatedAt, s.SignCount, s.Transports,
            s.IsUserVerified, s.IsBackupEligible, s.IsBackedUp, WebEncoders.Base64UrlDecode(s.AttestationObject), WebEncoders.Base64UrlDecode(s.ClientDataJson))
        { Name = s.Name };
    }
}
