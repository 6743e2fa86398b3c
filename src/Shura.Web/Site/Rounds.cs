using System.Text.Json.Nodes;

namespace Shura.Web.Site;

/// <summary>One round of a count as the pages' table shows it: the votes of each candidate still counted, and what happened.</summary>
public sealed record RoundRow(int Number, IReadOnlyDictionary<string, decimal> Votes, IReadOnlyList<string> Elected, string? Excluded, decimal? Exhausted);

/// <summary>
/// The rounds of a result (as the API and the log write it) in one shape for the pages, whatever
/// the method: totals for plurality, approval and score; each round of IRV, each stage of STV and
/// each round of Meek with who was elected or excluded. Pairwise methods have no rounds to list.
/// </summary>
public static class Rounds
{
    public static IReadOnlyList<RoundRow> Of(JsonObject result)
    {
        var rows = new List<RoundRow>();
        if (result["rounds"] is not JsonArray rounds)
        {
            return rows;
        }
        int number = 0;
        foreach (var round in rounds.OfType<JsonObject>())
        {
            number++;
            if ((round["totals"] ?? round["votes"]) is not JsonObject totals)
            {
                continue;
            }
            var elected = round["elected"] switch
            {
                JsonArray many => many.Select(e => e!.GetValue<string>()).ToList(),
                JsonValue one when one.TryGetValue<string>(out var name) => [name],
                _ => [],
            };
            decimal? exhausted = round["exhausted"] is JsonValue e ? Number(e) : round["nonTransferable"] is JsonValue n ? Number(n) : null;
            rows.Add(new RoundRow(
                round["number"] is JsonValue v ? (int)Number(v) : number,
                totals.ToDictionary(p => p.Key, p => Number(p.Value)),
                elected,
                round["excluded"]?.GetValue<string>(),
                exhausted));
        }
        return rows;
    }

    /// <summary>A number from a result, whether it was parsed from stored JSON or built in memory as a long or a decimal.</summary>
    public static decimal Number(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<decimal>(out var d) => d,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<double>(out var x) => (decimal)x,
        _ => 0,
    };
}
