using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Shura.Core.Counting;

/// <summary>
/// The JSON shape of a result, shared by <c>shura tally --json</c>, the API's motion results and
/// the log. Its field names are a contract scripts rely on.
/// </summary>
public static class TallyJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonObject ToJson(TallyResult result)
    {
        var rounds = new JsonArray();
        foreach (var round in result.Rounds)
        {
            rounds.Add(JsonSerializer.SerializeToNode(round, round.GetType(), Options));
        }
        return new JsonObject
        {
            ["method"] = result.Method.Name(),
            ["seats"] = result.Seats,
            ["ballots"] = result.Ballots,
            ["invalid"] = result.Invalid,
            ["candidates"] = Strings(result.Candidates),
            ["winners"] = Strings(result.Winners),
            ["ranking"] = result.Ranking is null ? null : Strings(result.Ranking),
            ["quota"] = result.Quota,
            ["lot"] = new JsonObject { ["seed"] = result.Lot.Seed, ["drawn"] = result.Lot.Drawn },
            ["rounds"] = rounds,
        };
    }

    public static JsonObject ToJson(DecisionResult result)
    {
        var counts = Counts(result);
        return new JsonObject
        {
            ["method"] = TallyMethod.Decision.Name(),
            ["seats"] = 1,
            ["ballots"] = result.Counts.Participants,
            ["candidates"] = Strings(["yes", "no", "abstain"]),
            ["winners"] = Strings(result.Outcome == Outcome.Passed ? ["yes"] : []),
            ["ranking"] = null,
            ["outcome"] = result.Outcome == Outcome.Passed ? "passed" : "rejected",
            ["threshold"] = result.Rules.Threshold switch
            {
                Threshold.TwoThirds => "two-thirds",
                var t => t.ToString().ToLowerInvariant(),
            },
            ["electorate"] = result.Rules.Electorate,
            ["quorum"] = result.Rules.Quorum?.ToString(),
            ["quorumMet"] = result.QuorumMet,
            ["thresholdMet"] = result.ThresholdMet,
            ["counts"] = counts,
            ["rounds"] = new JsonArray(new JsonObject { ["counts"] = Counts(result) }),
        };
    }

    private static JsonObject Counts(DecisionResult result) => new()
    {
        ["yes"] = result.Counts.Yes,
        ["no"] = result.Counts.No,
        ["abstain"] = result.Counts.Abstain,
    };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    public static string Write(JsonNode node) => node.ToJsonString(Options);
}
