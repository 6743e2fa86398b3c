using System.Collections.Immutable;
using Shura.Core.Mandates;
using Shura.Storage.Councils;
using Shura.Storage.Motions;

namespace Shura.Storage.Mandates;

/// <summary>Defining mandates, nominating, withdrawing and restoring confidence; recalls happen here the instant they are due.</summary>
public static class MandateCommands
{
    public static Result<MandateId> Create(
        WriteSession s, CouncilId councilId, AccountId actor, string? name, string? kind, int? seats, CouncilId? federation, IReadOnlyList<string>? powers,
        TimeSpan? settlePeriod = null)
    {
        s.Lock(councilId);
        if (CouncilCommands.Load(s, councilId) is null)
        {
            return Refusal.NotFound("This council");
        }
        var id = new MandateId(Guid.CreateVersion7(s.Now));
        bool inFederation = federation is { } f && Membership.FederationsOf(s.Connection, s.Transaction, councilId).Contains(f);
        int seatCount = seats ?? 1;
        if (kind == "delegate" && inFederation && seats is null)
        {
            // A delegate mandate has the seats the federation's ratio gives the council; they follow its size.
            seatCount = Membership.Seats(s.Connection, s.Transaction, councilId, CouncilCommands.Load(s, federation!.Value)!.Settings);
        }
        var verdict = Core.Mandates.MandateRules.Create(id, councilId, actor, CouncilCommands.IsMember(s, councilId, actor), name, kind, seatCount,
            federation, inFederation, powers, settlePeriod);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        s.Append(verdict);
        return id;
    }

    /// <summary>Withdraws or restores the actor's confidence in a holder; recalls the holder in this very step when the threshold is crossed.</summary>
    public static Result<MandateId> ChangeConfidence(WriteSession s, MandateId id, AccountId holder, AccountId actor, bool withdraw)
    {
        var found = Membership.LoadMandate(s.Connection, s.Transaction, id);
        if (found is null)
        {
            return Refusal.NotFound("This mandate");
        }
        s.Lock(found.Council);
        var mandate = Membership.LoadMandate(s.Connection, s.Transaction, id)!;
        var council = CouncilCommands.Load(s, mandate.Council)!;
        string elector = Core.Mandates.MandateRules.Elector(id, holder, actor, council.Settings.SecretBallots, s.PseudonymKey);
        bool isHolder = Membership.Holders(s.Connection, s.Transaction, id).Any(h => h.Person == holder);
        long withdrawals = Withdrawals(s, id, holder);
        bool had = s.Scalar<long>("SELECT COUNT(*) FROM confidence WHERE mandate_id = @id AND holder = @holder AND elector = @elector",
            new { id, holder, elector }) > 0;
        var verdict = Core.Mandates.MandateRules.ChangeConfidence(mandate, holder, isHolder, CouncilCommands.IsMember(s, mandate.Council, actor),
            elector, withdraw, had, withdrawals, CouncilCommands.MemberCount(s, mandate.Council));
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        s.Append(verdict);
        return id;
    }

    /// <summary>
    /// Sets (or, with no ranking, withdraws) the actor's standing ballot for a mandate held by
    /// continuous election, and settles the holders in the same step: a newcomer ranked above the
    /// holder by an absolute majority takes the seat at once.
    /// </summary>
    public static Result<MandateId> SetStandingBallot(WriteSession s, MandateId id, AccountId actor, IReadOnlyList<AccountId>? ranking)
    {
        if (Membership.LoadMandate(s.Connection, s.Transaction, id) is not { } found)
        {
            return Refusal.NotFound("This mandate");
        }
        s.Lock(found.Council);
        var mandate = MotionCommands.Seated(s, Membership.LoadMandate(s.Connection, s.Transaction, id)!);
        var council = CouncilCommands.Load(s, mandate.Council)!;
        string elector = ContinuousElection.Elector(id, actor, council.Settings.SecretBallots, s.PseudonymKey);
        bool isElector = CouncilCommands.IsMember(s, mandate.Council, actor);
        var verdict = ranking is null
            ? ContinuousElection.Withdraw(mandate, isElector, elector,
                s.Scalar<long>("SELECT COUNT(*) FROM standing_ballots WHERE mandate_id = @id AND elector = @elector", new { id, elector }) > 0)
            : ContinuousElection.Cast(mandate, isElector, elector, ranking, candidate => CouncilCommands.IsMember(s, mandate.Council, candidate));
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        s.Append(verdict);
        Settle(s, mandate);
        return id;
    }

    /// <summary>Settles the holders of every continuous mandate of a council, after its membership changed.</summary>
    internal static void SettleCouncil(WriteSession s, CouncilId council)
    {
        foreach (var id in s.Query<MandateId>("SELECT id FROM mandates WHERE council_id = @id AND settle_ticks IS NOT NULL", new { id = council }).ToList())
        {
            Settle(s, MotionCommands.Seated(s, Membership.LoadMandate(s.Connection, s.Transaction, id)!));
        }
    }

