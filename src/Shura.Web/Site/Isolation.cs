using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace Shura.Web.Site;

/// <summary>
/// People's words inside the page's own sentences. A Persian name in an English line, or a Latin
/// one in a Persian line, pulls the neutral characters beside it — a day's number, a separator —
/// into its own direction, and the line reads out of order ("proposed by 28 · لیلا November").
/// Each piece of people's text (a name, a title, an id) is therefore isolated in a <c>&lt;bdi&gt;</c>,
/// which lays it out on its own and leaves the sentence around it in the page's direction.
/// </summary>
public static class Isolation
{
    /// <summary>The page's sentence <paramref name="key"/> with each argument isolated: <c>W.Isolated("proposed by {0}", name)</c>.</summary>
    public static IHtmlContent Isolated(this IStringLocalizer<Words> words, string key, params object?[] args)
    {
        string format = words[key].Value;
        var html = new HtmlContentBuilder();
        int at = 0;
        while (at < format.Length)
        {
            int open = format.IndexOf('{', at);
            int close = open < 0 ? -1 : format.IndexOf('}', open);
            if (close < 0 || !int.TryParse(format.AsSpan(open + 1, close - open - 1), out int n) || n >= args.Length)
            {
                html.Append(format[at..]);
                break;
            }
            html.Append(format[at..open]);
            if (args[n] is IHtmlContent isolatedAlready)
            {
                html.AppendHtml(isolatedAlready);
            }
            else
            {
                html.AppendHtml("<bdi>").Append(args[n]?.ToString() ?? "").AppendHtml("</bdi>");
            }
            at = close + 1;
        }
        return html;
    }

    /// <summary>A link whose text is people's words, for <see cref="Isolated"/>: the link isolates its own text (<c>dir="auto"</c>).</summary>
    public static IHtmlContent Link(string href, string text)
    {
        var html = new HtmlContentBuilder();
        return html.AppendHtml("<a href=\"").Append(href).AppendHtml("\" dir=\"auto\">").Append(text).AppendHtml("</a>");
    }

    /// <summary>Names in a list, each isolated on its own (two names of different scripts in one isolate would still scramble each other).</summary>
    public static IHtmlContent List(this IStringLocalizer<Words> words, IEnumerable<string> names)
    {
        var html = new HtmlContentBuilder();
        string separator = words["list-separator"].Value;
        bool first = true;
        foreach (string name in names)
        {
            if (!first)
            {
                html.Append(separator);
            }
            html.AppendHtml("<bdi>").Append(name).AppendHtml("</bdi>");
            first = false;
        }
        return html;
    }

    /// <summary>
    /// What stands between the parts of a line of facts: in Persian not "·", which reads as the
    /// Persian zero beside digits ("۲ · ۳۳٫۳٪" looks like "۲۰۳۳٫۳"), but a dash no digit resembles.
    /// </summary>
    public static string Separator(this IStringLocalizer<Words> words) => words["separator"].Value;
}
