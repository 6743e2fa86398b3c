namespace Shura.Core.Counting;

/// <summary>
/// Single transferable vote under the rules of the Scottish Local Government Elections Order
/// 2007, Schedule 1, rules 45–52: the count used in Scottish council elections since 2007.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item><b>Quota</b> (rule 46): the valid ballots divided by one more than the number of seats,
/// decimals ignored, plus one.</item>
/// <item><b>Election</b> (rule 47): a candidate whose votes equal or exceed the quota is elected.</item>
/// <item><b>Surplus</b> (rules 48–49): while seats remain, the largest surplus of an elected
/// candidate is transferred, one per stage. Every ballot paper the candidate holds moves on to its
/// next preference among continuing candidates (weighted inclusive Gregory method) at the value
/// <c>surplus × value of the paper ÷ the candidate's total</c>, truncated to five decimal places.
/// Papers with no further preference are set aside as non-transferable, and their share of the
/// surplus with them; what the truncation removes is recorded as lost. The elected candidate keeps
/// exactly the quota.</item>
/// <item><b>Exclusion</b> (rules 50–51): when no surplus is left to transfer, the continuing
/// candidate with the fewest votes is excluded and all their papers move on at the value they have,
/// in one stage.</item>
/// <item><b>Last seats</b> (rule 52): when as many candidates continue as seats remain, they are
/// all elected and nothing more is transferred.</item>
/// </list>
/// <para>Ties (equal surpluses, equal fewest votes) follow DESIGN §5: the earliest earlier stage in
/// which the totals differed, then the lot. The Order's rules 49 and 51 look at the most recent
/// differing stage; the two agree whenever totals differed at only one earlier stage.</para>
/// <para>Arithmetic is exact: values are whole numbers of 0.00001 of a vote. In every stage the
/// candidates' totals, the non-transferable papers and the loss to truncation add up to the number of
/// valid ballots.</para>
/// </remarks>
public static class ScottishStv
{
    private const long Scale = 100_000;

    private enum Status : byte
    {
        Hopeful,
        Elected,
        Excluded,
    }

    private readonly record struct Parcel(int Group, int Position, long Value, int Count);

