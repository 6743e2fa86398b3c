namespace Shura.Core.Mandates;

/// <summary>
/// The recall rule of DESIGN §3: a holder is recalled the instant the electors withdrawing
/// confidence are more than half of the electorate counted now — an absolute majority. The
/// electorate moves with membership, so a member leaving can be what tips the balance.
/// </summary>
public static class Recall
{
    /// <summary>The fewest withdrawals that recall a holder in an electorate of <paramref name="electorate"/>.</summary>
    public static long Threshold(long electorate) => electorate / 2 + 1;

    /// <summary>True when <paramref name="withdrawals"/> exceed half of <paramref name="electorate"/>.</summary>
    public static bool IsRecalled(long withdrawals, long electorate) => electorate > 0 && 2 * withdrawals > electorate;
}
