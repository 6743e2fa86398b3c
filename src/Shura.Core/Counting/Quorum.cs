namespace Shura.Core.Counting;

/// <summary>
/// A fraction of the electorate, kept exact as numerator and denominator: "1/3" means at least a
/// third of the electorate must take part.
/// </summary>
public readonly record struct Quorum
{
    public Quorum(long numerator, long denominator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numerator);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(denominator);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(numerator, denominator);
        Numerator = numerator;
        Denominator = denominator;
    }

    public long Numerator { get; }

    public long Denominator { get; }

    /// <summary>True when <paramref name="participants"/> reach this fraction of <paramref name="electorate"/>.</summary>
    public bool IsMetBy(long participants, long electorate) =>
        (Int128)participants * Denominator >= (Int128)Numerator * electorate;

    /// <summary>Reads "n/d" with 0 ≤ n ≤ d and d &gt; 0, such as "1/3".</summary>
    public static bool TryParse(string? text, out Quorum quorum)
    {
        quorum = default;
        if (text is null)
        {
            return false;
        }
        var parts = text.Split('/');
        if (parts.Length != 2
            || !long.TryParse(parts[0], System.Globalization.NumberStyles.None, null, out long n)
            || !long.TryParse(parts[1], System.Globalization.NumberStyles.None, null, out long d)
            || d == 0 || n > d)
        {
            return false;
        }
        quorum = new Quorum(n, d);
        return true;
    }

    public override string ToString() => $"{Numerator}/{Denominator}";
}
