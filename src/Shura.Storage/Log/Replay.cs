using System.Collections.Immutable;
using Shura.Core.Councils;
using Shura.Core.Delegation;
using Shura.Core.Federation;
using Shura.Core.Log;
using Shura.Core.Mandates;
using Shura.Core.Motions;

namespace Shura.Storage.Log;

/// <summary>
/// The state of every council rebuilt from the log alone, entry by entry, in the order the entries
/// were written: members, federations, mandates and their holders, confidence, standing ballots,
/// delegations, and every motion's ballots. Each entry that claims a computed fact — a result, a
/// recall, a change of holders, a seat filled — is checked against the state before it, and
/// anything that does not follow is reported as a problem.
/// </summary>
internal sealed class Replay(byte[] pseudonymKey, List<string> problems)
{
    internal sealed class CouncilState
    {
        public CouncilSettings Settings = CouncilSettings.Default;
        public bool IsFederation;
        public readonly HashSet<AccountId> Members = [];
        public readonly HashSet<CouncilId> MemberCouncils = [];
        public readonly Dictionary<(AccountId Truster, MotionId? Motion), AccountId> Delegations = [];
    }

    internal sealed class MandateState(Mandate mandate)
    {
        public Mandate Mandate = mandate;
        public readonly HashSet<AccountId> Holders = [];
        public readonly Dictionary<AccountId, HashSet<string>> Withdrawn = [];
        public readonly Dictionary<string, ImmutableArray<AccountId>> Standing = [];
        public ImmutableArray<AccountId>? Settled;
    }

    internal sealed class MotionState
    {
        public required Motion Motion;
        public string Seed = "";
        public int CounterProposals;
        public readonly Dictionary<string, MotionBallot> Ballots = [];
        public IReadOnlyList<string> Winners = [];
    }

    public Dictionary<CouncilId, CouncilState> Councils { get; } = [];

    public Dictionary<MandateId, MandateState> Mandates { get; } = [];

    public Dictionary<MotionId, MotionState> Motions { get; } = [];

    /// <summary>Each call to action's pledge threshold and who has pledged.</summary>
    private readonly Dictionary<PostId, (int? Threshold, HashSet<AccountId> Pledgers)> _calls = [];

    /// <summary>Each flagged text's flaggers (pseudonyms), by <see cref="Core.Moderation.Moderated.Key"/>.</summary>
    private readonly Dictionary<string, HashSet<string>> _flags = [];

    public int Recounted { get; private set; }

    private LogEntry _entry = null!;

