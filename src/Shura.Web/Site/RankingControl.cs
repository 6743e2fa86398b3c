using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Shura.Web.Site;

/// <summary>
/// The ranking control of Pages/Shared/_Ranking: each option gets a place ("rank-N" for option N,
/// empty for unranked), shown in the person's current order. The same control ranks a motion's
/// options and a continuous election's candidates.
/// </summary>
public sealed record RankingControl(IReadOnlyList<(string Value, string Label)> Options, IReadOnlyList<string> Ranking)
{
    /// <summary>The options in the order the person ranked them, the unranked after, each with its index in <see cref="Options"/>.</summary>
    public IEnumerable<(int Index, string Value, string Label, int Place)> InOrder =>
        Ranking.Where(r => Options.Any(o => o.Value == r))
            .Concat(Options.Select(o => o.Value).Where(v => !Ranking.Contains(v)))
            .Select(v =>
            {
                int index = Options.ToList().FindIndex(o => o.Value == v);
                int place = Ranking.ToList().IndexOf(v) + 1;
                return (index, v, Options[index].Label, place);
            });

    /// <summary>Reads the places posted back into a ranking; null with the place given twice.</summary>
    public static (IReadOnlyList<string>? Ranking, int? Twice) Read(IReadOnlyList<string> options, Microsoft.AspNetCore.Http.IFormCollection form) =>
        Read(options, form, out _);

    /// <param name="sharing">With a place given twice: the options that share it.</param>
    public static (IReadOnlyList<string>? Ranking, int? Twice) Read(IReadOnlyList<string> options, Microsoft.AspNetCore.Http.IFormCollection form, out IReadOnlyList<string> sharing)
    {
        var positions = new List<(int Position, string Option)>();
        for (int i = 0; i < options.Count; i++)
        {
            if (int.TryParse(form[$"rank-{i}"], out int position))
            {
                positions.Add((position, options[i]));
            }
        }
        sharing = [];
        if (positions.GroupBy(p => p.Position).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            sharing = [.. twice.Select(p => p.Option)];
            return (null, twice.Key);
        }
        return ([.. positions.OrderBy(p => p.Position).Select(p => p.Option)], null);
    }

    /// <summary>
    /// The refusal of a ranking that gives one place to several options, naming them ("Cafe and Park
    /// cannot share place 1"); each name isolated (U+2068…U+2069), as it sits in a sentence of the
    /// page's language. Its message is in the page's language already: show it with
    /// <c>Refused(refusal, refusal.Message)</c>.
    /// </summary>
    public static Refusal Shared(IStringLocalizer<Words> words, IReadOnlyList<string> labels, int place, Formats formats)
    {
        var isolated = labels.Select(l => "\u2068" + l + "\u2069").ToList();
        string names = isolated.Count == 2
            ? string.Format(CultureInfo.InvariantCulture, words["{0} and {1}"], isolated[0], isolated[1])
            : string.Join(words["list-separator"], isolated);
        return Refusal.Invalid(Codes.DuplicatePosition,
            string.Format(CultureInfo.InvariantCulture, words["{0} cannot share place {1}: give each option a different place."], names, formats.Number(place)), "ranking");
    }
}
