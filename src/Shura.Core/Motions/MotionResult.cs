using System.Text.Json;
using System.Text.Json.Nodes;

namespace Shura.Core.Motions;

/// <summary>
/// The result of counting a motion, live or final — one record from the count to the screen. A
/// decision's result is its yes, no and abstain and whether it passed; a choice's or an election's
/// is the tally: winners, ranking, quota, lot and every round, typed by method. Both carry the
/// electorate, the quorum and whether the result is final.
/// <para>It is written into the log and the API as JSON by <see cref="Write"/> (the JSON the log
/// has always held, byte for byte) and read back by <see cref="Read"/>; nothing else reads result
/// JSON by its keys.</para>
/// </summary>
public sealed record MotionResult
{
    /// <summary>For a decision (and every kind answered yes / no / abstain): the count and its rules.</summary>
    public DecisionResult? Decision { get; init; }

    /// <summary>For a choice or an election: the tally (with no winners when the quorum was not met).</summary>
    public TallyResult? Tally { get; init; }

    /// <summary>
    /// For a decision with counter-proposals: the Schulze leader against "none of these", head to
    /// head, by the motion's threshold and quorum. The leader is in force only if it passed.
    /// </summary>
    public StatusQuoContest? StatusQuo { get; init; }

    /// <summary>Members entitled to vote when it was counted.</summary>
    public long Electorate { get; init; }

    public Quorum? Quorum { get; init; }

    /// <summary>Whether the participation quorum was met; null when none applies.</summary>
    public bool? QuorumMet { get; init; }

    /// <summary>True once voting has closed: the result is fixed.</summary>
    public bool Final { get; init; }

    /// <summary>A decision passed, or a choice or election has winners.</summary>
    public bool Passed => Decision is { } d ? d.Outcome == Outcome.Passed : StatusQuo is { } s ? s.Beaten : Tally!.Winners.Count > 0;

    /// <summary>
    /// The winners: "yes" for a decision that passed, the text in force for a decision with
    /// counter-proposals (none when "none of these" held), the tally's winners otherwise.
    /// </summary>
    public IReadOnlyList<string> Winners => Decision is { } d ? (d.Outcome == Outcome.Passed ? ["yes"] : [])
        : StatusQuo is { } s ? (s.Beaten ? [s.Leader] : [])
        : Tally!.Winners;

    /// <summary>The ballots counted (with their weights).</summary>
    public long Ballots => Decision is { } d ? d.Counts.Participants : Tally!.Ballots;

    public JsonObject ToJson()
    {
        if (Decision is { } decision)
        {
            var json = TallyJson.ToJson(decision);
            json["final"] = Final;
            return json;
        }
        var tally = TallyJson.ToJson(Tally!);
        tally["electorate"] = Electorate;
        tally["quorum"] = Quorum?.ToString();
        tally["quorumMet"] = QuorumMet;
        tally["final"] = Final;
        if (StatusQuo is { } contest)
        {
            tally["statusQuo"] = contest.ToJson();
        }
        return tally;
    }

    /// <summary>The result as the log and the API write it.</summary>
    public string Write() => TallyJson.Write(ToJson());