    public void Apply(LogEntry entry, Event e)
    {
        _entry = entry;
        switch (e)
        {
            case CouncilCreated created:
                Councils[created.Id] = new CouncilState { Settings = created.Settings, IsFederation = created.Federation };
                break;
            case SettingsChanged changed:
                CheckSettings(changed);
                Council(changed.CouncilId).Settings = changed.Settings;
                break;
            case MemberJoined joined:
                Council(joined.CouncilId).Members.Add(joined.Member);
                break;
            case MemberLeft left:
                Council(left.CouncilId).Members.Remove(left.Member);
                DropLeaver(left.CouncilId, left.Member);
                break;
            case CouncilFederated federated:
                Council(federated.Federation).MemberCouncils.Add(federated.Member);
                break;
            case CouncilSeceded seceded:
                Council(seceded.Federation).MemberCouncils.Remove(seceded.Member);
                break;
            case Core.Delegation.DelegationSet delegation:
                Council(delegation.CouncilId).Delegations[(delegation.Truster, delegation.Motion)] = delegation.Trustee;
                break;
            case DelegationRevoked revoked:
                Council(revoked.CouncilId).Delegations.Remove((revoked.Truster, revoked.Motion));
                break;
            case MandateCreated created:
                Mandates[created.Mandate] = new MandateState(new Mandate(created.Mandate, created.CouncilId, created.Name, created.Kind, created.Seats,
                    created.Federation, created.Powers, entry.Time) { SettlePeriod = created.SettlePeriod });
                break;
            case SeatFilled filled when Mandates.TryGetValue(filled.Mandate, out var m):
                CheckFilled(filled, m);
                m.Holders.Add(filled.Holder);
                m.Withdrawn.Remove(filled.Holder); // a new tenure starts with full confidence
                break;
            case SeatVacated vacated when Mandates.TryGetValue(vacated.Mandate, out var m):
                LeaveSeat(m, vacated.Holder);
                break;
            case ConfidenceChanged confidence when Mandates.TryGetValue(confidence.Mandate, out var m):
                var withdrawn = m.Withdrawn.TryGetValue(confidence.Holder, out var set) ? set : m.Withdrawn[confidence.Holder] = [];
                if (confidence.Withdrawn)
                {
                    withdrawn.Add(confidence.Elector);
                }
                else
                {
                    withdrawn.Remove(confidence.Elector);
                }
                break;
            case HolderRecalled recalled when Mandates.TryGetValue(recalled.Mandate, out var m):
                CheckRecall(recalled, m);
                LeaveSeat(m, recalled.Holder);
                break;
            case StandingBallotCast standing when Mandates.TryGetValue(standing.Mandate, out var m):
                m.Standing[standing.Elector] = standing.Ranking;
                break;
            case StandingBallotWithdrawn withdrawnStanding when Mandates.TryGetValue(withdrawnStanding.Mandate, out var m):
                m.Standing.Remove(withdrawnStanding.Elector);
                break;
            case HoldersSettled settled when Mandates.TryGetValue(settled.Mandate, out var m):
                CheckSettled(settled, m);
                m.Settled = settled.Holders;
                break;
            case MotionPut put:
                Motions[put.Motion] = new MotionState { Motion = put.ToMotion(entry.Time) };
                break;
            case CounterProposed counter when Motions.TryGetValue(counter.Motion, out var r):
                r.CounterProposals++;
                break;
            case VotingStarted voting when Motions.TryGetValue(voting.Motion, out var r):
                r.Motion = r.Motion.Contested(r.CounterProposals) with { State = Core.Motions.MotionState.Voting, VotingEndsAt = voting.EndsAt, SecretBallots = voting.Secret, LiveResults = voting.LiveResults, Quorum = voting.Quorum };
                r.Seed = entry.Hash;
                break;
            case MotionReferred referred when Motions.TryGetValue(referred.Motion, out var r):
                r.Motion = r.Motion with { Referred = true, VotingEndsAt = referred.EndsAt, SecretBallots = referred.Secret };
                r.Ballots.Clear();
                break;
            case BallotCast cast when Motions.TryGetValue(cast.Motion, out var r):
                r.Ballots[cast.Voter] = cast.Ballot;
                break;
            case BallotWithdrawn withdrawnBallot when Motions.TryGetValue(withdrawnBallot.Motion, out var r):
                r.Ballots.Remove(withdrawnBallot.Voter);
                break;
            case MotionClosed closed when Motions.TryGetValue(closed.Motion, out var r):
                CheckResult(closed, r);
                break;
            case CandidateNominated nominated when Motions.TryGetValue(nominated.Motion, out var r):
                r.Motion = r.Motion with { Options = r.Motion.Options.Add(nominated.Candidate.ToString()) };
                break;
            case Core.Feed.CallPublished call:
                _calls[call.Post] = (call.Threshold, []);
                break;
            case Core.Feed.Pledged pledged when _calls.TryGetValue(pledged.Post, out var c):
                c.Pledgers.Add(pledged.By);
                break;
            case Core.Feed.PledgeWithdrawn withdrawnPledge when _calls.TryGetValue(withdrawnPledge.Post, out var c):
                c.Pledgers.Remove(withdrawnPledge.By);
                break;
            case Core.Feed.CallOn on when _calls.TryGetValue(on.Post, out var c):
                if (on.Pledges != c.Pledgers.Count || c.Threshold is not int needed || c.Pledgers.Count < needed)
                {
                    Problem($"call {on.Post}: recorded as on with {on.Pledges} pledges; the log before it gives {c.Pledgers.Count} of {c.Threshold?.ToString() ?? "no threshold"}");
                }
                break;
            case Core.Feed.CallOff off when _calls.TryGetValue(off.Post, out var c):
                if (off.Pledges != c.Pledgers.Count || c.Threshold is int below && c.Pledgers.Count >= below)
                {
                    Problem($"call {off.Post}: recorded as off with {off.Pledges} pledges; the log before it gives {c.Pledgers.Count} of {c.Threshold}");
                }
                break;
            case Core.Moderation.TextFlagged flagged:
                (_flags.TryGetValue(flagged.Text.Key, out var flaggers) ? flaggers : _flags[flagged.Text.Key] = []).Add(flagged.Flagger);
                break;
            case Core.Moderation.TextUnflagged unflagged when _flags.TryGetValue(unflagged.Text.Key, out var flagging):
                flagging.Remove(unflagged.Flagger);
                break;
            case Core.Moderation.TextHidden hidden:
                int flags = _flags.TryGetValue(hidden.Text.Key, out var counted) ? counted.Count : 0;
                var where = Council(hidden.CouncilId);
                int hides = where.Settings.SupportNeeded(where.Members.Count);
                if (flags != hidden.Flags || flags < hides || (!where.IsFederation && hidden.Needed != hides))
                {
                    Problem($"{hidden.Text.Key}: hidden with {hidden.Flags} flags of {hidden.Needed}; the log before it gives {flags} of {hides}");
                }
                break;
            case Core.Moderation.TextRestored restored:
                _flags.Remove(restored.Text.Key);
                break;
            case MotionLapsed lapsed when Motions.TryGetValue(lapsed.Motion, out var r):
                r.Motion = r.Motion with { State = Core.Motions.MotionState.Lapsed };
                break;
        }
    }

