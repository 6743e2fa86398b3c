using System.Globalization;
using System.Net;
using System.Text;
using Shura.Core.Counting;
using Shura.Core.Motions;

namespace Shura.Web.Site;

/// <summary>
/// Results drawn as SVG on the server, so they show without JavaScript and print as they look:
/// bars for one round of totals (plurality, approval, score, yes/no), one column of bars per round
/// for counts that go round by round (IRV, STV, Meek), and the pairwise matrix for Schulze and
/// ranked pairs. Right-to-left pages get mirrored pictures; every number goes through
/// <see cref="Formats"/>.
/// </summary>
public sealed class Pictures(Formats formats, Func<string, string> names)
{

    // Pictures are drawn about as wide as a phone shows them, so their text stays readable there;
    // on a wide screen they are capped by the style sheet.
    private const int Row = 30;
    private const int NameWidth = 130;
    private const int Cell = 62;

    private int _width = 360;

    /// <summary>
    /// The most a picture shows: a pairwise matrix of 200 options would be 40,000 cells and several
    /// megabytes for one page. Beyond these, it shows the options leading (by the result's ranking,
    /// or by their votes in the last round) and the page says how many it left out.
    /// </summary>
    public const int MaxMatrix = 12;

    public const int MaxRows = 20;

    public const int MaxColumns = 30;

    /// <summary>
    /// The most rounds a live result's picture shows: it is pushed to every watcher a few times a
    /// second, and six rounds of twenty options already tell where each stands and where it is going
    /// (the table lists the rounds that matter; the final result shows up to <see cref="MaxColumns"/>).
    /// </summary>
    public const int MaxLiveColumns = 6;

    /// <summary>The options of a result that its picture shows, and how many there are in all.</summary>
    public static (IReadOnlyList<string> Shown, int Of) Shown(MotionResult result)
    {
        if (result.Tally is not { } tally)
        {
            return (["yes", "no", "abstain"], 3);
        }
        var candidates = tally.Candidates;
        int max = Pairwise(tally) is not null ? MaxMatrix : MaxRows;
        if (candidates.Count <= max)
        {
            return (candidates, candidates.Count);
        }
        var order = (tally.Ranking ?? []).Concat(tally.Winners).ToList();
        if (Rounds.Totals(result).LastOrDefault() is { } last)
        {
            order.AddRange(last.OrderByDescending(t => t.Value).Select(t => t.Key));
        }
        order.AddRange(candidates);
        var shown = order.Where(candidates.Contains).Distinct().Take(max).ToHashSet();
        return ([.. candidates.Where(shown.Contains)], candidates.Count);
    }

    /// <summary>The pairwise matrix of a Schulze or ranked-pairs count.</summary>
    private static IReadOnlyList<IReadOnlyList<long>>? Pairwise(TallyResult tally) => tally.Rounds.FirstOrDefault() switch
    {
        SchulzeRound s => s.Pairwise,
        RankedPairsRound r => r.Pairwise,
        _ => null,
    };

    /// <summary>
    /// The option that beats every other head to head in a Schulze or ranked-pairs count (its
    /// Condorcet winner), if there is one: the plain sentence beside the matrix.
    /// </summary>
    public static string? BeatsEveryOther(MotionResult result)
    {
        if (result.Tally is not { } tally || Pairwise(tally) is not { } pairwise)
        {
            return null;
        }
        var candidates = tally.Candidates;
        for (int i = 0; i < candidates.Count; i++)
        {
            if (Enumerable.Range(0, candidates.Count).All(j => j == i || pairwise[i][j] > pairwise[j][i]))
            {
                return candidates[i];
            }
        }
        return null;
    }

    /// <summary>Whether the picture is a pairwise matrix (and wants its legend).</summary>
    public static bool IsMatrix(MotionResult result) => result.Tally is { } tally && Pairwise(tally) is not null;

    /// <summary>The picture for a result; null when there is nothing to draw. With no ballot cast, no option is drawn as winning.</summary>
    public string? Draw(MotionResult result, string title, int maxColumns = MaxColumns, bool anyBallots = true)
    {
        if (result.Decision is { } decision)
        {
            return Bars(title, [("yes", decision.Counts.Yes), ("no", decision.Counts.No), ("abstain", decision.Counts.Abstain)], anyBallots ? result.Winners : []);
        }
        var tally = result.Tally!;
        if (!anyBallots)
        {
            tally = tally with { Winners = [] };
        }
        if (tally.Rounds.Count == 0)
        {
            return null;
        }
        var (shown, _) = Shown(result);
        if (Pairwise(tally) is { } pairwise)
        {
            return Matrix(title, tally.Candidates, shown, pairwise, tally.Winners);
        }
        var columns = Rounds.Totals(result);
        if (columns.Count == 1)
        {
            return Bars(title, [.. columns[0].Where(p => shown.Contains(p.Key)).Select(p => (p.Key, p.Value))], tally.Winners);
        }
        // The last rounds tell how it ended; the first ones are in the table.
        return columns.Count > 1
            ? RoundByRound(title, shown, columns.Count > maxColumns ? columns.Skip(columns.Count - maxColumns).ToList() : columns, columns.Count - Math.Min(columns.Count, maxColumns), tally.Winners)
            : null;
    }

