using Shura.Core.Delegation;
using Shura.Storage.Councils;
using Shura.Storage.Motions;

namespace Shura.Storage.Delegation;

/// <summary>Setting and revoking delegations; they are resolved at every count, never stored resolved.</summary>
public static class DelegationCommands
{
    public static Result<bool> Set(WriteSession s, CouncilId councilId, AccountId truster, AccountId trustee, MotionId? motion)
    {
        s.Lock(councilId);
        if (CouncilCommands.Load(s, councilId) is not { } council)
        {
            return Refusal.NotFound("This council");
        }
        bool motionInCouncil = motion is { } m && s.CouncilOf(m) == councilId;
        var motionState = motionInCouncil ? MotionCommands.Load(s, motion!.Value)!.State : (Core.Motions.MotionState?)null;
        var verdict = Delegations.Set(councilId, council.Settings.Delegation && !council.IsFederation, truster,
            CouncilCommands.IsMember(s, councilId, truster), trustee, CouncilCommands.IsMember(s, councilId, trustee), motion, motionInCouncil,
            council.Settings.SecretBallots, IsPublicDelegate(s, councilId, trustee), motionState);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        s.Append(verdict);
        return true;
    }

    /// <summary>The actor becomes a public delegate in a council, or stops being one (and, under secret ballots, loses the delegations made to them).</summary>
    public static Result<bool> DeclarePublic(WriteSession s, CouncilId councilId, AccountId member, bool makePublic)
    {
        s.Lock(councilId);
        if (CouncilCommands.Load(s, councilId) is not { } council)
        {
            return Refusal.NotFound("This council");
        }
        var delegatedToThem = s.Query<(string Truster, string Motion)>(
            "SELECT truster, motion_id FROM delegations WHERE council_id = @c AND trustee = @m ORDER BY truster, motion_id",
            new { c = councilId, m = member })
            .Select(d => (new AccountId(Guid.Parse(d.Truster)), d.Motion.Length == 0 ? (MotionId?)null : new MotionId(Guid.Parse(d.Motion)))).ToList();
        var verdict = Delegations.DeclarePublic(councilId, council.Settings.Delegation && !council.IsFederation, member,
            CouncilCommands.IsMember(s, councilId, member), makePublic, IsPublicDelegate(s, councilId, member), council.Settings.SecretBallots, delegatedToThem);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        s.Append(verdict);
        return makePublic;
    }

    /// <summary>After a council turned to secret ballots: delegations to members who are not public delegates end.</summary>
    internal static void AfterSecrecy(WriteSession s, CouncilId councilId)
    {
        var delegations = s.Query<(string Truster, string Motion, string Trustee)>(
            "SELECT truster, motion_id, trustee FROM delegations WHERE council_id = @c ORDER BY truster, motion_id", new { c = councilId })
            .Select(d => (new AccountId(Guid.Parse(d.Truster)), d.Motion.Length == 0 ? (MotionId?)null : new MotionId(Guid.Parse(d.Motion)), new AccountId(Guid.Parse(d.Trustee))))
            .ToList();
        var events = Delegations.AfterSecrecy(councilId, delegations, trustee => IsPublicDelegate(s, councilId, trustee)).ToList();
        if (events.Count > 0)
        {
            s.Append(Verdict.Accept(events));
        }
    }

    internal static bool IsPublicDelegate(WriteSession s, CouncilId council, AccountId member) =>
        s.Scalar<long>("SELECT COUNT(*) FROM public_delegates WHERE council_id = @c AND account_id = @m", new { c = council, m = member }) > 0;

    public static Result<bool> Revoke(WriteSession s, CouncilId councilId, AccountId truster, MotionId? motion)
    {
        s.Lock(councilId);
        if (CouncilCommands.Load(s, councilId) is null)
        {
            return Refusal.NotFound("This council");
        }
        bool has = s.Scalar<long>("SELECT COUNT(*) FROM delegations WHERE council_id = @c AND truster = @t AND motion_id = @m",
            new { c = councilId, t = truster, m = motion?.ToString() ?? "" }) > 0;
        var verdict = Delegations.Revoke(councilId, truster, has, motion);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        s.Append(verdict);
        return true;
    }
}