    /// <summary>What stops counting when a member leaves, as the store's projection drops it (see <see cref="Leaving"/>).</summary>
    private void DropLeaver(CouncilId council, AccountId person)
    {
        var above = FederationsAbove(council).Where(f => !BasePersons(f).Contains(person)).ToHashSet();
        foreach (var r in Motions.Values)
        {
            if (r.Motion.State == Core.Motions.MotionState.Voting && (r.Motion.Council == council || (r.Motion.Referred && above.Contains(r.Motion.Council))))
            {
                r.Ballots.Remove(Leaving.Voter(r.Motion, person, pseudonymKey));
            }
        }
        foreach (var m in Mandates.Values.Where(m => m.Mandate.Council == council))
        {
            foreach (var holder in m.Holders)
            {
                if (m.Withdrawn.TryGetValue(holder, out var electors))
                {
                    electors.ExceptWith(Leaving.Elector(m.Mandate.Id, holder, person, pseudonymKey));
                }
            }
            foreach (string name in Leaving.StandingElector(m.Mandate.Id, person, pseudonymKey))
            {
                m.Standing.Remove(name);
            }
        }
    }

    private HashSet<CouncilId> FederationsAbove(CouncilId council)
    {
        var above = new HashSet<CouncilId>();
        var stack = new Stack<CouncilId>([council]);
        while (stack.Count > 0)
        {
            var c = stack.Pop();
            foreach (var (id, state) in Councils)
            {
                if (state.MemberCouncils.Contains(c) && above.Add(id))
                {
                    stack.Push(id);
                }
            }
        }
        return above;
    }

    /// <summary>No holder may still be over the recall threshold once the writes of a moment are done.</summary>
    public void CheckNoRecallDue(CouncilId council)
    {
        long electorate = Electors(council).Count;
        foreach (var m in Mandates.Values.Where(m => m.Mandate.Council == council))
        {
            foreach (var holder in m.Holders)
            {
                long withdrawals = m.Withdrawn.TryGetValue(holder, out var w) ? w.Count : 0;
                if (Recall.IsRecalled(withdrawals, electorate))
                {
                    Problem($"mandate {m.Mandate.Id}: {holder} has {withdrawals} withdrawals of {electorate} electors and was not recalled");
                }
            }
        }
    }

