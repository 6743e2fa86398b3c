using System.Collections.Immutable;

namespace Shura.Core.Mandates;

/// <summary>
/// An elector's standing ranked ballot for a mandate held by continuous election: it stands until
/// changed or withdrawn, latest wins (P1). Under secret ballots the elector appears under a
/// pseudonym for this mandate.
/// </summary>
public sealed record StandingBallotCast(MandateId Mandate, CouncilId CouncilId, string Elector, ImmutableArray<AccountId> Ranking) : Event
{
    public override Guid? Council => CouncilId.Value;

    public override string Actor => Elector;
}

/// <summary>An elector withdrew a standing ballot (or left the council, which withdraws it).</summary>
public sealed record StandingBallotWithdrawn(MandateId Mandate, CouncilId CouncilId, string Elector) : Event
{
    public override Guid? Council => CouncilId.Value;

    public override string Actor => Elector;
}

/// <summary>
/// The standing count has winners other than the holders. They take the seats at
/// <paramref name="SettlesAt"/> if they still lead then. Empty <paramref name="Leaders"/> (and no
/// time) means the holders lead again and no change is pending.
/// </summary>
public sealed record LeadChanged(MandateId Mandate, CouncilId CouncilId, ImmutableArray<AccountId> Leaders, DateTimeOffset? SettlesAt) : Event
{
    public override Guid? Council => CouncilId.Value;

    public override string Actor => "clock";
}

/// <summary>Why the standing count changed the holders.</summary>
public enum SettleCause
{
    /// <summary>Seats were vacant: the leaders fill them at once, displacing nobody.</summary>
    Vacancy,

    /// <summary>The new leaders led for the whole settle period.</summary>
    SettlePeriod,

    /// <summary>Every newcomer is ranked above the holders they displace by more than half the electorate.</summary>
    AbsoluteMajority,
}

/// <summary>
/// The standing count changed the holders: the <see cref="SeatVacated"/> and <see cref="SeatFilled"/>
/// events that follow carry it out. <paramref name="Ballots"/> and <paramref name="Electorate"/>
/// are the count that caused it.
/// </summary>
public sealed record HoldersSettled(
    MandateId Mandate, CouncilId CouncilId, ImmutableArray<AccountId> Holders, SettleCause Cause, long Ballots, long Electorate) : Event
{
    public override Guid? Council => CouncilId.Value;

    public override string Actor => "clock";
}

/// <summary>
/// Continuous election (DESIGN §3): instead of elections and recalls, each elector keeps a standing
/// ranked ballot for the mandate and the holders are the current winners — by instant runoff for
/// one seat, Meek STV for several, counted over the candidates who are members now. A change of
/// holders takes effect once the new winners have led for the settle period, or at once when every
/// newcomer is ranked above the holders they would displace by more than half of the electorate.
/// Vacant seats are filled at once: filling them displaces nobody.
/// </summary>
public static class ContinuousElection
{
    public static readonly TimeSpan DefaultSettlePeriod = TimeSpan.FromHours(24);

    public static readonly TimeSpan MaxSettlePeriod = TimeSpan.FromDays(366);

    public const int MaxRanking = 1000;

    /// <summary>A change of holders waiting for its settle period.</summary>
    public sealed record PendingLead(ImmutableArray<AccountId> Leaders, DateTimeOffset SettlesAt);

    /// <summary>The name an elector's standing ballot has in the log: the account under open ballots, a pseudonym for this mandate under secret ones.</summary>
    public static string Elector(MandateId mandate, AccountId elector, bool secret, ReadOnlySpan<byte> key) =>
        secret ? MandateRules.Pseudonym($"mandate/{mandate}/standing/{elector}", key) : elector.ToString();

    /// <summary>An elector sets their standing ballot. Candidates must be members of the council.</summary>
    public static Verdict Cast(Mandate mandate, bool isElector, string elector, IReadOnlyList<AccountId>? ranking, Func<AccountId, bool> isMember)
    {
        if (mandate.SettlePeriod is null)
        {
            return Refusal.Conflict(Codes.NotContinuous, "This mandate is filled by election motions, not by standing ballots.");
        }
        if (!isElector)
        {
            return Refusal.Forbidden(Codes.NotAnElector, "Only the mandate's electorate — the council's members — can rank its candidates.");
        }
        if (ranking is null || ranking.Count is 0 or > MaxRanking)
        {
            return Refusal.Invalid(Codes.InvalidField, $"ranking lists from 1 to {MaxRanking} candidates, most preferred first.", "ranking");
        }
        if (ranking.Distinct().Count() != ranking.Count)
        {
            return Refusal.Invalid(Codes.InvalidField, "ranking names a candidate twice.", "ranking");
        }
        if (ranking.Where(c => !isMember(c)).Select(c => (AccountId?)c).FirstOrDefault() is { } stranger)
        {
            return Refusal.Unprocessable(Codes.CandidateNotAMember, $"{stranger} is not a member of this council: only members can hold its mandates.", "ranking");
        }
        return Verdict.Accept(new StandingBallotCast(mandate.Id, mandate.Council, elector, [.. ranking]));
    }

