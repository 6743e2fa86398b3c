using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Shura.Core.Log;

/// <summary>
/// One entry of the append-only log (DESIGN §6). Entries form a chain per council (and one for
/// accounts): each carries the hash of the one before, so changing, removing or inserting an entry
/// anywhere breaks every hash after it.
/// </summary>
/// <param name="Chain">The council's id, or "accounts".</param>
/// <param name="Sequence">1 for the first entry of a chain, then 2, 3, … without gaps.</param>
/// <param name="Payload">The event as JSON, exactly the text that was hashed.</param>
public sealed record LogEntry(
    string Chain,
    long Sequence,
    DateTimeOffset Time,
    string Actor,
    string Type,
    string Payload,
    string PreviousHash,
    string Hash)
{
    public const string AccountsChain = "accounts";

    /// <summary>The hash of the entry before the first: 64 zeros.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>
    /// SHA-256 (lower-case hex) of the UTF-8 text made of the fields joined by line feeds:
    /// chain, sequence, time (ISO 8601 UTC with 7 decimals), actor, type, previous hash, payload.
    /// Anyone can recompute it from an exported line.
    /// </summary>
    public static string ComputeHash(string chain, long sequence, DateTimeOffset time, string actor, string type, string previousHash, string payload)
    {
        string text = string.Join('\n',
            chain,
            sequence.ToString(CultureInfo.InvariantCulture),
            FormatTime(time),
            actor,
            type,
            previousHash,
            payload);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A time as <see cref="FormatTime"/> wrote it.</summary>
    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static LogEntry Create(string chain, long sequence, DateTimeOffset time, string actor, string type, string payload, string previousHash)
    {
        // The log keeps time to the tick in UTC, so a stored entry hashes exactly as it did when written.
        var utc = new DateTimeOffset(time.UtcTicks, TimeSpan.Zero);
        return new(chain, sequence, utc, actor, type, payload, previousHash, ComputeHash(chain, sequence, utc, actor, type, previousHash, payload));
    }

    /// <summary>True when this entry's hash is the hash of its own fields.</summary>
    public bool IsIntact => Hash == ComputeHash(Chain, Sequence, Time, Actor, Type, PreviousHash, Payload);
}

/// <summary>What is wrong with a chain, at which entry.</summary>
public sealed record ChainBreak(string Chain, long Sequence, string Problem);

public static class Chain
{
    /// <summary>Checks a chain's entries in order: sequence without gaps, each linked to the one before, each hash intact.</summary>
    public static ChainBreak? Verify(IEnumerable<LogEntry> entries)
    {
        string? chain = null;
        long expected = 1;
        string previous = LogEntry.Genesis;
        foreach (var entry in entries)
        {
            chain ??= entry.Chain;
            if (entry.Chain != chain)
            {
                return new ChainBreak(entry.Chain, entry.Sequence, $"entry belongs to chain {entry.Chain}, not {chain}");
            }
            if (entry.Sequence != expected)
            {
                return new ChainBreak(chain, entry.Sequence, $"expected sequence {expected}");
            }
            if (entry.PreviousHash != previous)
            {
                return new ChainBreak(chain, entry.Sequence, "its previous hash is not the hash of the entry before");
            }
            if (!entry.IsIntact)
            {
                return new ChainBreak(chain, entry.Sequence, "its hash does not match its content");
            }
            previous = entry.Hash;
            expected++;
        }
        return null;
    }
}