    /// <summary>Continuously elected mandates whose settle period has passed, leaving out those waiting to be retried.</summary>
    public static IReadOnlyList<MandateId> DueToSettle(WriteSession s, IReadOnlyCollection<MandateId> skip, int max = 100)
    {
        var skipped = skip.ToHashSet();
        return [.. s.Query<MandateId>("SELECT id FROM mandates WHERE settles_at <= @now ORDER BY settles_at, id LIMIT @limit",
                new { now = s.Time, limit = max + skipped.Count })
            .Where(id => !skipped.Contains(id)).Take(max)];
    }

    /// <summary>Settles one mandate's holders after its settle period passed; the deadline service calls it.</summary>
    public static void SettleOne(WriteSession s, MandateId id)
    {
        if (Membership.LoadMandate(s.Connection, s.Transaction, id) is not { } found)
        {
            return;
        }
        s.Lock(found.Council);
        Settle(s, MotionCommands.Seated(s, Membership.LoadMandate(s.Connection, s.Transaction, id)!));
    }

    /// <summary>Changes of holders whose settle period has passed (tests and tools; the deadline service takes them one at a time).</summary>
    public static IReadOnlyList<MandateId> SettleDue(WriteSession s, int max = 100)
    {
        var due = DueToSettle(s, [], max);
        foreach (var id in due)
        {
            SettleOne(s, id);
        }
        return due;
    }

    private static void Settle(WriteSession s, Mandate mandate)
    {
        var (leaders, settlesAt) = s.Single<(string? Leaders, string? SettlesAt)>(
            "SELECT leaders, settles_at FROM mandates WHERE id = @id", new { id = mandate.Id });
        var pending = settlesAt is null ? null
            : new ContinuousElection.PendingLead(Projector.FromJson<ImmutableArray<AccountId>>(leaders!), WriteSession.Parse(settlesAt));
        var ballots = s.Query<string>("SELECT ranking FROM standing_ballots WHERE mandate_id = @id ORDER BY elector", new { id = mandate.Id })
            .Select(Projector.FromJson<ImmutableArray<AccountId>>).ToList();
        var members = Membership.Electors(s.Connection, s.Transaction, mandate.Council);
        var holders = Membership.Holders(s.Connection, s.Transaction, mandate.Id).Select(h => h.Person).ToList();
        var events = ContinuousElection.Settle(mandate, holders, pending, ballots, members.Contains, members.Count, s.Now).ToList();
        if (events.Count > 0)
        {
            s.Append(Verdict.Accept(events));
        }
    }

    internal static long Withdrawals(WriteSession s, MandateId mandate, AccountId holder) =>
        s.Scalar<long>("SELECT withdrawals FROM holders WHERE mandate_id = @id AND person = @holder", new { id = mandate, holder });

    /// <summary>
    /// After membership changed: every holder whose withdrawals now exceed half of the (smaller)
    /// electorate is recalled. A member leaving can be what tips the balance (DESIGN §3).
    /// </summary>
    internal static void RecallWhereDue(WriteSession s, CouncilId council)
    {
        long electorate = CouncilCommands.MemberCount(s, council);
        var due = new List<Event>();
        foreach (var id in s.Query<MandateId>("SELECT id FROM mandates WHERE council_id = @id", new { id = council }))
        {
            foreach (var holder in Membership.Holders(s.Connection, s.Transaction, id))
            {
                long withdrawals = Withdrawals(s, id, holder.Person);
                if (Recall.IsRecalled(withdrawals, electorate))
                {
                    due.Add(new HolderRecalled(id, council, holder.Person, RecallCause.Confidence, withdrawals, electorate));
                }
            }
        }
        if (due.Count > 0)
        {
            s.Append(Verdict.Accept(due));
        }
    }

    /// <summary>
    /// What leaving takes with it in the log: the leaver's seats and delegations, both named acts.
    /// Their ballots, withdrawals of confidence and standing ballots stop counting without an entry
    /// of their own (see <see cref="Core.Councils.Leaving"/>): the projection of member-left drops them.
    /// </summary>
    internal static IEnumerable<Event> LeaverTakes(WriteSession s, CouncilId council, AccountId person)
    {
        foreach (var mandate in s.Query<MandateId>(
            "SELECT h.mandate_id FROM holders h JOIN mandates m ON m.id = h.mandate_id WHERE m.council_id = @id AND h.person = @person",
            new { id = council, person }).ToList())
        {
            yield return new SeatVacated(mandate, council, person, Election: null);
        }
        foreach (string motion in s.Query<string>("SELECT motion_id FROM delegations WHERE council_id = @c AND truster = @p",
            new { c = council, p = person }).ToList())
        {
            yield return new Core.Delegation.DelegationRevoked(council, person, motion.Length == 0 ? null : new MotionId(Guid.Parse(motion)));
        }
    }
}
