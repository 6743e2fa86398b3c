using Shura.Core;
using Shura.Core.Delegation;
using Shura.Storage.Councils;
using Shura.Storage.Motions;

namespace Shura.Storage.Delegation;

/// <summary>Setting and revoking delegations; they are resolved at every count, never stored resolved.</summary>
public static class DelegationCommands
{
    public static Result<bool> Set(WriteSession s, CouncilId councilId, AccountId truster, AccountId trustee, MotionId? motion)
    {
        s.Lock(councilId.ToString());
        if (CouncilCommands.Load(s, councilId) is not { } council)
        {
            return Refusal.NotFound("This council");
        }
        bool motionInCouncil = motion is { } m && s.CouncilOf(m) == councilId;
        var verdict = Delegations.Set(councilId, council.Settings.Delegation && !council.IsFederation, truster,
            CouncilCommands.IsMember(s, councilId, truster), trustee, CouncilCommands.IsMember(s, councilId, trustee), motion, motionInCouncil);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        s.Append(verdict);
        return true;
    }

    public static Result<bool> Revoke(WriteSession s, CouncilId councilId, AccountId truster, MotionId? motion)
    {
        s.Lock(councilId.ToString());
        if (CouncilCommands.Load(s, councilId) is null)
        {
            return Refusal.NotFound("This council");
        }
        bool has = s.Scalar<long>("SELECT COUNT(*) FROM delegations WHERE council_id = @c AND truster = @t AND motion_id = @m",
            new { c = councilId.ToString(), t = truster.ToString(), m = motion?.ToString() ?? "" }) > 0;
        var verdict = Delegations.Revoke(councilId, truster, has, motion);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        s.Append(verdict);
        return true;
    }
}