    /// <summary>A settings motion changes only what it names, over the settings in force when it passes.</summary>
    private void CheckSettings(SettingsChanged changed)
    {
        if (Motions.TryGetValue(changed.By, out var r) && r.Motion.Subject is MotionSubject.Settings { Changes: { } change })
        {
            var expected = change.Apply(Council(changed.CouncilId).Settings);
            if (EventJson.Payload(new SettingsChanged(changed.CouncilId, expected, changed.By)) != EventJson.Payload(changed))
            {
                Problem($"council {changed.CouncilId}: the settings recorded differ from those in force with the changes motion {changed.By} named");
            }
        }
    }

    private void CheckRecall(HolderRecalled recalled, MandateState m)
    {
        if (!m.Holders.Contains(recalled.Holder))
        {
            Problem($"mandate {recalled.Mandate}: {recalled.Holder} is recalled without holding a seat");
        }
        if (recalled.Cause != RecallCause.Confidence)
        {
            return;
        }
        long withdrawals = m.Withdrawn.TryGetValue(recalled.Holder, out var w) ? w.Count : 0;
        long electorate = Electors(m.Mandate.Council).Count;
        if (withdrawals != recalled.Withdrawals || electorate != recalled.Electorate || !Recall.IsRecalled(withdrawals, electorate))
        {
            Problem($"mandate {recalled.Mandate}: the recall records {recalled.Withdrawals} of {recalled.Electorate}, the log before it gives {withdrawals} of {electorate}");
        }
    }

    private void CheckFilled(SeatFilled filled, MandateState m)
    {
        bool earned = filled.Election is { } election
            ? Motions.TryGetValue(election, out var r) && r.Winners.Contains(filled.Holder.ToString())
            : m.Settled is { } settled && settled.Contains(filled.Holder);
        if (!earned)
        {
            Problem($"mandate {filled.Mandate}: {filled.Holder} takes a seat that neither an election's winners nor the standing count give them");
        }
    }

