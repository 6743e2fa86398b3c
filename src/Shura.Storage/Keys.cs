using System.Security.Cryptography;
using Dapper;

namespace Shura.Storage;

/// <summary>
/// The server's secret keys, kept in the database so every server process (and every restart)
/// uses the same ones. Whoever can read the database can read them: the docs say so.
/// </summary>
public static class Keys
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, byte[]> Cache = [];

    /// <summary>The pseudonym key as stored, without creating one (for reading a store that must not change).</summary>
    internal static byte[]? Read(System.Data.Common.DbConnection c) =>
        c.ExecuteScalar<string>("SELECT value FROM server_keys WHERE name = 'pseudonyms'") is { } hex ? Convert.FromHexString(hex) : null;

    /// <summary>The key of per-motion pseudonyms for secret ballots; created on first use.</summary>
    public static byte[] Pseudonyms(Database database)
    {
        lock (Gate)
        {
            if (Cache.TryGetValue(database.ConnectionString, out var cached))
            {
                return cached;
            }
            using var c = database.OpenConnection();
            c.Execute("INSERT INTO server_keys (name, value) VALUES ('pseudonyms', @value) ON CONFLICT (name) DO NOTHING",
                new { value = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) });
            var key = Convert.FromHexString(c.ExecuteScalar<string>("SELECT value FROM server_keys WHERE name = 'pseudonyms'")!);
            Cache[database.ConnectionString] = key;
            return key;
        }
    }
}
