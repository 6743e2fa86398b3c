using System.Text.Json.Nodes;
using Shura.Core.Ballots;
using Shura.Core.Counting;

namespace Shura.Core.Motions;

/// <summary>
/// Counts the current ballots of a motion with the tally engine. The same function gives live
/// results while voting is open and the final result at the close, so a recount from the log
/// reproduces exactly what was published.
/// </summary>
public static class MotionTally
{
    /// <param name="electorate">Members entitled to vote, counted at the close (or now, for live results).</param>
    /// <param name="seed">The lot's seed: the hash of the log entry that opened voting.</param>
    public static (bool Passed, JsonObject Result) Count(Motion motion, IEnumerable<MotionBallot> ballots, long electorate, string seed, bool final)
    {
        var list = ballots.ToList();
        JsonObject result;
        bool passed;
        if (motion.IsDecision)
        {
            var counts = new DecisionBallots();
            foreach (var ballot in list)
            {
                DecisionBallots.TryParseChoice(ballot.Choice, out var choice);
                counts = counts.Add(choice, 1);
            }
            var rules = new DecisionRules(motion.EffectiveThreshold, Math.Max(electorate, counts.Participants), motion.Quorum);
            var decided = Decision.Decide(counts, rules);
            passed = decided.Outcome == Outcome.Passed;
            result = TallyJson.ToJson(decided);
        }
        else
        {
            var tally = CountOptions(motion, list, seed);
            bool quorumMet = motion.Quorum is not Quorum q || q.IsMetBy(list.Count, Math.Max(electorate, list.Count));
            passed = quorumMet && tally.Winners.Count > 0;
            result = TallyJson.ToJson(quorumMet ? tally : tally with { Winners = [] });
            result["electorate"] = electorate;
            result["quorum"] = motion.Quorum?.ToString();
            result["quorumMet"] = motion.Quorum is null ? null : quorumMet;
        }
        result["final"] = final;
        return (passed, result);
    }

    private static TallyResult CountOptions(Motion motion, List<MotionBallot> ballots, string seed)
    {
        var lot = new Lot(seed, motion.Options.Length);
        var rules = new TallyRules(motion.Method, motion.Seats, lot);
        if (motion.Method == TallyMethod.Score)
        {
            var scores = new ScoreBallots.Builder(motion.Options);
            var row = new byte[motion.Options.Length];
            foreach (var ballot in ballots)
            {
                Array.Clear(row);
                foreach (var (option, score) in ballot.Scores ?? new Dictionary<string, int>())
                {
                    row[motion.Options.IndexOf(option)] = (byte)score;
                }
                scores.Add(row, 1);
            }
            return Tally.Count(scores.Build(), rules);
        }

        var box = new BallotBoxBuilder(motion.Options);
        foreach (var ballot in ballots)
        {
            if (ballot.Approvals is { } approvals)
            {
                // Approvals have no order: one rank holds them all.
                box.Add([.. approvals.Select(a => (ushort)motion.Options.IndexOf(a))], [.. approvals.Select(_ => (ushort)0)], 1);
            }
            else
            {
                box.Add([.. (ballot.Ranking ?? []).Select(r => (ushort)motion.Options.IndexOf(r))], 1);
            }
        }
        return Tally.Count(box.Build(), rules);
    }
}
