namespace Shura.Core.Counting;

/// <summary>The counting methods of DESIGN §2. Each is documented next to its code.</summary>
public enum TallyMethod
{
    Decision,
    Plurality,
    Approval,
    Score,
    Irv,
    Stv,
    Meek,
    Schulze,
    RankedPairs,
}

public static class TallyMethods
{
    private static readonly Dictionary<string, TallyMethod> ByName = new(StringComparer.Ordinal)
    {
        ["decision"] = TallyMethod.Decision,
        ["plurality"] = TallyMethod.Plurality,
        ["approval"] = TallyMethod.Approval,
        ["score"] = TallyMethod.Score,
        ["irv"] = TallyMethod.Irv,
        ["stv"] = TallyMethod.Stv,
        ["meek"] = TallyMethod.Meek,
        ["schulze"] = TallyMethod.Schulze,
        ["ranked-pairs"] = TallyMethod.RankedPairs,
    };

    /// <summary>Every method's name as the CLI and the API spell it.</summary>
    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static string Name(this TallyMethod method) =>
        ByName.First(pair => pair.Value == method).Key;

    public static bool TryParse(string name, out TallyMethod method) => ByName.TryGetValue(name, out method);

    /// <summary>True for the methods that read ranked (or approval) ballots.</summary>
    public static bool ReadsRankings(this TallyMethod method) =>
        method is not (TallyMethod.Decision or TallyMethod.Score);

    /// <summary>True for methods that fill only one seat.</summary>
    public static bool IsSingleSeat(this TallyMethod method) =>
        method is TallyMethod.Decision or TallyMethod.Irv;
}