    private string Bars(string title, IReadOnlyList<(string Option, decimal Votes)> bars, IReadOnlyList<string> winners)
    {
        _width = 360;
        decimal most = Math.Max(1, bars.Count == 0 ? 1 : bars.Max(b => b.Votes));
        decimal total = bars.Sum(b => b.Votes);
        int height = bars.Count * Row * 2 + 10;
        var svg = Open(title, height);
        for (int i = 0; i < bars.Count; i++)
        {
            var (option, votes) = bars[i];
            int y = i * Row * 2;
            double length = (double)(votes / most) * (_width - 10);
            string cls = winners.Contains(option) ? "bar win" : "bar";
            string share = total == 0 ? "" : $" {(formats.IsPersian ? "—" : "·")} {formats.Percent(votes, total)}";
            Text(svg, 0, y + 18, "", names(option), $": {formats.Number(votes)}{share}", "label");
            Rect(svg, 0, y + 24, length, Row - 8, cls);
        }
        return Close(svg);
    }

    /// <param name="skipped">Rounds before those shown (the picture numbers its columns from there).</param>
    private string RoundByRound(string title, IReadOnlyList<string> candidates, IReadOnlyList<IReadOnlyDictionary<string, decimal>> rounds, int skipped, IReadOnlyList<string> winners)
    {
        const int nameWidth = NameWidth;
        double column = Cell;
        _width = nameWidth + (int)column * rounds.Count;
        decimal most = Math.Max(1, rounds.SelectMany(r => r.Values).DefaultIfEmpty(1).Max());
        int height = (candidates.Count + 1) * Row + 10;
        var svg = Open(title, height);
        for (int r = 0; r < rounds.Count; r++)
        {
            Text(svg, nameWidth + r * column + 4, 18, formats.Number(skipped + r + 1), "head");
        }
        for (int i = 0; i < candidates.Count; i++)
        {
            string candidate = candidates[i];
            int y = (i + 1) * Row;
            Text(svg, 0, y + 19, "", Clip(names(candidate), 15), "", winners.Contains(candidate) ? "label win" : "label");
            for (int r = 0; r < rounds.Count; r++)
            {
                if (!rounds[r].TryGetValue(candidate, out decimal votes))
                {
                    continue;
                }
                double length = Math.Max(1, (double)(votes / most) * (column - 8));
                Rect(svg, nameWidth + r * column + 2, y + 4, length, Row - 10, winners.Contains(candidate) ? "bar win" : "bar");
                Text(svg, nameWidth + r * column + 4, y + 17, formats.Number(votes, 0), "value");
            }
        }
        return Close(svg);
    }

    /// <param name="all">All the options, in the order of the matrix's rows.</param>
    /// <param name="shown">Those the picture shows (the leading ones, when there are many).</param>
    private string Matrix(string title, IReadOnlyList<string> all, IReadOnlyList<string> shown, IReadOnlyList<IReadOnlyList<long>> pairwise, IReadOnlyList<string> winners)
    {
        const int nameWidth = NameWidth;
        var index = shown.Select(c => all.ToList().IndexOf(c)).ToList();
        var candidates = shown;
        int n = candidates.Count;
        double cell = Cell;
        _width = nameWidth + (int)cell * n;
        int height = (n + 1) * Row + 10;
        var svg = Open(title, height);
        for (int j = 0; j < n; j++)
        {
            Text(svg, nameWidth + j * cell + 4, 18, formats.Number(j + 1), "head");
        }
        for (int i = 0; i < n; i++)
        {
            int y = (i + 1) * Row;
            Text(svg, 0, y + 19, $"{formats.Number(i + 1)}. ", Clip(names(candidates[i]), 13), "", winners.Contains(candidates[i]) ? "label win" : "label");
            for (int j = 0; j < n; j++)
            {
                if (i == j)
                {
                    continue;
                }
                long over = pairwise[index[i]][index[j]];
                long under = pairwise[index[j]][index[i]];
                string cls = over > under ? "cell beats" : over < under ? "cell loses" : "cell tie";
                Rect(svg, nameWidth + j * cell + 1, y + 2, cell - 2, Row - 4, cls);
                Text(svg, nameWidth + j * cell + 4, y + 19, formats.Number(over), "value");
            }
        }
        return Close(svg);
    }

    private StringBuilder Open(string title, int height)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"picture\" role=\"img\" viewBox=\"0 0 {_width} {height}\" width=\"{_width}\" xmlns=\"http://www.w3.org/2000/svg\" aria-label=\"{Encode(title)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Encode(title)}</title>");
        return svg;
    }

    private static string Close(StringBuilder svg) => svg.Append("</svg>").ToString();

    /// <summary>Bars grow from the start of the line: the left in English, the right in Persian.</summary>
    private void Rect(StringBuilder svg, double x, double y, double width, double height, string cls)
    {
        double left = formats.RightToLeft ? _width - x - width : x;
        svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"{cls}\" x=\"{left:0.#}\" y=\"{y:0.#}\" width=\"{Math.Max(0, width):0.#}\" height=\"{height:0.#}\" rx=\"3\"/>");
    }

    private void Text(StringBuilder svg, double x, double y, string text, string cls) => Text(svg, x, y, text, null, "", cls);

    /// <summary>
    /// A line of text; a <paramref name="name"/> in it (people's words) is isolated in its own
    /// <c>tspan</c> (the style sheet's <c>.picture .name</c>), so a name of the other script keeps its
    /// order and leaves the numbers beside it alone.
    /// </summary>
    private void Text(StringBuilder svg, double x, double y, string before, string? name, string after, string cls)
    {
        double at = formats.RightToLeft ? _width - x : x;
        // In right-to-left text the start of a line is its right end: anchored there, text runs leftwards.
        string anchor = formats.RightToLeft ? " direction=\"rtl\"" : "";
        string isolated = name is null ? "" : $"<tspan class=\"name\">{Encode(name)}</tspan>";
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"{cls}\" x=\"{at:0.#}\" y=\"{y:0.#}\"{anchor}>{Encode(before)}{isolated}{Encode(after)}</text>");
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

}
