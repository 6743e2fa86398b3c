using Microsoft.AspNetCore.Identity;

namespace Shura.Web.Accounts;

/// <summary>Password hashing for the API and the pages alike: the Identity hasher (PBKDF2 with HMAC-SHA512, 100,000 iterations), which needs no user object.</summary>
public static class Passwords
{
    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object Anyone = new();

    public static string Hash(string password) => Hasher.HashPassword(Anyone, password);

    public static bool Verify(string hash, string password) =>
        Hasher.VerifyHashedPassword(Anyone, hash, password) != PasswordVerificationResult.Failed;
}
