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
/// <param name="separator">Between a count and its share, in the reader's language ("·" reads as a zero in Persian).</param>
public sealed class Pictures(Formats formats, Func<string, string> names, string separator)
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
        var columns = Rounds.Of(result);
        if (columns.Count == 1)
        {
            return Bars(title, [.. columns[0].Votes.Where(p => shown.Contains(p.Key)).Select(p => (p.Key, p.Value))], tally.Winners);
        }
        // The last rounds tell how it ended; the first ones are in the table.
        return columns.Count > 1
            ? RoundByRound(title, shown, Last(columns, maxColumns), columns.Count - Math.Min(columns.Count, maxColumns), tally.Winners)
            : null;
    }

    private static IReadOnlyList<RoundRow> Last(IReadOnlyList<RoundRow> rounds, int max) =>
        rounds.Count > max ? [.. rounds.Skip(rounds.Count - max)] : rounds;

    /// <summary>
    /// How the votes moved from round to round in a count that goes round by round (IRV, STV, Meek):
    /// a lane per option, a bar per round as tall as its votes, and between rounds a band from each
    /// option to itself for the votes it kept and from the option excluded (or passing on a surplus)
    /// to each that gained, as wide as the votes that moved (<see cref="Rounds.Moves"/>). Null for
    /// counts of one round.
    /// </summary>
    public string? Flow(MotionResult result, string title, int maxColumns = MaxColumns)
    {
        if (result.Tally is not { } tally || tally.Method is not (TallyMethod.Irv or TallyMethod.Stv or TallyMethod.Meek))
        {
            return null;
        }
        var all = Rounds.Of(result);
        if (all.Count < 2)
        {
            return null;
        }
        var rounds = Last(all, maxColumns);
        int skipped = all.Count - rounds.Count;
        var (shown, _) = Shown(result);
        var lane = shown.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        const int node = 10;
        const int tallest = Row - 6;
        _width = NameWidth + Cell * (rounds.Count - 1) + node + 4;
        int height = (shown.Count + 1) * Row + 10;
        decimal most = Math.Max(1, rounds.SelectMany(r => r.Votes.Values).DefaultIfEmpty(1).Max());
        double Tall(decimal votes) => Math.Max(0, (double)(votes / most) * tallest);
        double Top(string c, RoundRow r) => (lane[c] + 1) * Row + 3 + (tallest - Tall(r.Votes[c])) / 2;
        double X(int r) => NameWidth + r * Cell;

        var svg = Open(title, height);
        for (int r = 0; r < rounds.Count; r++)
        {
            Text(svg, X(r), 18, formats.Number(skipped + r + 1), "head");
        }
        foreach (var c in shown)
        {
            Text(svg, 0, (lane[c] + 1) * Row + 19, "", Clip(names(c), 15), "", tally.Winners.Contains(c) ? "label win" : "label");
        }
        // The bands first, so the bars are drawn over their ends.
        for (int r = 0; r + 1 < rounds.Count; r++)
        {
            var (before, after) = (rounds[r], rounds[r + 1]);
            var leaving = new Dictionary<string, double>();
            var arriving = new Dictionary<string, double>();
            void Band(string from, string to, decimal votes, string cls)
            {
                if (!lane.ContainsKey(from) || !lane.ContainsKey(to) || votes <= 0 || !before.Votes.ContainsKey(from) || !after.Votes.ContainsKey(to))
                {
                    return;
                }
                double width = Tall(votes);
                double y1 = Top(from, before) + leaving.GetValueOrDefault(from);
                double y2 = Top(to, after) + arriving.GetValueOrDefault(to);
                leaving[from] = leaving.GetValueOrDefault(from) + width;
                arriving[to] = arriving.GetValueOrDefault(to) + width;
                Ribbon(svg, X(r) + node, y1, X(r + 1), y2, width, cls);
            }
            foreach (var c in shown)
            {
                if (before.Votes.TryGetValue(c, out decimal had) && after.Votes.TryGetValue(c, out decimal has))
                {
                    Band(c, c, Math.Min(had, has), "band");
                }
            }
            foreach (var (from, to, votes) in Rounds.Moves(before, after))
            {
                Band(from, to, votes, "band moved");
            }
        }
        for (int r = 0; r < rounds.Count; r++)
        {
            foreach (var (c, votes) in rounds[r].Votes)
            {
                if (lane.ContainsKey(c))
                {
                    string cls = rounds[r].Elected.Contains(c) ? "node win" : rounds[r].Excluded == c ? "node out" : "node";
                    Rect(svg, X(r), Top(c, rounds[r]), node, Math.Max(1, Tall(votes)), cls);
                }
            }
        }
        return Close(svg);
    }

    /// <summary>A band of constant width from one bar to the next, curving between them (mirrored in right-to-left pages).</summary>
    private void Ribbon(StringBuilder svg, double x1, double y1, double x2, double y2, double width, string cls)
    {
        double At(double x) => formats.RightToLeft ? _width - x : x;
        double middle = (x1 + x2) / 2;
        svg.Append(CultureInfo.InvariantCulture,
            $"<path class=\"{cls}\" d=\"M{At(x1):0.#},{y1:0.#} C{At(middle):0.#},{y1:0.#} {At(middle):0.#},{y2:0.#} {At(x2):0.#},{y2:0.#} L{At(x2):0.#},{y2 + width:0.#} C{At(middle):0.#},{y2 + width:0.#} {At(middle):0.#},{y1 + width:0.#} {At(x1):0.#},{y1 + width:0.#} Z\"/>");
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
            string share = total == 0 ? "" : $" {separator} {formats.Percent(votes, total)}";
            Text(svg, 0, y + 18, "", names(option), $": {formats.Number(votes)}{share}", "label");
            Rect(svg, 0, y + 24, length, Row - 8, cls);
        }
        return Close(svg);
    }

    /// <param name="skipped">Rounds before those shown (the picture numbers its columns from there).</param>
    private string RoundByRound(string title, IReadOnlyList<string> candidates, IReadOnlyList<RoundRow> rounds, int skipped, IReadOnlyList<string> winners)
    {
        const int nameWidth = NameWidth;
        double column = Cell;
        _width = nameWidth + (int)column * rounds.Count;
        decimal most = Math.Max(1, rounds.SelectMany(r => r.Votes.Values).Concat(rounds.Select(r => r.Line ?? 0)).DefaultIfEmpty(1).Max());
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
                if (!rounds[r].Votes.TryGetValue(candidate, out decimal votes))
                {
                    continue;
                }
                double length = Math.Max(1, (double)(votes / most) * (column - 8));
                // Green from the round that elected it on, not before: in round 1 the winner had not won yet.
                bool elected = winners.Contains(candidate) && (rounds.Take(r + 1).Any(round => round.Elected.Contains(candidate))
                    || !rounds.Any(round => round.Elected.Contains(candidate))); // elected in a round before those shown
                Rect(svg, nameWidth + r * column + 2, y + 4, length, Row - 10, elected ? "bar win" : "bar");
                // Fractions (STV, Meek) to one place: "2" for 1.67 would say the quota was reached.
                Text(svg, nameWidth + r * column + 4, y + 17, formats.Number(votes, votes % 1 == 0 ? 0 : 1), "value");
            }
        }
        // The line to reach in each round (the quota, or half the ballots counting), across its column.
        for (int r = 0; r < rounds.Count; r++)
        {
            if (rounds[r].Line is { } line)
            {
                double x = nameWidth + r * column + 2 + (double)(line / most) * (column - 8);
                Rect(svg, x - 1, Row, 2, height - Row - 6, "quota");
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
        // Two lines of heading: each column's number, and its name as far as it fits.
        int top = Row + 18;
        int height = top + n * Row + 10;
        var svg = Open(title, height);
        for (int j = 0; j < n; j++)
        {
            Text(svg, nameWidth + j * cell + 4, 18, formats.Number(j + 1), "head");
            Text(svg, nameWidth + j * cell + 4, 38, "", Clip(names(candidates[j]), 7), "", "head small");
        }
        for (int i = 0; i < n; i++)
        {
            int y = top + i * Row;
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
                // The cell says both sides of the pair, "3:1", so a red 0 reads as "0 against 3", not as
                // nothing. In Persian a score is said "۳ بر ۱": a colon between digits would read backwards.
                string score = formats.IsPersian ? $"{formats.Number(over)} بر {formats.Number(under)}" : $"{formats.Number(over)}:{formats.Number(under)}";
                Text(svg, nameWidth + j * cell + 4, y + 19, score, "value");
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
