using System.Globalization;

namespace Shura.Web.Tests.Support;

/// <summary>
/// What a Persian page should say, written here from the calendar itself and not by the server's
/// own formatting: Persian digits, and a day in the Solar Hijri calendar with its month's name.
/// </summary>
public static class Solar
{
    private static readonly string[] Months =
        ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"];

    private static readonly PersianCalendar Calendar = new();

    /// <summary>Western digits as Persian ones; the rest left alone.</summary>
    public static string Persian(string text) => string.Concat(text.Select(c => c is >= '0' and <= '9' ? (char)('۰' + (c - '0')) : c));

    /// <summary>"۱۰ آذر ۱۴۰۵" for the day of <paramref name="day"/>, as the clock it was read from shows it.</summary>
    public static string Date(DateTime day) =>
        Persian($"{Calendar.GetDayOfMonth(day)} {Months[Calendar.GetMonth(day) - 1]} {Calendar.GetYear(day)}");
}
