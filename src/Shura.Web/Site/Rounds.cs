using Shura.Core.Counting;
using Shura.Core.Motions;

namespace Shura.Web.Site;

/// <summary>One round of a count as the pages' table shows it: the votes of each candidate still counted, and what happened.</summary>
public sealed record RoundRow(int Number, IReadOnlyDictionary<string, decimal> Votes, IReadOnlyList<string> Elected, string? Excluded, decimal? Exhausted)
{
    /// <summary>Why the round's candidates were elected (an exclusion is always for the fewest votes).</summary>
    public Because? Why { get; init; }

    /// <summary>How a tie was settled in this round (the lot is said, never silent).</summary>
    public TieBreak Tie { get; init; }

    /// <summary>
    /// The line a candidate had to reach in this round: the quota (STV, Meek), or half of the
    /// ballots still counting (IRV, where more than half elects: <see cref="LineIsHalf"/>).
    /// </summary>
    public decimal? Line { get; init; }

    public bool LineIsHalf { get; init; }

    /// <summary>In an STV stage that passes on a surplus: whose, and how much it was.</summary>
    public string? SurplusOf { get; init; }

    public decimal Surplus { get; init; }
}

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
            var before = rows.LastOrDefault();
            RoundRow? row = round switch
            {
                TotalsRound t => new RoundRow(number, Decimals(t.Totals), [], null, null),
                RunoffRound r => new RoundRow(r.Number, Decimals(r.Totals), r.Elected is { } e ? [e] : [], r.Excluded, r.Exhausted)
                {
                    Why = r.Why,
                    Tie = r.Tie,
                    Line = r.Totals.Values.Sum() / 2m,
                    LineIsHalf = true,
                },
                StvStage s => new RoundRow(s.Number, s.Totals, s.Elected, s.Excluded, s.NonTransferable)
                {
                    Why = s.Action == "last-seats" ? Because.LastSeats : s.Elected.Count > 0 ? Because.Quota : null,
                    Tie = s.Tie,
                    Line = tally.Quota,
                    SurplusOf = s.Action == "surplus" ? s.From : null,
                    Surplus = s.Action == "surplus" && s.From is { } from && tally.Quota is { } quota && before is not null
                        && before.Votes.TryGetValue(from, out decimal had) ? had - quota : 0,
                },
                MeekRound m => new RoundRow(m.Number, m.Votes, m.Elected, m.Excluded, null)
                {
                    Why = m.Why,
                    Tie = m.Tie,
                    Line = m.Quota,
                },
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

    /// <summary>
    /// How many votes moved from each candidate to each other between two rounds, for the flow
    /// picture: what a candidate lost (excluded, or passing on a surplus) goes to those who gained,
    /// in proportion to their gains. With one candidate passing votes on, as in every IRV round and
    /// STV stage, that is exactly the transfer; where several pass on at once (Meek's keep factors),
    /// it is the net movement, split in proportion. What reaches no one was exhausted or lost.
    /// </summary>
    public static IReadOnlyList<(string From, string To, decimal Votes)> Moves(RoundRow before, RoundRow after)
    {
        decimal Of(RoundRow row, string c) => row.Votes.TryGetValue(c, out decimal v) ? v : 0;
        var losses = before.Votes.Keys.Select(c => (c, Loss: Of(before, c) - Of(after, c))).Where(p => p.Loss > 0).ToList();
        var gains = after.Votes.Keys.Select(c => (c, Gain: Of(after, c) - Of(before, c))).Where(p => p.Gain > 0).ToList();
        decimal lost = losses.Sum(p => p.Loss), gained = gains.Sum(p => p.Gain);
        if (lost == 0 || gained == 0)
        {
            return [];
        }
        decimal scale = Math.Max(lost, gained);
        return [.. from l in losses from g in gains select (l.c, g.c, l.Loss * g.Gain / scale)];
    }

    /// <summary>The totals of each round that has them (the picture's columns), in order.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, decimal>> Totals(MotionResult result) =>
        [.. Of(result).Select(r => r.Votes)];

    private static Dictionary<string, decimal> Decimals(IReadOnlyDictionary<string, long> totals) =>
        totals.ToDictionary(p => p.Key, p => (decimal)p.Value);
}
