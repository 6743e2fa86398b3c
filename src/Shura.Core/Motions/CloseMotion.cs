using Shura.Core.Councils;

namespace Shura.Core.Motions;

public static partial class Motions
{
    /// <summary>What a passing deadline does: deliberation ends and voting opens. Closing is <see cref="Close"/>.</summary>
    public static Verdict Advance(Motion motion, CouncilSettings settings, DateTimeOffset now)
    {
        if (motion.State == MotionState.Deliberation && motion.DeliberationEndsAt <= now)
        {
            return Verdict.Accept(StartVoting(motion, settings, now, settings.VotingPeriod, "clock"));
        }
        return Refusal.Conflict("nothing-due", "No deadline of this motion has passed.");
    }

    /// <summary>
    /// Voting has ended: the result is fixed from the current ballots. A passed decision comes into
    /// force (and does what it says: lifts the repealed motion, changes the settings, admits the
    /// applicant); a choice or election is decided; anything else is rejected.
    /// </summary>
    /// <param name="target">For a repeal: the motion it lifts, as it is now.</param>
    public static Verdict Close(
        Motion motion, IReadOnlyCollection<MotionBallot> ballots, long electorate, string seed, Motion? target, string applicantName,
        DateTimeOffset now)
    {
        if (motion.State != MotionState.Voting || motion.VotingEndsAt > now)
        {
            return Refusal.Conflict("not-due", "Voting on this motion has not ended.");
        }
        var (passed, result) = MotionTally.Count(motion, ballots, electorate, seed, final: true);
        var outcome = !passed ? MotionState.Rejected : motion.IsDecision ? MotionState.InForce : MotionState.Decided;
        var events = new List<Event> { new MotionClosed(motion.Id, motion.Council, outcome, electorate, seed, Counting.TallyJson.Write(result)) };
        if (outcome == MotionState.InForce)
        {
            switch (motion.Kind)
            {
                case MotionKind.Repeal when target is { State: MotionState.InForce }:
                    events.Add(new MotionRepealed(target.Id, motion.Council, motion.Id));
                    break;
                case MotionKind.Settings:
                    events.Add(new SettingsChanged(motion.Council, motion.NewSettings!, motion.Id));
                    break;
                case MotionKind.Admission:
                    events.Add(new MemberJoined(motion.Council, motion.Applicant!.Value, applicantName, JoinedBy.Admission));
                    break;
            }
        }
        return Verdict.Accept(events);
    }
}
