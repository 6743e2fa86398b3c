namespace Shura.Core.Counting;

/// <summary>
/// Plurality: each ballot counts once for its first choice; the highest totals win (the first k
/// for k seats). A ballot whose first rank holds several candidates (an overvote) or nothing counts
/// for no one. Equal totals are ordered by the lot.
/// </summary>
public static class Plurality
{
    public static TallyResult Count(BallotBox box, int seats, Lot lot)
    {
        var totals = new long[box.CandidateCount];
        long invalid = 0;
        for (int g = 0; g < box.GroupCount; g++)
        {
            var ranking = box.Ranking(g);
            if (Preferences.IsValid(ranking, box.Ranks(g)))
            {
                totals[ranking[0]] += box.Count(g);
            }
            else
            {
                invalid += box.Count(g);
            }
        }
        return TotalsRanking.Result(TallyMethod.Plurality, box.Candidates, totals, box.VoterCount, invalid, seats, lot);
    }
}
