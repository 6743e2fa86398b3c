using System.Text.Json;
using System.Text.Json.Serialization;
using Shura.Core.Counting;

namespace Shura.Cli.Tally;

/// <summary>
/// The machine-readable result of <c>shura tally --json</c>: exactly one JSON object on standard
/// output. Its field names are a contract scripts rely on; the HTTP API reports results the same way.
/// </summary>
internal static class TallyJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        WriteIndented = false,
    };

    public static void Write(TallyResult result, TextWriter stdout)
    {
        var body = new
        {
            method = result.Method.Name(),
            seats = result.Seats,
            ballots = result.Ballots,
            invalid = result.Invalid,
            candidates = result.Candidates,
            winners = result.Winners,
            ranking = result.Ranking,
            quota = result.Quota,
            lot = result.Lot,
            // Each round serialises as its own record type.
            rounds = result.Rounds.Cast<object>(),
        };
        stdout.WriteLine(JsonSerializer.Serialize(body, Options));
    }

    public static void Write(DecisionResult result, TextWriter stdout)
    {
        var counts = new { yes = result.Counts.Yes, no = result.Counts.No, abstain = result.Counts.Abstain };
        var body = new
        {
            method = TallyMethod.Decision.Name(),
            seats = 1,
            ballots = result.Counts.Participants,
            candidates = new[] { "yes", "no", "abstain" },
            winners = result.Outcome == Outcome.Passed ? new[] { "yes" } : [],
            ranking = (string[]?)null,
            outcome = result.Outcome,
            threshold = result.Rules.Threshold,
            electorate = result.Rules.Electorate,
            quorum = result.Rules.Quorum?.ToString(),
            quorumMet = result.QuorumMet,
            thresholdMet = result.ThresholdMet,
            counts,
            rounds = new[] { new { counts } },
        };
        stdout.WriteLine(JsonSerializer.Serialize(body, Options));
    }
}
