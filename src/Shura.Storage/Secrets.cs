using System.Security.Cryptography;
using System.Text;

namespace Shura.Storage;

/// <summary>
/// Secrets handed to people — API tokens, invitation links — are stored only as their SHA-256:
/// whoever reads the database cannot use them.
/// </summary>
public static class Secrets
{
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>A new secret: 32 random bytes, URL-safe Base64, after a prefix that says what it is.</summary>
    public static string Create(string prefix) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