    public static TallyResult Count(BallotBox box, int seats, Lot lot)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seats, 1);
        var count = new Counter(box, seats, lot);
        return count.Run();
    }

    private sealed class Counter
    {
        private readonly BallotBox _box;
        private readonly int _seats;
        private readonly Lot _lot;
        private readonly int _m;
        private readonly Status[] _status;
        private readonly bool[] _continuing;
        private readonly List<Parcel>[] _piles;
        private readonly long[] _votes;
        private readonly List<int> _elected = [];
        private readonly TieBreaker<long> _ties;
        private readonly List<StvStage> _stages = [];
        private readonly long _quota;
        private readonly long _invalid;
        private long _totalNonTransferable;
        private long _totalLost;

        public Counter(BallotBox box, int seats, Lot lot)
        {
            _box = box;
            _seats = seats;
            _lot = lot;
            _m = box.CandidateCount;
            _status = new Status[_m];
            _continuing = new bool[_m];
            Array.Fill(_continuing, true);
            _piles = new List<Parcel>[_m];
            for (int c = 0; c < _m; c++)
            {
                _piles[c] = [];
            }
            _votes = new long[_m];
            _ties = new TieBreaker<long>(lot);
            _invalid = Preferences.CountInvalid(box);
            long valid = box.VoterCount - _invalid;
            _quota = (valid / (seats + 1) + 1) * Scale;
        }

        public TallyResult Run()
        {
            FirstPreferences();
            while (_elected.Count < _seats)
            {
                int hopeful = _status.Count(s => s == Status.Hopeful);
                int seatsLeft = _seats - _elected.Count;
                if (hopeful <= seatsLeft)
                {
                    FillLastSeats();
                    break;
                }
                int withSurplus = LargestSurplus(out var tie);
                if (withSurplus >= 0)
                {
                    TransferSurplus(withSurplus, tie);
                }
                else
                {
                    Exclude();
                }
            }

            return new TallyResult
            {
                Method = TallyMethod.Stv,
                Seats = _seats,
                Ballots = _box.VoterCount,
                Invalid = _invalid,
                Candidates = _box.Candidates,
                Winners = [.. _elected.Select(c => _box.Candidates[c])],
                Quota = ToDecimal(_quota),
                Rounds = _stages,
                Lot = new LotReport(_lot.Seed, _ties.LotDrawn),
            };
        }

        private void FirstPreferences()
        {
            var received = new long[_m];
            for (int g = 0; g < _box.GroupCount; g++)
            {
                var ranking = _box.Ranking(g);
                if (!Preferences.IsValid(ranking, _box.Ranks(g)))
                {
                    continue;
                }
                int first = ranking[0];
                int n = _box.Count(g);
                _piles[first].Add(new Parcel(g, 0, Scale, n));
                received[first] += n * Scale;
            }
            Credit(received);
            EndStage("first-preferences", from: null, TieBreak.None, received, nonTransferable: 0, lost: 0);
        }

        /// <summary>The elected candidate with the largest surplus still to transfer, or -1.</summary>
        private int LargestSurplus(out TieBreak tie)
        {
            tie = TieBreak.None;
            var pending = _elected.Where(c => _votes[c] > _quota).ToList();
            if (pending.Count == 0)
            {
                return -1;
            }
            long largest = pending.Max(c => _votes[c]);
            return _ties.Highest(pending.Where(c => _votes[c] == largest).ToList(), out tie);
        }

        private void TransferSurplus(int from, TieBreak tie)
        {
            long total = _votes[from];
            long surplus = total - _quota;
            var received = new long[_m];
            long nonTransferable = 0;
            foreach (var parcel in _piles[from])
            {
                // Rule 48(3): surplus × value of the paper ÷ total, to five decimals, remainder ignored.
                long value = (long)((Int128)surplus * parcel.Value / total);
                MoveOn(parcel, value, received, ref nonTransferable);
            }
            _piles[from].Clear();
            long transferred = received.Sum();
            long lost = surplus - transferred - nonTransferable;
            _votes[from] = _quota;
            Credit(received);
            _totalNonTransferable += nonTransferable;
            _totalLost += lost;
            EndStage("surplus", _box.Candidates[from], tie, received, nonTransferable, lost);
        }

        private void Exclude()
        {
            var hopeful = Enumerable.Range(0, _m).Where(c => _status[c] == Status.Hopeful).ToList();
            long fewest = hopeful.Min(c => _votes[c]);
            int excluded = _ties.Lowest(hopeful.Where(c => _votes[c] == fewest).ToList(), out var tie);
            _status[excluded] = Status.Excluded;
            _continuing[excluded] = false;

            var received = new long[_m];
            long nonTransferable = 0;
            foreach (var parcel in _piles[excluded])
            {
                MoveOn(parcel, parcel.Value, received, ref nonTransferable);
            }
            _piles[excluded].Clear();
            _votes[excluded] = 0;
            Credit(received);
            _totalNonTransferable += nonTransferable;
            EndStage("exclusion", _box.Candidates[excluded], tie, received, nonTransferable, lost: 0,
                excluded: excluded);
        }

        private void MoveOn(Parcel parcel, long value, long[] received, ref long nonTransferable)
        {
            var ranking = _box.Ranking(parcel.Group);
            var ranks = _box.Ranks(parcel.Group);
            int next = Preferences.Next(ranking, ranks, parcel.Position + 1, _continuing, out int at);
            if (next < 0)
            {
                nonTransferable += value * parcel.Count;
                return;
            }
            received[next] += value * parcel.Count;
            if (value > 0)
            {
                _piles[next].Add(parcel with { Position = at, Value = value });
            }
        }

        private void Credit(long[] received)
        {
            for (int c = 0; c < _m; c++)
            {
                _votes[c] += received[c];
            }
        }

        private void FillLastSeats()
        {
            var last = _ties.MostFirst(Enumerable.Range(0, _m).Where(c => _status[c] == Status.Hopeful), _votes);
            foreach (int c in last)
            {
                Elect(c);
            }
            _stages.Add(_stages[^1] with
            {
                Number = _stages.Count + 1,
                Action = "last-seats",
                From = null,
                Tie = TieBreak.None,
                Transfers = new Dictionary<string, decimal>(),
                NonTransferable = 0,
                Lost = 0,
                Elected = [.. last.Select(c => _box.Candidates[c])],
                Excluded = null,
            });
        }

        private void EndStage(
            string action, string? from, TieBreak tie, long[] received, long nonTransferable, long lost,
            int excluded = -1)
        {
            // Rule 47: everyone reaching the quota is elected, the largest vote first.
            _ties.Record(_votes);
            var reached = _ties.MostFirst(
                    Enumerable.Range(0, _m).Where(c => _status[c] == Status.Hopeful && _votes[c] >= _quota), _votes)
                .Take(_seats - _elected.Count).ToList();
            reached.ForEach(Elect);

            var totals = new Dictionary<string, decimal>();
            foreach (int c in Enumerable.Range(0, _m).Where(c => _status[c] != Status.Excluded)
                .OrderByDescending(c => _votes[c]).ThenBy(c => c))
            {
                totals[_box.Candidates[c]] = ToDecimal(_votes[c]);
            }
            var transfers = new Dictionary<string, decimal>();
            for (int c = 0; c < _m; c++)
            {
                if (received[c] != 0)
                {
                    transfers[_box.Candidates[c]] = ToDecimal(received[c]);
                }
            }
            _stages.Add(new StvStage(
                _stages.Count + 1,
                action,
                from,
                tie,
                totals,
                transfers,
                ToDecimal(nonTransferable),
                ToDecimal(lost),
                ToDecimal(_totalNonTransferable),
                ToDecimal(_totalLost),
                [.. reached.Select(c => _box.Candidates[c])],
                excluded >= 0 ? _box.Candidates[excluded] : null));
        }

        private void Elect(int candidate)
        {
            _status[candidate] = Status.Elected;
            _continuing[candidate] = false;
            _elected.Add(candidate);
        }

        private static decimal ToDecimal(long value) => value / (decimal)Scale;
    }
}
