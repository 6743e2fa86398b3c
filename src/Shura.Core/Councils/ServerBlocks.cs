using System.Globalization;

namespace Shura.Core.Councils;

/// <summary>
/// The servers a council blocks on the federated social web, as its members decided by a settings
/// motion: host names in their ASCII form ("example.social", "xn--mgbh0fb.example"), each blocking
/// its subdomains too — as Mastodon's domain blocks do, since one operator runs them all — or the
/// address of a server known by no name ("192.0.2.7"), which blocks that address only.
/// </summary>
public static class ServerBlocks
{
    /// <summary>So many and no more: a council's list is read on every delivery it receives.</summary>
    public const int Most = 1000;

    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    /// <summary>A host name as the list keeps it (lower case, ASCII), or null if it is not one.</summary>
    public static string? Normalize(string text)
    {
        string host = text.Trim().TrimEnd('.');
        if (host.Length is 0 or > 253 || host.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }
        if (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && Uri.CheckHostName(host.Trim('[', ']')) is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            // A server known only by its address: that address, written one way.
            return address.ToString();
        }
        try
        {
            host = Idn.GetAscii(host).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
        return Uri.CheckHostName(host) == UriHostNameType.Dns && host.Contains('.', StringComparison.Ordinal) ? host : null;
    }

    /// <summary>The list as a setting keeps it: each name normalized, once, in order; null when empty.</summary>
    public static Result<IReadOnlyList<string>?> Of(IEnumerable<string> names)
    {
        var kept = new SortedSet<string>(StringComparer.Ordinal);
        int line = 0;
        foreach (string name in names)
        {
            line++;
            if (Normalize(name) is not { } host)
            {
                return Refusal.Invalid(Codes.InvalidField, $"blockedServers[{line - 1}]: \"{name}\" is not a server's host name (such as \"example.social\").", "settings.blockedServers");
            }
            kept.Add(host);
        }
        if (kept.Count > Most)
        {
            return Refusal.Invalid(Codes.InvalidField, $"blockedServers: at most {Most} servers.", "settings.blockedServers");
        }
        return new Result<IReadOnlyList<string>?>(kept.Count == 0 ? null : [.. kept], null);
    }

    /// <summary>What is wrong with a list read back (from a motion or the store), if anything.</summary>
    internal static Refusal? Problem(IReadOnlyList<string> blocked) =>
        blocked.Count > Most || blocked.Any(h => Normalize(h) != h)
            ? Refusal.Invalid(Codes.InvalidField, "blockedServers must be host names in lower case.", "settings.blockedServers")
            : null;

    /// <summary>Whether any of these addresses (an actor's, a key's, an inbox's) is on a blocked server.</summary>
    public static bool BlocksAny(IReadOnlyList<string>? blocked, params string?[] urls) =>
        urls.Any(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && Blocks(blocked, uri.IdnHost));

    /// <summary>Whether <paramref name="host"/> (a URL's host) is one of the list's servers or under one.</summary>
    public static bool Blocks(IReadOnlyList<string>? blocked, string host)
    {
        if (blocked is null || blocked.Count == 0 || Normalize(host) is not { } h)
        {
            return false;
        }
        foreach (string b in blocked)
        {
            if (h == b || (h.Length > b.Length && h.EndsWith(b, StringComparison.Ordinal) && h[h.Length - b.Length - 1] == '.' && !System.Net.IPAddress.TryParse(b, out _)))
            {
                return true;
            }
        }
        return false;
    }
}
