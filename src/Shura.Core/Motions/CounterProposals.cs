using System.Collections.Immutable;

namespace Shura.Core.Motions;

/// <summary>
/// Counter-proposals (DESIGN §2): during deliberation any member may put a competing text to a
/// decision. A decision that has them is voted as one ranked choice among the original, each
/// counter-proposal and "none of these" (the status quo), counted with Schulze, as LiquidFeedback
/// does; the winner comes into force only if it also beats "none of these" head to head by the
/// motion's threshold, so a text most people rank below doing nothing is never adopted.
/// </summary>
public static class CounterProposals
{
    /// <summary>The option that stands for the motion's own text.</summary>
    public const string Original = "original";

    /// <summary>The option that stands for the status quo: nothing comes into force.</summary>
    public const string NoneOfThese = "none-of-these";

    /// <summary>More than this and a ranked ballot stops being something people can fill in with care.</summary>
    public const int Max = 20;

    public static string Option(int number) => $"counter-proposal-{number}";

    /// <summary>The number of the counter-proposal an option stands for, or null for the original and "none of these".</summary>
    public static int? Number(string option) =>
        option.StartsWith("counter-proposal-", StringComparison.Ordinal) && int.TryParse(option.AsSpan("counter-proposal-".Length), out int n) ? n : null;

    /// <summary>The options of a decision with <paramref name="count"/> counter-proposals, in the order the ballot shows them.</summary>
    public static ImmutableArray<string> Options(int count) =>
        [Original, .. Enumerable.Range(1, count).Select(Option), NoneOfThese];

    /// <summary>A decision may take counter-proposals; the kinds that act by themselves (repeal, settings, admission…) may not, their effect is not a text.</summary>
    public static bool Takes(Motion motion) => motion.Kind == MotionKind.Decision;
}

public static partial class MotionRules
{
    /// <summary>During deliberation any member may put a competing text to a decision (<see cref="CounterProposals"/>).</summary>
    public static Verdict CounterPropose(Motion motion, AccountId actor, bool isMember, int number, string? text)
    {
        if (!isMember)
        {
            return Refusal.Forbidden(Codes.NotAMember, "Only members can put counter-proposals.");
        }
        if (!CounterProposals.Takes(motion))
        {
            return Refusal.Conflict(Codes.NotADecision, $"A {motion.Kind.Name()} motion takes no counter-proposals: they compete with the text of a decision.");
        }
        if (motion.State != MotionState.Deliberation)
        {
            return Refusal.Conflict(Codes.NotInDeliberation, $"The motion is {motion.State.Name()}: counter-proposals are put during deliberation.");
        }
        if (number > CounterProposals.Max)
        {
            return Refusal.Conflict(Codes.TooManyCounterProposals, $"A decision takes at most {CounterProposals.Max} counter-proposals.");
        }
        if (Text.Problem(text, "text", 1, 50_000) is Refusal bad)
        {
            return bad;
        }
        return Verdict.Accept(new CounterProposed(motion.Id, motion.Council, number, text!, actor));
    }
}