    /// <summary>A result as the log or the store holds it, read once into the record.</summary>
    public static MotionResult Read(string json)
    {
        var o = JsonNode.Parse(json)?.AsObject() ?? throw new JsonException("A result is a JSON object.");
        string method = o["method"]!.GetValue<string>();
        bool final = o["final"]?.GetValue<bool>() ?? false;
        var quorum = o["quorum"] is JsonValue q && Counting.Quorum.TryParse(q.GetValue<string>(), out var parsed) ? parsed : (Quorum?)null;
        bool? quorumMet = o["quorumMet"]?.GetValue<bool>();
        long electorate = o["electorate"]?.GetValue<long>() ?? 0;
        if (method == TallyMethod.Decision.Name())
        {
            var counts = o["counts"]!.AsObject();
            var threshold = o["threshold"]!.GetValue<string>() switch
            {
                "two-thirds" => Threshold.TwoThirds,
                "absolute" => Threshold.Absolute,
                _ => Threshold.Simple,
            };
            var decided = new DecisionResult(
                o["outcome"]!.GetValue<string>() == "passed" ? Outcome.Passed : Outcome.Rejected,
                new DecisionBallots(counts["yes"]!.GetValue<long>(), counts["no"]!.GetValue<long>(), counts["abstain"]!.GetValue<long>()),
                new DecisionRules(threshold, o["electorate"]?.GetValue<long?>(), quorum),
                quorumMet,
                o["thresholdMet"]!.GetValue<bool>());
            return new MotionResult { Decision = decided, Electorate = electorate, Quorum = quorum, QuorumMet = quorumMet, Final = final };
        }
        if (!TallyMethods.TryParse(method, out var tallyMethod))
        {
            throw new JsonException($"\"{method}\" is not a counting method.");
        }
        var roundType = RoundType(tallyMethod);
        var lot = o["lot"]!.AsObject();
        var tally = new TallyResult
        {
            Method = tallyMethod,
            Seats = o["seats"]!.GetValue<int>(),
            Ballots = o["ballots"]!.GetValue<long>(),
            Invalid = o["invalid"]!.GetValue<long>(),
            Candidates = Strings(o["candidates"]),
            Winners = Strings(o["winners"]),
            Ranking = o["ranking"] is JsonArray ranking ? Strings(ranking) : null,
            Quota = o["quota"]?.GetValue<decimal>(),
            Rounds = [.. (o["rounds"]?.AsArray() ?? []).Select(r => (TallyRound)r.Deserialize(roundType, TallyJson.Options)!)],
            Lot = new LotReport(lot["seed"]!.GetValue<string>(), lot["drawn"]!.GetValue<bool>()),
        };
        return new MotionResult
        {
            Tally = tally, Electorate = electorate, Quorum = quorum, QuorumMet = quorumMet, Final = final,
            StatusQuo = o["statusQuo"] is JsonObject contest ? StatusQuoContest.Read(contest) : null,
        };
    }

    /// <summary>The kind of round each method's count has.</summary>
    private static Type RoundType(TallyMethod method) => method switch
    {
        TallyMethod.Irv => typeof(RunoffRound),
        TallyMethod.Stv => typeof(StvStage),
        TallyMethod.Meek => typeof(MeekRound),
        TallyMethod.Schulze => typeof(SchulzeRound),
        TallyMethod.RankedPairs => typeof(RankedPairsRound),
        _ => typeof(TotalsRound),
    };

    private static List<string> Strings(JsonNode? node) => node is JsonArray array ? [.. array.Select(n => n!.GetValue<string>())] : [];
}

/// <summary>
/// The leader of a ranked decision with counter-proposals against "none of these", head to head:
/// <see cref="For"/> ballots rank the leader above it, <see cref="Against"/> rank it above the
/// leader (a ranked option stands above every unranked one; ballots that rank neither have no
/// say). The motion's threshold applies to these two numbers as to yes and no.
/// </summary>
public sealed record StatusQuoContest(string Leader, long For, long Against, Threshold Threshold, bool Beaten)
{
    public JsonObject ToJson() => new()
    {
        ["leader"] = Leader,
        ["for"] = For,
        ["against"] = Against,
        ["threshold"] = Threshold.Name(),
        ["beaten"] = Beaten,
    };

    public static StatusQuoContest Read(JsonObject o) =>
        new(o["leader"]!.GetValue<string>(), o["for"]!.GetValue<long>(), o["against"]!.GetValue<long>(),
            MotionNames.TryParseThreshold(o["threshold"]!.GetValue<string>(), out var t) ? t : throw new JsonException("statusQuo.threshold is not a threshold."),
            o["beaten"]!.GetValue<bool>());
}
