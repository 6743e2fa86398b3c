namespace Shura.Core.Counting;

/// <summary>
/// Score voting: each ballot gives every candidate 0 to 5 (blank counts as 0); the highest total
/// wins (the first k for k seats). Equal totals are ordered by the lot.
/// </summary>
public static class Score
{
    public static TallyResult Count(ScoreBallots ballots, int seats, Lot lot)
    {
        int m = ballots.Candidates.Length;
        var totals = new long[m];
        for (int g = 0; g < ballots.GroupCount; g++)
        {
            var scores = ballots.Scores(g);
            long n = ballots.Count(g);
            for (int c = 0; c < m; c++)
            {
                totals[c] += scores[c] * n;
            }
        }
        return TotalsRanking.Result(TallyMethod.Score, ballots.Candidates, totals, ballots.VoterCount, 0, seats, lot);
    }
}