    /// <summary>An elector withdraws their standing ballot; withdrawing none changes nothing.</summary>
    public static Verdict Withdraw(Mandate mandate, bool isElector, string elector, bool hasBallot)
    {
        if (mandate.SettlePeriod is null)
        {
            return Refusal.Conflict(Codes.NotContinuous, "This mandate is filled by election motions, not by standing ballots.");
        }
        if (!isElector)
        {
            return Refusal.Forbidden(Codes.NotAnElector, "Only the mandate's electorate — the council's members — can rank its candidates.");
        }
        return hasBallot ? Verdict.Accept(new StandingBallotWithdrawn(mandate.Id, mandate.Council, elector)) : Verdict.Accept();
    }

    /// <summary>
    /// The current winners of the standing ballots, counted over candidates who are members now.
    /// Candidates are ordered by id for the lot, whose seed is the mandate: the same ballots always
    /// give the same winners.
    /// </summary>
    public static ImmutableArray<AccountId> Leaders(Mandate mandate, IEnumerable<ImmutableArray<AccountId>> ballots, Func<AccountId, bool> isMember)
    {
        var rankings = ballots.Select(b => b.Where(isMember).ToArray()).Where(r => r.Length > 0).ToList();
        var candidates = rankings.SelectMany(r => r).Distinct().OrderBy(c => c.Value).ToList();
        if (candidates.Count == 0)
        {
            return [];
        }
        if (candidates.Count <= mandate.Seats)
        {
            return [.. candidates];
        }
        var names = candidates.Select(c => c.ToString()).ToImmutableArray();
        var index = candidates.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => (ushort)x.i);
        var box = new BallotBoxBuilder(names);
        foreach (var ranking in rankings)
        {
            box.Add([.. ranking.Select(c => index[c])], 1);
        }
        var method = mandate.Seats == 1 ? TallyMethod.Irv : TallyMethod.Meek;
        var result = Tally.Count(box.Build(), new TallyRules(method, mandate.Seats, new Lot($"mandate/{mandate.Id}", names.Length)));
        return [.. result.Winners.Select(w => candidates[names.IndexOf(w)])];
    }

    /// <summary>
    /// What the standing count means for the holders now: nothing, a new lead waiting for its
    /// settle period, a lead lost, or the holders changed.
    /// </summary>
    /// <param name="ballots">The standing ballots now.</param>
    /// <param name="electorate">Members of the council now.</param>
    public static IEnumerable<Event> Settle(
        Mandate mandate, IReadOnlyCollection<AccountId> holders, PendingLead? pending, IReadOnlyList<ImmutableArray<AccountId>> ballots,
        Func<AccountId, bool> isMember, long electorate, DateTimeOffset now)
    {
        var settle = mandate.SettlePeriod ?? DefaultSettlePeriod;
        var leaders = Leaders(mandate, ballots, isMember);
        var arriving = leaders.Where(l => !holders.Contains(l)).ToList();
        var leaving = holders.Where(h => !leaders.Contains(h)).ToList();
        if (arriving.Count == 0 && leaving.Count == 0)
        {
            if (pending is not null)
            {
                yield return new LeadChanged(mandate.Id, mandate.Council, [], null);
            }
            yield break;
        }

        SettleCause? cause =
            leaving.Count == 0 ? SettleCause.Vacancy
            : arriving.Count > 0 && arriving.All(a => 2 * PreferredTo(a, leaving, ballots) > electorate) ? SettleCause.AbsoluteMajority
            : pending is not null && SameSet(pending.Leaders, leaders) && now >= pending.SettlesAt ? SettleCause.SettlePeriod
            : null;
        if (cause is not { } settled)
        {
            if (pending is null || !SameSet(pending.Leaders, leaders))
            {
                yield return new LeadChanged(mandate.Id, mandate.Council, leaders, now + settle);
            }
            yield break;
        }
        yield return new HoldersSettled(mandate.Id, mandate.Council, leaders, settled, ballots.Count, electorate);
        foreach (var holder in leaving)
        {
            yield return new SeatVacated(mandate.Id, mandate.Council, holder, Election: null);
        }
        foreach (var holder in arriving)
        {
            yield return new SeatFilled(mandate.Id, mandate.Council, holder, Election: null);
        }
    }

    /// <summary>Ballots that rank <paramref name="candidate"/> above every one of <paramref name="others"/> (an unranked candidate is below every ranked one).</summary>
    public static long PreferredTo(AccountId candidate, IReadOnlyCollection<AccountId> others, IEnumerable<ImmutableArray<AccountId>> ballots)
    {
        long count = 0;
        foreach (var ballot in ballots)
        {
            int at = ballot.IndexOf(candidate);
            if (at >= 0 && others.All(o => ballot.IndexOf(o) is var oat && (oat < 0 || oat > at)))
            {
                count++;
            }
        }
        return count;
    }

    private static bool SameSet(ImmutableArray<AccountId> a, ImmutableArray<AccountId> b) => a.Length == b.Length && a.All(b.Contains);
}
