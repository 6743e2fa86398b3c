using Microsoft.AspNetCore.Identity;

namespace Shura.Web.Accounts;

/// <summary>Password hashing for the API and the pages alike: the Identity hasher (PBKDF2 with HMAC-SHA512, 100,000 iterations), which needs no user object.</summary>
public static class Passwords
{
    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object Anyone = new();

    public static string Hash(string password) => Hasher.HashPassword(Anyone, password);

    private static long _checks;

    /// <summary>Passwords checked since the process started: the same work is done for an unknown address as for a known one, and this shows it.</summary>
    public static long Checks => Interlocked.Read(ref _checks);

    public static bool Verify(string hash, string password)
    {
        Interlocked.Increment(ref _checks);
        return Hasher.VerifyHashedPassword(Anyone, hash, password) != PasswordVerificationResult.Failed;
    }
}
