namespace Shura.Core.Counting;

/// <summary>
/// The outcome of counting ballots for candidates: who won, the full ranking where the method
/// yields one, and every round, so anyone can follow and redo the count.
/// </summary>
public sealed record TallyResult
{
    public required TallyMethod Method { get; init; }

    public required int Seats { get; init; }

    /// <summary>Number of voters whose ballots were read, valid or not.</summary>
    public required long Ballots { get; init; }

    /// <summary>Ballots that could not count for anyone from the start (blank, or an overvote at the first rank).</summary>
    public required long Invalid { get; init; }

    public required IReadOnlyList<string> Candidates { get; init; }

    /// <summary>The winners, in the order they were elected or ranked.</summary>
    public required IReadOnlyList<string> Winners { get; init; }

    /// <summary>Every candidate from first to last, where the method yields a ranking; otherwise null.</summary>
    public IReadOnlyList<string>? Ranking { get; init; }

    /// <summary>The quota, for methods that use one from the start (Scottish STV).</summary>
    public decimal? Quota { get; init; }

    public required IReadOnlyList<TallyRound> Rounds { get; init; }

    public required LotReport Lot { get; init; }
}

/// <summary>The seed of the lot, and whether the count had to draw it.</summary>
public sealed record LotReport(string Seed, bool Drawn);

/// <summary>One step of a count. Each method has its own kind of round.</summary>
public abstract record TallyRound;

/// <summary>Why a candidate was elected, excluded or placed.</summary>
public enum Because
{
    /// <summary>More than half of the ballots still counting.</summary>
    Majority,

    /// <summary>Reached the quota.</summary>
    Quota,

    /// <summary>As many candidates were left as seats.</summary>
    LastSeats,

    /// <summary>Fewest votes among the candidates still in the count.</summary>
    FewestVotes,
}

/// <summary>How a tie was settled, if there was one.</summary>
public enum TieBreak
{
    None,

    /// <summary>By the earliest earlier round in which the tied candidates' totals differed.</summary>
    EarlierRound,

    /// <summary>By the seeded lot.</summary>
    Lot,
}

/// <summary>Plurality, approval and score: one round of totals.</summary>
public sealed record TotalsRound(IReadOnlyDictionary<string, long> Totals) : TallyRound;

/// <summary>One round of an instant-runoff count.</summary>
/// <param name="Totals">Votes of each candidate still in the count.</param>
/// <param name="Exhausted">Ballots that counted earlier but have no continuing preference left.</param>
/// <param name="Transfers">What each candidate gained since the previous round, from the candidate
/// excluded then (null in round 1); the rest of that candidate's ballots became exhausted.</param>
public sealed record RunoffRound(
    int Number,
    IReadOnlyDictionary<string, long> Totals,
    long Exhausted,
    IReadOnlyDictionary<string, long>? Transfers,
    string? Elected,
    string? Excluded,
    Because? Why,
    TieBreak Tie) : TallyRound;

/// <summary>
/// One stage of a Scottish STV count: the first preferences, the transfer of one surplus,
/// or the exclusion of one candidate. Values are exact to five decimal places.
/// </summary>
/// <param name="Action">"first-preferences", "surplus", "exclusion" (of the candidate with the fewest
/// votes), or "last-seats" (as many candidates left as seats, all elected without transfer).</param>
/// <param name="From">The candidate whose surplus or papers are transferred.</param>
/// <param name="Totals">Votes of every candidate still in the count or elected, after this stage.</param>
/// <param name="Transfers">Votes each candidate received in this stage.</param>
/// <param name="NonTransferable">Value set aside in this stage because no further preference was left.</param>
/// <param name="Lost">Value lost in this stage to the five-decimal truncation of transfer values.</param>
/// <param name="Elected">Candidates who reached the quota in this stage (or filled the last seats).</param>
public sealed record StvStage(
    int Number,
    string Action,
    string? From,
    TieBreak Tie,
    IReadOnlyDictionary<string, decimal> Totals,
    IReadOnlyDictionary<string, decimal> Transfers,
    decimal NonTransferable,
    decimal Lost,
    decimal TotalNonTransferable,
    decimal TotalLost,
    IReadOnlyList<string> Elected,
    string? Excluded) : TallyRound;

/// <summary>
/// One round of a Meek count: keep factors iterated until the surplus is negligible, then one
/// candidate elected or excluded. Values are fixed-point to nine decimal places.
/// </summary>
public sealed record MeekRound(
    int Number,
    int Iterations,
    decimal Quota,
    IReadOnlyDictionary<string, decimal> Votes,
    IReadOnlyDictionary<string, decimal> KeepFactors,
    decimal Excess,
    decimal Surplus,
    IReadOnlyList<string> Elected,
    string? Excluded,
    Because? Why,
    TieBreak Tie) : TallyRound;

/// <summary>
/// Schulze: the pairwise matrix (row beats column: number of voters ranking row above column)
/// and the strength of the strongest path between every pair. Rows and columns follow
/// <see cref="TallyResult.Candidates"/>. Tiers list candidates the method cannot separate.
/// </summary>
public sealed record SchulzeRound(
    IReadOnlyList<IReadOnlyList<long>> Pairwise,
    IReadOnlyList<IReadOnlyList<long>> StrongestPaths,
    IReadOnlyList<IReadOnlyList<string>> Tiers) : TallyRound;

/// <summary>Ranked pairs: the pairwise matrix and every majority in the order it was considered.</summary>
public sealed record RankedPairsRound(
    IReadOnlyList<IReadOnlyList<long>> Pairwise,
    IReadOnlyList<RankedPair> Pairs) : TallyRound;

/// <summary>
/// A majority of <paramref name="Votes"/> voters ranking <paramref name="Winner"/> over
/// <paramref name="Loser"/> against <paramref name="Against"/>; locked unless it would close a cycle
/// with pairs locked before it.
/// </summary>
public sealed record RankedPair(string Winner, string Loser, long Votes, long Against, bool Locked);
