using System.Globalization;
using Shura.Core.Counting;

namespace Shura.Cli.Tally;

/// <summary>The human-readable result of <c>shura tally</c>: winners, ranking and every round.</summary>
internal static class TallyText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Write(TallyResult result, TextWriter o)
    {
        o.WriteLine($"Method:     {Describe(result.Method)}");
        o.WriteLine($"Seats:      {result.Seats}");
        o.WriteLine($"Ballots:    {N(result.Ballots)}" + (result.Invalid > 0 ? $" ({N(result.Invalid)} could not count for anyone)" : ""));
        o.WriteLine($"Candidates: {result.Candidates.Count}");
        if (result.Quota is decimal quota)
        {
            o.WriteLine($"Quota:      {D(quota)}");
        }
        o.WriteLine();

        foreach (var round in result.Rounds)
        {
            switch (round)
            {
                case TotalsRound totals:
                    WriteTotals(o, totals.Totals.Select(t => (t.Key, N(t.Value))));
                    break;
                case RunoffRound r:
                    Write(o, r);
                    break;
                case StvStage s:
                    Write(o, s);
                    break;
                case MeekRound meek:
                    Write(o, meek);
                    break;
                case SchulzeRound schulze:
                    Write(o, schulze, result.Candidates);
                    break;
                case RankedPairsRound pairs:
                    Write(o, pairs, result.Candidates);
                    break;
            }
        }

        o.WriteLine($"Winners:    {string.Join(", ", result.Winners)}");
        if (result.Ranking is { } ranking)
        {
            o.WriteLine("Ranking:");
            for (int i = 0; i < ranking.Count; i++)
            {
                o.WriteLine($"  {i + 1,3}. {ranking[i]}");
            }
        }
        o.WriteLine(result.Lot.Drawn
            ? $"Lot:        drawn, from seed {result.Lot.Seed}"
            : $"Lot:        not needed (seed {result.Lot.Seed})");
    }

    public static void Write(DecisionResult result, TextWriter o)
    {
        var c = result.Counts;
        o.WriteLine($"Method:     decision, {Describe(result.Rules.Threshold)}");
        o.WriteLine($"Ballots:    {N(c.Participants)}: yes {N(c.Yes)}, no {N(c.No)}, abstain {N(c.Abstain)}");
        if (result.Rules.Electorate is long e)
        {
            o.WriteLine($"Electorate: {N(e)}");
        }
        if (result.Rules.Quorum is Quorum q)
        {
            o.WriteLine($"Quorum:     {q} of the electorate — {(result.QuorumMet == true ? "met" : "not met")}");
        }
        o.WriteLine($"Threshold:  {(result.ThresholdMet ? "met" : "not met")}");
        o.WriteLine($"Outcome:    {(result.Outcome == Outcome.Passed ? "passed" : "rejected")}");
    }

    private static void Write(TextWriter o, RunoffRound r)
    {
        o.WriteLine($"Round {r.Number}");
        WriteTotals(o, r.Totals.Select(t => (t.Key, N(t.Value))));
        if (r.Transfers is { Count: > 0 } transfers)
        {
            o.WriteLine("  gained: " + string.Join(", ", transfers.Select(t => $"{t.Key} {Signed(t.Value)}")));
        }
        o.WriteLine($"  exhausted: {N(r.Exhausted)}");
        if (r.Elected is not null)
        {
            o.WriteLine($"  elected: {r.Elected} ({Describe(r.Why)})");
        }
        if (r.Excluded is not null)
        {
            o.WriteLine($"  excluded: {r.Excluded} ({Describe(r.Why)}{Describe(r.Tie)})");
        }
        o.WriteLine();
    }

    private static void Write(TextWriter o, StvStage s)
    {
        string title = s.Action switch
        {
            "first-preferences" => "first preferences",
            "surplus" => $"transfer of the surplus of {s.From}",
            "exclusion" => $"exclusion of {s.From} (fewest votes{Describe(s.Tie)})",
            _ => "last seats: as many candidates left as seats",
        };
        o.WriteLine($"Stage {s.Number}: {title}");
        WriteTotals(o, s.Totals.Select(t => (t.Key, D5(t.Value))));
        if (s.Transfers.Count > 0 && s.Action != "first-preferences")
        {
            o.WriteLine("  transferred: " + string.Join(", ", s.Transfers.Select(t => $"{t.Key} +{D5(t.Value)}")));
            o.WriteLine($"  non-transferable: {D5(s.NonTransferable)}, lost to truncation: {D5(s.Lost)}");
        }
        o.WriteLine($"  non-transferable so far: {D5(s.TotalNonTransferable)}, lost so far: {D5(s.TotalLost)}");
        if (s.Elected.Count > 0)
        {
            o.WriteLine($"  elected: {string.Join(", ", s.Elected)}");
        }
        o.WriteLine();
    }

    private static void Write(TextWriter o, MeekRound r)
    {
        o.WriteLine($"Round {r.Number} ({r.Iterations} iterations): quota {D9(r.Quota)}, excess {D9(r.Excess)}, surplus {D9(r.Surplus)}");
        WriteTotals(o, r.Votes.Select(v => (v.Key, $"{D9(v.Value)}  keep {r.KeepFactors[v.Key].ToString("0.000000000", Invariant)}")));
        if (r.Elected.Count > 0)
        {
            o.WriteLine($"  elected: {string.Join(", ", r.Elected)} ({Describe(r.Why)})");
        }
        if (r.Excluded is not null)
        {
            o.WriteLine($"  excluded: {r.Excluded} ({Describe(r.Why)}{Describe(r.Tie)})");
        }
        o.WriteLine();
    }

    private static void Write(TextWriter o, SchulzeRound r, IReadOnlyList<string> names)
    {
        o.WriteLine("Pairwise preferences (row over column):");
        WriteMatrix(o, r.Pairwise, names);
        o.WriteLine("Strongest paths (row to column):");
        WriteMatrix(o, r.StrongestPaths, names);
        var tied = r.Tiers.Where(t => t.Count > 1).ToList();
        foreach (var tier in tied)
        {
            o.WriteLine($"Tied by the method, ordered by lot: {string.Join(", ", tier)}");
        }
    }

    private static void Write(TextWriter o, RankedPairsRound r, IReadOnlyList<string> names)
    {
        o.WriteLine("Pairwise preferences (row over column):");
        WriteMatrix(o, r.Pairwise, names);
        o.WriteLine("Majorities, strongest first:");
        foreach (var pair in r.Pairs)
        {
            o.WriteLine($"  {(pair.Locked ? "locked " : "skipped")}  {pair.Winner} over {pair.Loser}: {N(pair.Votes)} to {N(pair.Against)}");
        }
        o.WriteLine();
    }

    private static void WriteMatrix(TextWriter o, IReadOnlyList<IReadOnlyList<long>> rows, IReadOnlyList<string> names)
    {
        int width = Math.Max(6, rows.SelectMany(r => r).Select(v => N(v).Length).DefaultIfEmpty(1).Max() + 1);
        int label = Math.Min(24, names.Max(n => n.Length));
        o.WriteLine(new string(' ', label + 2) + string.Concat(names.Select((_, i) => $"{i + 1}".PadLeft(width))));
        for (int x = 0; x < rows.Count; x++)
        {
            string name = $"{x + 1}. {names[x]}";
            name = name.Length > label + 2 ? name[..(label + 2)] : name.PadRight(label + 2);
            o.WriteLine(name + string.Concat(rows[x].Select((v, y) => (x == y ? "-" : N(v)).PadLeft(width))));
        }
        o.WriteLine();
    }

    private static void WriteTotals(TextWriter o, IEnumerable<(string Name, string Value)> totals)
    {
        var list = totals.ToList();
        int names = list.Count == 0 ? 0 : list.Max(t => t.Name.Length);
        int values = list.Count == 0 ? 0 : list.Max(t => t.Value.Length);
        foreach (var (name, value) in list)
        {
            o.WriteLine($"  {name.PadRight(names)}  {value.PadLeft(values)}");
        }
    }

    private static string Describe(TallyMethod method) => method switch
    {
        TallyMethod.Plurality => "plurality",
        TallyMethod.Approval => "approval",
        TallyMethod.Score => "score (0–5, highest total)",
        TallyMethod.Irv => "irv (instant runoff)",
        TallyMethod.Stv => "stv (Scottish STV, weighted inclusive Gregory, 5 decimals)",
        TallyMethod.Meek => "meek (Meek STV, 9 decimals)",
        TallyMethod.Schulze => "schulze (winning votes)",
        TallyMethod.RankedPairs => "ranked-pairs (Tideman, winning votes)",
        _ => method.Name(),
    };

    private static string Describe(Threshold threshold) => threshold switch
    {
        Threshold.Simple => "simple majority (more yes than no)",
        Threshold.Absolute => "absolute majority (yes from more than half of the electorate)",
        _ => "two-thirds majority (yes at least two thirds of yes and no)",
    };

    private static string Describe(Because? why) => why switch
    {
        Because.Majority => "more than half of the ballots still counting",
        Because.Quota => "reached the quota",
        Because.LastSeats => "as many candidates left as seats",
        Because.FewestVotes => "fewest votes",
        _ => "",
    };

    private static string Describe(TieBreak tie) => tie switch
    {
        TieBreak.EarlierRound => "; tie settled by an earlier round",
        TieBreak.Lot => "; tie settled by lot",
        _ => "",
    };

    private static string N(long value) => value.ToString("N0", Invariant);

    private static string Signed(long value) => (value >= 0 ? "+" : "") + N(value);

    private static string D(decimal value) => value.ToString("#,##0.#########", Invariant);

    /// <summary>Scottish STV values: exactly five decimals, as the rules prescribe.</summary>
    private static string D5(decimal value) => value.ToString("N5", Invariant);

    /// <summary>Meek values: nine decimals.</summary>
    private static string D9(decimal value) => value.ToString("N9", Invariant);
}
