namespace Shura.Web.Accounts;

/// <summary>
/// Checking an e-mail address and a password, the one way for the API and the pages: an unknown
/// address costs the same work as a wrong password (a password is checked against a decoy hash),
/// so neither the answer nor its time tells whether an account exists.
/// </summary>
public static class Credentials
{
    private static readonly Lazy<string> Decoy = new(() => Passwords.Hash(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))));

    public static async Task<AccountId?> CheckAsync(AccountQueries accounts, string? email, string? password, CancellationToken ct)
    {
        if (email is null || password is null)
        {
            return null;
        }
        var found = await accounts.FindByEmailAsync(email, ct);
        bool matches = Passwords.Verify(found?.PasswordHash ?? Decoy.Value, password);
        return found is { } account && matches ? account.Id : null;
    }
}
