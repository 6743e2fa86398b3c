namespace Shura.Core.Counting;

/// <summary>Turns one round of totals into a result: highest total first, equal totals by lot.</summary>
internal static class TotalsRanking
{
    public static TallyResult Result(
        TallyMethod method, IReadOnlyList<string> names, long[] totals, long ballots, long invalid, int seats,
        Lot lot)
    {
        var ranking = Enumerable.Range(0, names.Count)
            .OrderByDescending(c => totals[c])
            .ThenBy(lot.PositionOf)
            .ToList();
        bool drawn = false;
        for (int i = 1; i < ranking.Count; i++)
        {
            drawn |= totals[ranking[i]] == totals[ranking[i - 1]];
        }
        var shown = new Dictionary<string, long>(names.Count);
        foreach (int c in ranking)
        {
            shown[names[c]] = totals[c];
        }
        return new TallyResult
        {
            Method = method,
            Seats = seats,
            Ballots = ballots,
            Invalid = invalid,
            Candidates = names,
            Winners = [.. ranking.Take(seats).Select(c => names[c])],
            Ranking = [.. ranking.Select(c => names[c])],
            Rounds = [new TotalsRound(shown)],
            Lot = new LotReport(lot.Seed, drawn),
        };
    }
}
