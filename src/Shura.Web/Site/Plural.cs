using Microsoft.Extensions.Localization;

namespace Shura.Web.Site;

public static class Plural
{
    /// <summary>"1 seat", "3 seats": the text for one or for several, with the number formatted for the page's language.</summary>
    public static string Count(this IStringLocalizer<Words> words, long n, string one, string many, Formats formats) =>
        words[n == 1 ? one : many, formats.Number(n)];
}
