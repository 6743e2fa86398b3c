using Shura.Core.Counting;
using Shura.Core.Motions;

namespace Shura.Web.Site;

/// <summary>One round of a count as the pages' table shows it: the votes of each candidate still counted, and what happened.</summary>
public sealed record RoundRow(int Number, IReadOnlyDictionary<string, decimal> Votes, IReadOnlyList<string> Elected, string? Excluded, decimal? Exhausted);

/// <summary>
/// The rounds of a result in one shape for the pages, whatever the method: totals for plurality,
/// approval and score; each round of IRV, each stage of STV and each round of Meek with who was
/// elected or excluded. Decisions and pairwise methods have no rounds to list.
/// </summary>
public static class Rounds
{
    public static IReadOnlyList<RoundRow> Of(MotionResult result)
    {
        if (result.Tally is not { } tally)
        {
            return [];
        }
        var rows = new List<RoundRow>();
        int number = 0;
        foreach (var round in tally.Rounds)
        {
            number++;
            RoundRow? row = round switch
            {
                TotalsRound t => new RoundRow(number, Decimals(t.Totals), [], null, null),
                RunoffRound r => new RoundRow(r.Number, Decimals(r.Totals), r.Elected is { } e ? [e] : [], r.Excluded, r.Exhausted),
                StvStage s => new RoundRow(s.Number, s.Totals, s.Elected, s.Excluded, s.NonTransferable),
                MeekRound m => new RoundRow(m.Number, m.Votes, m.Elected, m.Excluded, null),
                _ => null,
            };
            if (row is not null)
            {
                rows.Add(row);
            }
        }
        return rows;
    }

    /// <summary>
    /// The rounds the table lists when it shows only some options: the first and the last, and each
    /// round in which one of them is elected or excluded. A 200-candidate STV count has nearly 200
    /// rounds, most of them excluding someone far behind; all of them would be a table of 40,000
    /// cells in every live update, where these hold what a reader follows.
    /// </summary>
    public static IReadOnlyList<RoundRow> Telling(IReadOnlyList<RoundRow> rounds, IReadOnlyCollection<string> shown) =>
        [.. rounds.Where((r, i) => i == 0 || i == rounds.Count - 1 || r.Elected.Any(shown.Contains) || (r.Excluded is { } x && shown.Contains(x)))];

    /// <summary>The totals of each round that has them (the picture's columns), in order.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, decimal>> Totals(MotionResult result) =>
        [.. Of(result).Select(r => r.Votes)];

    private static Dictionary<string, decimal> Decimals(IReadOnlyDictionary<string, long> totals) =>
        totals.ToDictionary(p => p.Key, p => (decimal)p.Value);
}
