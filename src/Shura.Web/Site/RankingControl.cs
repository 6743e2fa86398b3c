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
    public static (IReadOnlyList<string>? Ranking, int? Twice) Read(IReadOnlyList<string> options, Microsoft.AspNetCore.Http.IFormCollection form)
    {
        var positions = new List<(int Position, string Option)>();
        for (int i = 0; i < options.Count; i++)
        {
            if (int.TryParse(form[$"rank-{i}"], out int position))
            {
                positions.Add((position, options[i]));
            }
        }
        if (positions.GroupBy(p => p.Position).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return (null, twice.Key);
        }
        return ([.. positions.OrderBy(p => p.Position).Select(p => p.Option)], null);
    }
}
