namespace Shura.Storage.Notifications;

/// <summary>
/// Every kind of notice (DESIGN §2, Notification), and the ways a person may choose to hear of each.
/// A kind nobody chose a channel for comes in the inbox and by e-mail at once.
/// </summary>
public static class NoticeKinds
{
    public static IReadOnlyList<string> All { get; } =
    [
        "support-needed", "voting-open", "closes-soon", "result", "recall-under-way", "recalled", "seat-to-fill",
        "call-on", "pledge-missed", "action-overdue", "reply", "mention", "text-hidden",
    ];

    /// <summary>In the inbox only; in the inbox and by e-mail at once; in the inbox and in a daily e-mail; not at all.</summary>
    public static IReadOnlyList<string> Channels { get; } = ["in-app", "at-once", "digest", "off"];

    public const string Default = "at-once";

    /// <summary>The hour of the person's own day when their digest is sent.</summary>
    public const int DigestHour = 7;

    /// <summary>The next digest hour in the person's zone strictly after <paramref name="after"/>.</summary>
    public static DateTimeOffset NextDigest(DateTimeOffset after, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(after, zone);
        var day = local.Date;
        for (int i = 0; i < 3; i++, day = day.AddDays(1))
        {
            var at = day.AddHours(DigestHour);
            // A digest hour skipped by a clock change comes an hour later that day.
            if (zone.IsInvalidTime(at))
            {
                at = at.AddHours(1);
            }
            var instant = new DateTimeOffset(at, zone.GetUtcOffset(at));
            if (instant > after)
            {
                return instant.ToUniversalTime();
            }
        }
        return after.AddDays(1);
    }
}
