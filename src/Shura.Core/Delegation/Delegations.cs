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
/// The rules of delegation (DESIGN §2): optional per council and off by default, because P3 comes
/// first. A delegation for one motion overrides one for the whole council; a direct ballot
/// overrides both; the chain is resolved at every count (<see cref="DelegationGraph"/>).
/// Delegations are open: who lets whom vote for them is in the log.
/// </summary>
public static class Delegations
{
    public static Verdict Set(
        CouncilId council, bool delegationOn, AccountId truster, bool trusterIsMember, AccountId trustee, bool trusteeIsMember,
        MotionId? motion, bool motionInCouncil)
    {
        if (!delegationOn)
        {
            return Refusal.Conflict("delegation-off", "This council does not use delegation; its members vote themselves (it is a setting the members can change by motion).");
        }
        if (!trusterIsMember)
        {
            return Refusal.Forbidden("not-a-member", "Only members can delegate their vote.");
        }
        if (trustee == truster)
        {
            return Refusal.Unprocessable("self-delegation", "A member cannot delegate to themselves.", "to");
        }
        if (!trusteeIsMember)
        {
            return Refusal.Unprocessable("trustee-not-a-member", "A vote can be delegated only to a member of the council.", "to");
        }
        if (motion is not null && !motionInCouncil)
        {
            return Refusal.Unprocessable("unknown-motion", "The motion is not one of this council's.", "motion");
        }
        return Verdict.Accept(new DelegationSet(council, truster, trustee, motion));
    }

    public static Verdict Revoke(CouncilId council, AccountId truster, bool hasDelegation, MotionId? motion) =>
        hasDelegation
            ? Verdict.Accept(new DelegationRevoked(council, truster, motion))
            : Refusal.Conflict("no-delegation", "You have no such delegation to revoke.");

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
