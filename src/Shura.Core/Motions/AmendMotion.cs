namespace Shura.Core.Motions;

public static partial class MotionRules
{
    /// <summary>During deliberation any member may propose an amended text.</summary>
    public static Verdict Amend(Motion motion, AccountId actor, bool isMember, int number, string? text)
    {
        if (!isMember)
        {
            return Refusal.Forbidden(Codes.NotAMember, "Only members can amend motions.");
        }
        if (motion.State != MotionState.Deliberation)
        {
            return Refusal.Conflict(Codes.NotInDeliberation, $"The motion is {motion.State.Name()}: amendments are made during deliberation.");
        }
        if (Text.Problem(text, "text", 1, 50_000) is Refusal bad)
        {
            return bad;
        }
        return Verdict.Accept(new AmendmentProposed(motion.Id, motion.Council, number, text!, actor));
    }

    /// <summary>The proposer may adopt an amendment: its text becomes the motion's.</summary>
    public static Verdict Adopt(Motion motion, AccountId actor, int number, bool amendmentExists)
    {
        if (motion.State != MotionState.Deliberation)
        {
            return Refusal.Conflict(Codes.NotInDeliberation, "Amendments are adopted during deliberation.");
        }
        if (motion.Proposer != actor)
        {
            return Refusal.Forbidden(Codes.NotProposer, "Only the proposer can adopt an amendment.");
        }
        if (!amendmentExists)
        {
            return Refusal.NotFound($"Amendment {number}");
        }
        return Verdict.Accept(new AmendmentAdopted(motion.Id, motion.Council, number, actor));
    }
}
