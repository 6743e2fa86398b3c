using System.Text.Json;
using System.Text.Json.Nodes;
using Shura.Core.Ballots;
using Shura.Core.Counting;

namespace Shura.Web.Tests.Support;

/// <summary>Counts the same ballots with the tally engine directly and compares with what the API published.</summary>
public static class EngineCheck
{
    /// <param name="rankings">The ballots that count at the close, as option indices best first.</param>
    public static async Task AssertResultIsTheEnginesAsync(
        Api api, string council, string motion, string[] options, TallyMethod method, ushort[][] rankings)
    {
        var body = await api.MotionAsync(motion);
        string seed = (await api.LogAsync(council)).Single(e => e.GetProperty("type").GetString() == "voting-started"
            && e.GetProperty("payload").GetString()!.Contains(motion, StringComparison.Ordinal)).GetProperty("hash").GetString()!;
        var box = new BallotBoxBuilder([.. options]);
        foreach (var ranking in rankings)
        {
            box.Add(ranking, 1);
        }
        var expected = TallyJson.ToJson(Tally.Count(box.Build(), new TallyRules(method, 1, new Lot(seed, options.Length))));
        var result = JsonNode.Parse(body.GetProperty("result").GetRawText())!.AsObject();
        Assert.True(result["final"]!.GetValue<bool>());
        foreach (string field in new[] { "method", "ballots", "winners", "ranking", "rounds", "lot" })
        {
            Assert.True(JsonNode.DeepEquals(expected[field], result[field]), $"{field}: engine {expected[field]} ≠ API {result[field]}");
        }
    }
}
