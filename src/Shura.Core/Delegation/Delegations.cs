namespace Shura.Core.Delegation;

/// <summary>A member lets another vote for them in a council: for every motion, or for one.</summary>
public sealed record DelegationSet(CouncilId CouncilId, AccountId Truster, AccountId Trustee, MotionId? Motion) : Event
{
    public override Guid? Council => CouncilId.Value;

    public override string Actor => Truster.ToString();
}

public sealed record DelegationRevoked(CouncilId CouncilId, AccountId Truster, MotionId? Motion) : Event
{
    public override Guid? Council => CouncilId.Value;

    public override string Actor => Truster.ToString();
}

/// <summary>
/// A member chose to be a public delegate in a council with secret ballots, or stopped being one:
/// only public delegates receive delegations there, and those who delegate to them see their ballots.
/// </summary>
public sealed record PublicDelegateChanged(CouncilId CouncilId, AccountId Member, bool Public) : Event
{
    public override Guid? Council => CouncilId.Value;

    public override string Actor => Member.ToString();
}

/// <summary>
/// The rules of delegation (DESIGN §2): optional per council and off by default, because P3 comes
/// first. A delegation for one motion overrides one for the whole council; a direct ballot
/// overrides both; the chain is resolved at every count (<see cref="DelegationGraph"/>).
/// Delegations are open: who lets whom vote for them is in the log. Since a delegate's ballots are
/// shown to those who delegated, in a council with secret ballots only members who chose to be
/// public delegates receive delegations (nobody else's ballot is ever shown to anyone), and no
/// delegation is made on a motion whose voting has closed.
/// </summary>
public static class Delegations
{
    /// <param name="secretBallots">The council votes by secret ballot.</param>
    /// <param name="trusteeIsPublic">The trustee chose to be a public delegate in this council.</param>
    /// <param name="motionState">For a delegation on one motion: where that motion is now.</param>
    public static Verdict Set(
        CouncilId council, bool delegationOn, AccountId truster, bool trusterIsMember, AccountId trustee, bool trusteeIsMember,
        MotionId? motion, bool motionInCouncil, bool secretBallots = false, bool trusteeIsPublic = false, Motions.MotionState? motionState = null)
    {
        if (!delegationOn)
        {
            return Refusal.Conflict(Codes.DelegationOff, "This council does not use delegation; its members vote themselves (it is a setting the members can change by motion).");
        }
        if (!trusterIsMember)
        {
            return Refusal.Forbidden(Codes.NotAMember, "Only members can delegate their vote.");
        }
        if (trustee == truster)
        {
            return Refusal.Unprocessable(Codes.SelfDelegation, "A member cannot delegate to themselves.", "to");
        }
        if (!trusteeIsMember)
        {
            return Refusal.Unprocessable(Codes.TrusteeNotAMember, "A vote can be delegated only to a member of the council.", "to");
        }
        if (motion is not null && !motionInCouncil)
        {
            return Refusal.Unprocessable(Codes.UnknownMotion, "The motion is not one of this council's.", "motion");
        }
        if (motion is not null && motionState is not (Motions.MotionState.Draft or Motions.MotionState.Proposed or Motions.MotionState.Deliberation or Motions.MotionState.Voting))
        {
            return Refusal.Conflict(Codes.MotionClosed, "Voting on this motion has closed: a vote can no longer be delegated on it.");
        }
        if (secretBallots && !trusteeIsPublic)
        {
            return Refusal.Unprocessable(Codes.NotAPublicDelegate,
                "This council votes by secret ballot: a vote can be delegated only to a member who chose to be a public delegate, whose ballots those who delegate to them see.", "to");
        }
        return Verdict.Accept(new DelegationSet(council, truster, trustee, motion));
    }

    /// <summary>
    /// A member becomes a public delegate, or stops being one. Stopping ends, in a council with
    /// secret ballots, every delegation to them (<paramref name="delegatedToThem"/>: each truster and
    /// motion), since those members would otherwise go on seeing ballots that are no longer public.
    /// </summary>
    public static Verdict DeclarePublic(
        CouncilId council, bool delegationOn, AccountId member, bool isMember, bool makePublic, bool isPublic, bool secretBallots,
        IEnumerable<(AccountId Truster, MotionId? Motion)> delegatedToThem)
    {
        if (!isMember)
        {
            return Refusal.Forbidden(Codes.NotAMember, "Only members can be delegates.");
        }
        if (!delegationOn)
        {
            return Refusal.Conflict(Codes.DelegationOff, "This council does not use delegation; its members vote themselves (it is a setting the members can change by motion).");
        }
        if (makePublic == isPublic)
        {
            return Verdict.Accept();
        }
        var changed = new PublicDelegateChanged(council, member, makePublic);
        return makePublic || !secretBallots
            ? Verdict.Accept(changed)
            : Verdict.Accept([changed, .. delegatedToThem.Select(d => (Event)new DelegationRevoked(council, d.Truster, d.Motion))]);
    }

    /// <summary>
    /// A council turned to secret ballots: delegations to members who are not public delegates end,
    /// since their ballots are now secret from those who delegated to them.
    /// </summary>
    public static IEnumerable<Event> AfterSecrecy(CouncilId council, IEnumerable<(AccountId Truster, MotionId? Motion, AccountId Trustee)> delegations, Func<AccountId, bool> isPublic) =>
        delegations.Where(d => !isPublic(d.Trustee)).Select(d => (Event)new DelegationRevoked(council, d.Truster, d.Motion));

    public static Verdict Revoke(CouncilId council, AccountId truster, bool hasDelegation, MotionId? motion) =>
        hasDelegation
            ? Verdict.Accept(new DelegationRevoked(council, truster, motion))
            : Refusal.Conflict(Codes.NoDelegation, "You have no such delegation to revoke.");

    /// <summary>
    /// The delegation graph of one motion: <paramref name="people"/> are the members, each
    /// delegation names its truster, whether it is for this motion only, and its trustee (members
    /// only: a delegation to someone gone delegates nothing), and <paramref name="votes"/> says
    /// who cast a ballot themselves.
    /// </summary>
    public static DelegationGraph Graph(
        IReadOnlyList<AccountId> people, IEnumerable<(AccountId Truster, bool ForMotion, AccountId Trustee)> delegations, Func<int, bool> votes)
    {
        var index = new Dictionary<AccountId, int>(people.Count);
        for (int i = 0; i < people.Count; i++)
        {
            index[people[i]] = i;
        }
        var trustee = new int[people.Count];
        Array.Fill(trustee, DelegationGraph.None);
        var specific = new bool[people.Count];
        foreach (var (truster, forMotion, to) in delegations)
        {
            if (index.TryGetValue(truster, out int from) && index.TryGetValue(to, out int target) && (!specific[from] || forMotion))
            {
                // A delegation for this motion overrides the one for the whole council.
                trustee[from] = target;
                specific[from] |= forMotion;
            }
        }
        var voting = new bool[people.Count];
        for (int i = 0; i < voting.Length; i++)
        {
            voting[i] = votes(i);
        }
        return DelegationGraph.Resolve(trustee, voting);
    }
}
