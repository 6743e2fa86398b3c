using System.Globalization;

namespace Shura.Web.Site;

/// <summary>
/// Every number and date a page shows goes through here, so a language decides them once: Persian
/// pages get Persian digits and separators and Solar Hijri dates (DESIGN §7), English pages
/// Western digits and Gregorian dates. Times are shown in the reader's time zone, named
/// (<see cref="TimeZones"/>); without one, in UTC, as the log records them.
/// </summary>
public sealed class Formats(CultureInfo culture, TimeZoneInfo? zone = null)
{
    private static readonly string[] PersianMonths =
        ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"];

    private static readonly PersianCalendar Solar = new();

    public static Formats Current => new(CultureInfo.CurrentUICulture);

    /// <summary>The zone times are shown in.</summary>
    public TimeZoneInfo Zone { get; } = zone ?? TimeZoneInfo.Utc;

    private bool InUtc => Zone.Id is "UTC" or "Etc/UTC";

    public bool IsPersian { get; } = culture.TwoLetterISOLanguageName == "fa";

    public bool RightToLeft => IsPersian || culture.TextInfo.IsRightToLeft;

    public string Language => IsPersian ? "fa" : "en";

    public string Direction => RightToLeft ? "rtl" : "ltr";

    public string Number(long value) => Digits(value.ToString("#,0", CultureInfo.InvariantCulture));

    /// <summary>A decimal count (STV and Meek values) with up to <paramref name="decimals"/> places.</summary>
    public string Number(decimal value, int decimals = 2) =>
        Digits(Math.Round(value, decimals).ToString(decimals == 0 ? "#,0" : "#,0." + new string('#', decimals), CultureInfo.InvariantCulture));

    /// <summary>A share of a whole (not zero), to one decimal place, with the language's percent sign.</summary>
    public string Percent(decimal part, decimal whole) => Number(Math.Round(100 * part / whole, 1), 1) + (IsPersian ? "٪" : "%");

    /// <summary>
    /// A day and a time in the reader's zone, the zone named: "24 November 2026, 17:50 (America/New_York)"
    /// or "۴ آذر ۱۴۰۵، ۰۱:۲۰ (Asia/Tehran)"; in UTC "24 November 2026, 21:50 UTC" or "۳ آذر ۱۴۰۵، ۲۱:۵۰ (UTC)".
    /// </summary>
    public string DateTime(DateTimeOffset moment)
    {
        string time = Local(moment).ToString("HH:mm", CultureInfo.InvariantCulture);
        if (InUtc)
        {
            return IsPersian ? $"{Date(moment)}، {Digits(time)} (\u2068UTC\u2069)" : $"{Date(moment)}, {time} UTC";
        }
        // The zone's name is Latin inside Persian: isolated, so that it does not turn the line around it.
        return IsPersian ? $"{Date(moment)}، {Digits(time)} (\u2068{Zone.Id}\u2069)" : $"{Date(moment)}, {time} ({Zone.Id})";
    }

    /// <summary>The moment as the reader's clock shows it.</summary>
    private System.DateTime Local(DateTimeOffset moment) => TimeZoneInfo.ConvertTimeFromUtc(moment.UtcDateTime, Zone);

    public string Date(DateTimeOffset moment)
    {
        var utc = Local(moment);
        if (IsPersian)
        {
            int year = Solar.GetYear(utc), month = Solar.GetMonth(utc), day = Solar.GetDayOfMonth(utc);
            return Digits($"{day} {PersianMonths[month - 1]} {year}");
        }
        return utc.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
    }

    /// <summary>The zone's name as a label says it ("When (Asia/Tehran)"): isolated, so that in a Persian label it keeps its own order.</summary>
    public string ZoneName => IsPersian ? $"\u2068{Zone.Id}\u2069" : Zone.Id;

    public string DateTime(string iso) => DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? DateTime(t) : iso;

    /// <summary>A span such as a voting period, in the largest whole unit that fits.</summary>
    public string Duration(TimeSpan span, Func<string, string> words)
    {
        if (span.TotalDays >= 1 && span.TotalDays == Math.Floor(span.TotalDays))
        {
            return $"{Number((long)span.TotalDays)} {words("days")}";
        }
        if (span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours))
        {
            return $"{Number((long)span.TotalHours)} {words("hours")}";
        }
        if (span.TotalMinutes >= 1 && span.TotalMinutes == Math.Floor(span.TotalMinutes))
        {
            return $"{Number((long)span.TotalMinutes)} {words("minutes")}";
        }
        return $"{Number((long)span.TotalSeconds)} {words("seconds")}";
    }

    /// <summary>Western digits to Persian ones, and the separators with them; other text is left alone.</summary>
    public string Digits(string text)
    {
        if (!IsPersian)
        {
            return text;
        }
        return string.Create(text.Length, text, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                span[i] = c switch
                {
                    >= '0' and <= '9' => (char)('۰' + (c - '0')),
                    ',' => '٬',
                    '.' => '٫',
                    _ => c,
                };
            }
        });
    }
}
