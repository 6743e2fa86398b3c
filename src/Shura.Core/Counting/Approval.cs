namespace Shura.Core.Counting;

/// <summary>
/// Approval: a ballot approves every candidate it names, whatever the order or ranks; the most
/// approved win (the first k for k seats). Ranked ballot files read as approval therefore approve
/// every candidate ranked. Equal totals are ordered by the lot. A blank ballot approves no one.
/// </summary>
public static class Approval
{
    public static TallyResult Count(BallotBox box, int seats, Lot lot)
    {
        var totals = new long[box.CandidateCount];
        long blank = 0;
        for (int g = 0; g < box.GroupCount; g++)
        {
            var ranking = box.Ranking(g);
            int n = box.Count(g);
            if (ranking.IsEmpty)
            {
                blank += n;
            }
            foreach (ushort c in ranking)
            {
                totals[c] += n;
            }
        }
        return TotalsRanking.Result(TallyMethod.Approval, box.Candidates, totals, box.VoterCount, blank, seats, lot);
    }
}
