namespace Shura.Web.Site;

/// <summary>
/// A person's time zone, by its IANA name ("Asia/Tehran", "America/New_York"), as the browser
/// says it and as the operating system's time zone data knows it. Every time a page shows is shown
/// in the reader's zone, with the zone named; the store and the API keep UTC.
/// </summary>
public static class TimeZones
{
    /// <summary>The longest IANA name ("America/Argentina/ComodRivadavia" is 32).</summary>
    public const int MaxLength = 64;

    /// <summary>The zone an IANA name names, or null: Windows names and offsets are not taken, so that every zone shown is named the same way.</summary>
    public static TimeZoneInfo? Find(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxLength || !(name.Contains('/') || name == "UTC"))
        {
            return null;
        }
        return TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) && zone.HasIanaId ? zone : null;
    }

    /// <summary>Every zone a person may choose, by name.</summary>
    public static IReadOnlyList<string> All { get; } =
        [.. TimeZoneInfo.GetSystemTimeZones().Where(z => z.HasIanaId && (z.Id.Contains('/') || z.Id == "UTC")).Select(z => z.Id).Order(StringComparer.Ordinal)];

    /// <summary>The name of the cookie in which the browser says its zone, for readers who are not signed in.</summary>
    public const string Cookie = "tz";

    /// <summary>The zone of this request's reader: the signed-in person's, else the browser's cookie, else UTC.</summary>
    public static async Task<TimeZoneInfo> OfReaderAsync(HttpContext context)
    {
        if (context.User.Person() is { } person
            && await context.RequestServices.GetRequiredService<Storage.Accounts.AccountQueries>().TimeZoneAsync(person, context.RequestAborted) is { } chosen
            && Find(chosen) is { } zone)
        {
            return zone;
        }
        return Find(context.Request.Cookies[Cookie]) ?? TimeZoneInfo.Utc;
    }
}
