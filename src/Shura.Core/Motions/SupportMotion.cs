namespace Shura.Core.Motions;

public static partial class MotionRules
{
    /// <summary>The proposer of a draft proposes it; it then gathers support like any proposal.</summary>
    public static Verdict Propose(Motion motion, CouncilSettings settings, AccountId actor, int members, DateTimeOffset now)
    {
        if (motion.State != MotionState.Draft)
        {
            return Refusal.Conflict(Codes.NotADraft, "Only a draft can be proposed.");
        }
        if (motion.Proposer != actor)
        {
            return Refusal.Forbidden(Codes.NotProposer, "Only the member who wrote the draft can propose it.");
        }
        var proposed = motion with { State = MotionState.Proposed, Supporters = 1 };
        return Verdict.Accept([new MotionProposed(motion.Id, motion.Council, actor), .. Proposed(proposed, settings, 1, members, now, actor.ToString())]);
    }

    /// <summary>A member supports a proposal; enough support moves it on to deliberation.</summary>
    public static Verdict Support(Motion motion, CouncilSettings settings, AccountId actor, bool isMember, bool alreadySupports, int members, DateTimeOffset now)
    {
        if (!isMember)
        {
            return Refusal.Forbidden(Codes.NotAMember, "Only members can support motions.");
        }
        if (motion.State != MotionState.Proposed)
        {
            return Refusal.Conflict(Codes.NotProposed, $"The motion is {motion.State.Name()}: support is gathered only while it is proposed.");
        }
        if (alreadySupports || (motion.Proposer == actor && motion.Kind != MotionKind.Admission))
        {
            return Refusal.Conflict(Codes.AlreadySupported, "You already support this motion.");
        }
        int supporters = motion.Supporters + 1;
        return Verdict.Accept([new MotionSupported(motion.Id, motion.Council, actor), .. Proposed(motion, settings, supporters, members, now, actor.ToString())]);
    }

    /// <summary>
    /// A holder of a mandate with the schedule-motions power puts a proposal on the agenda: its
    /// deliberation starts now, support or not. The power lasts only while the seat is held.
    /// </summary>
    /// <param name="through">The mandate whose power the actor uses, or null when they hold none that gives it.</param>
    public static Verdict Schedule(Motion motion, CouncilSettings settings, AccountId actor, MandateId? through, int members, DateTimeOffset now)
    {
        if (through is not { } mandate)
        {
            return Refusal.Forbidden(Codes.NoPower, $"Only a holder of a mandate the council gave the {Mandates.Powers.ScheduleMotions} power can schedule motions.");
        }
        if (motion.State != MotionState.Proposed)
        {
            return Refusal.Conflict(Codes.NotProposed, $"The motion is {motion.State.Name()}: only a proposal can be scheduled.");
        }
        return Verdict.Accept([new MotionScheduled(motion.Id, motion.Council, actor, mandate), .. Proposed(motion, settings, int.MaxValue, members, now, actor.ToString())]);
    }
}
