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
    public static MotionResult Count(Motion motion, IEnumerable<MotionBallot> ballots, long electorate, string seed, bool final) =>
        Count(motion, ballots.Select(b => (b, 1L)), electorate, seed, final);

    /// <param name="ballots">Each ballot with its weight: the members it counts for (delegation), or its council's share (weighted federations).</param>
    public static MotionResult Count(Motion motion, IEnumerable<(MotionBallot Ballot, long Weight)> ballots, long electorate, string seed, bool final)
    {
        var list = ballots.Where(b => b.Weight > 0).ToList();
        long participants = list.Sum(b => b.Weight);
        if (motion.IsDecision)
        {
            var counts = new DecisionBallots();
            foreach (var (ballot, weight) in list)
            {
                DecisionBallots.TryParseChoice(ballot.Choice, out var choice);
                counts = counts.Add(choice, weight);
            }
            var rules = new DecisionRules(motion.EffectiveThreshold, Math.Max(electorate, counts.Participants), motion.EffectiveQuorum);
            var decided = Decision.Decide(counts, rules);
            return new MotionResult
            {
                Decision = decided, Electorate = rules.Electorate!.Value, Quorum = rules.Quorum, QuorumMet = decided.QuorumMet, Final = final,
            };
        }
        var tally = CountOptions(motion, list, seed);
        bool quorumMet = motion.EffectiveQuorum is not Quorum q || q.IsMetBy(participants, Math.Max(electorate, participants));
        return new MotionResult
        {
            Tally = quorumMet ? tally : tally with { Winners = [] },
            StatusQuo = motion.IsContested ? AgainstNoneOfThese(motion, tally, list, Math.Max(electorate, participants), quorumMet) : null,
            Electorate = electorate,
            Quorum = motion.EffectiveQuorum,
            QuorumMet = motion.EffectiveQuorum is null ? null : quorumMet,
            Final = final,
        };
    }

    /// <summary>The Schulze leader against "none of these", head to head, by the motion's threshold (<see cref="StatusQuoContest"/>).</summary>
    private static StatusQuoContest AgainstNoneOfThese(Motion motion, TallyResult tally, List<(MotionBallot Ballot, long Weight)> ballots, long electorate, bool quorumMet)
    {
        string leader = tally.Winners.Count > 0 ? tally.Winners[0] : CounterProposals.NoneOfThese;
        long @for = 0, against = 0;
        if (leader != CounterProposals.NoneOfThese)
        {
            foreach (var (ballot, weight) in ballots)
            {
                var ranking = ballot.Ranking ?? [];
                int l = IndexOf(ranking, leader), n = IndexOf(ranking, CounterProposals.NoneOfThese);
                if (l < n)
                {
                    @for += weight;
                }
                else if (n < l)
                {
                    against += weight;
                }
            }
        }
        var decided = Decision.Decide(new DecisionBallots(@for, against, 0), new DecisionRules(motion.EffectiveThreshold, electorate));
        bool beaten = leader != CounterProposals.NoneOfThese && quorumMet && decided.ThresholdMet;
        return new StatusQuoContest(leader, @for, against, motion.EffectiveThreshold, beaten);

        // Unranked options stand below every ranked one, and level with each other.
        static int IndexOf(IReadOnlyList<string> ranking, string option)
        {
            for (int i = 0; i < ranking.Count; i++)
            {
                if (ranking[i] == option)
                {
                    return i;
                }
            }
            return int.MaxValue;
        }
    }

    private static TallyResult CountOptions(Motion motion, List<(MotionBallot Ballot, long Weight)> ballots, string seed)
    {
        var lot = new Lot(seed, motion.Options.Length);
        var rules = new TallyRules(motion.Method, Math.Max(1, Math.Min(motion.Seats, motion.Options.Length)), lot);
        if (motion.Options.Length == 0)
        {
            // An election nobody stood in: no winner, nothing to count.
            return new TallyResult
            {
                Method = motion.Method, Seats = motion.Seats, Ballots = ballots.Sum(b => b.Weight), Invalid = 0, Candidates = [], Winners = [],
                Rounds = [], Lot = new LotReport(seed, false),
            };
        }
        if (motion.Method == TallyMethod.Score)
        {
            var scores = new ScoreBallots.Builder(motion.Options);
            var row = new byte[motion.Options.Length];
            foreach (var (ballot, weight) in ballots)
            {
                Array.Clear(row);
                foreach (var (option, score) in ballot.Scores ?? new Dictionary<string, int>())
                {
                    row[motion.Options.IndexOf(option)] = (byte)score;
                }
                scores.Add(row, checked((int)weight));
            }
            return Tally.Count(scores.Build(), rules);
        }

        var box = new BallotBoxBuilder(motion.Options);
        // Options by name, looked up once per ranked option: a 200-candidate election is counted live
        // from a hundred thousand ballots several times a second.
        var index = new Dictionary<string, ushort>(motion.Options.Length, StringComparer.Ordinal);
        for (int i = 0; i < motion.Options.Length; i++)
        {
            index.TryAdd(motion.Options[i], (ushort)i);
        }
        var ranking = new ushort[motion.Options.Length];
        var ranks = new ushort[motion.Options.Length];
        foreach (var (ballot, weight) in ballots)
        {
            int count = checked((int)weight);
            int n = 0;
            if (ballot.Approvals is { } approvals)
            {
                // Approvals have no order: one rank holds them all.
                foreach (string approved in approvals)
                {
                    if (n < ranking.Length && index.TryGetValue(approved, out ushort i))
                    {
                        ranking[n++] = i;
                    }
                }
                box.Add(ranking.AsSpan(0, n), ranks.AsSpan(0, n), count);
            }
            else
            {
                // Ranked options that are no longer candidates (a by-election's nominations change) are skipped.
                foreach (string ranked in ballot.Ranking ?? [])
                {
                    if (n < ranking.Length && index.TryGetValue(ranked, out ushort i))
                    {
                        ranking[n++] = i;
                    }
                }
                box.Add(ranking.AsSpan(0, n), count);
            }
        }
        return Tally.Count(box.Build(), rules);
    }
}