    private void CheckSettled(HoldersSettled settled, MandateState m)
    {
        var members = Electors(m.Mandate.Council);
        var seats = Seats(m.Mandate);
        var leaders = ContinuousElection.Leaders(m.Mandate with { Seats = seats }, m.Standing.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => b.Value), members.Contains);
        if (!leaders.ToHashSet().SetEquals(settled.Holders) || settled.Electorate != members.Count || settled.Ballots != m.Standing.Count)
        {
            Problem($"mandate {settled.Mandate}: the standing count recorded at entry {_entry.Sequence} differs from a recount of the standing ballots");
        }
    }

    private void CheckResult(MotionClosed closed, MotionState r)
    {
        Recounted++;
        var (weighted, electorate) = Weighted(r);
        var result = MotionTally.Count(Counted(r), weighted, electorate, r.Seed, final: true);
        if (result.Write() != closed.Result)
        {
            Problem($"motion {closed.Motion}: the recount from the log differs from the result recorded at entry {_entry.Sequence}");
        }
        if (closed.Electorate != electorate || closed.Seed != r.Seed)
        {
            Problem($"motion {closed.Motion}: electorate or seed at entry {_entry.Sequence} differ from the log before it");
        }
        var expected = !result.Passed ? Core.Motions.MotionState.Rejected : r.Motion.ComesIntoForce ? Core.Motions.MotionState.InForce : Core.Motions.MotionState.Decided;
        if (closed.Outcome != expected)
        {
            Problem($"motion {closed.Motion}: recorded as {closed.Outcome.Name()}, the recount gives {expected.Name()}");
        }
        r.Motion = r.Motion with { State = closed.Outcome };
        r.Winners = MotionResult.Read(closed.Result).Winners;
    }

    /// <summary>
    /// The ballots as the count takes them, with their weights: the facts gathered from the
    /// replayed state, and the one rule of who votes (<see cref="Electorate"/>) that the server's
    /// own count uses.
    /// </summary>
    internal (IReadOnlyList<(MotionBallot Ballot, long Weight)> Weighted, long Electorate) Weighted(MotionState r) =>
        Core.Motions.Electorate.Of(Facts(r), pseudonymKey);

    /// <summary>What the count of a motion rests on, from the log replayed so far.</summary>
    public VotingFacts Facts(MotionState r)
    {
        var council = Council(r.Motion.Council);
        if (council.IsFederation)
        {
            return new VotingFacts(r.Motion, r.Ballots)
            {
                Federation = true,
                MemberCouncils = [.. council.MemberCouncils.Select(c => (c, Weight(c), Federations.Seats(Weight(c), council.Settings.SeatRatio)))],
                Delegates = Delegates(r.Motion.Council),
                WeightedVoting = council.Settings.WeightedVoting,
                BasePersons = r.Motion.Referred ? BasePersons(r.Motion.Council).Count : 0,
            };
        }
        return new VotingFacts(r.Motion, r.Ballots)
        {
            Members = council.Members,
            Delegation = council.Settings.Delegation,
            Delegations = [.. council.Delegations
                .Where(d => d.Key.Motion is null || d.Key.Motion == r.Motion.Id)
                .Select(d => (d.Key.Truster, d.Key.Motion is not null, d.Value))],
        };
    }

    /// <summary>The motion as its count would take it now (an election passes over candidates who may no longer stand).</summary>
    public Motion Counted(MotionState r)
    {
        var holders = r.Motion.Mandate is { } mandate && Mandates.TryGetValue(mandate, out var m) ? m.Holders : [];
        return Core.Motions.MotionRules.Counted(r.Motion, Electors(r.Motion.Council).Contains, holders);
    }

    /// <summary>Who a council's rules count: its members, or a federation's delegates.</summary>
    private HashSet<AccountId> Electors(CouncilId council) =>
        Council(council).IsFederation ? [.. Delegates(council).Select(d => d.Person)] : Council(council).Members;

    private List<(AccountId Person, CouncilId Council)> Delegates(CouncilId federation)
    {
        var members = Council(federation).MemberCouncils;
        return [.. Mandates.Values
            .Where(m => m.Mandate.Federation == federation && members.Contains(m.Mandate.Council))
            .SelectMany(m => m.Holders.Select(h => (h, m.Mandate.Council)))];
    }

    /// <summary>A council's weight in a federation: its members, or for a federation the persons below it.</summary>
    private long Weight(CouncilId council) => Council(council).IsFederation ? BasePersons(council).Count : Council(council).Members.Count;

    private HashSet<AccountId> BasePersons(CouncilId federation)
    {
        var persons = new HashSet<AccountId>();
        var seen = new HashSet<CouncilId>();
        var stack = new Stack<CouncilId>(Council(federation).MemberCouncils);
        while (stack.Count > 0)
        {
            var c = stack.Pop();
            if (seen.Add(c))
            {
                persons.UnionWith(Council(c).Members);
                foreach (var inner in Council(c).MemberCouncils)
                {
                    stack.Push(inner);
                }
            }
        }
        return persons;
    }

    private int Seats(Mandate mandate) =>
        mandate.Kind == MandateKind.Delegate && mandate.Federation is { } f
            ? Federations.Seats(Weight(mandate.Council), Council(f).Settings.SeatRatio)
            : mandate.Seats;

    private static void LeaveSeat(MandateState m, AccountId holder) => m.Holders.Remove(holder);

    private CouncilState Council(CouncilId id) => Councils.TryGetValue(id, out var c) ? c : Councils[id] = new CouncilState();

    private void Problem(string text) => problems.Add($"chain {_entry.Chain}, entry {_entry.Sequence}: {text}");
}
