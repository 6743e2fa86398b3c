namespace Shura.Core.Ballots;

/// <summary>What a member answers on a decision: yes, no or abstain.</summary>
public enum Choice
{
    Yes,
    No,
    Abstain,
}

/// <summary>The counted choices on a decision. Each ballot is one of yes, no or abstain.</summary>
public readonly record struct DecisionBallots(long Yes, long No, long Abstain)
{
    /// <summary>Everyone who took part, abstentions included.</summary>
    public long Participants => Yes + No + Abstain;

    public DecisionBallots Add(Choice choice, long count) => choice switch
    {
        Choice.Yes => this with { Yes = checked(Yes + count) },
        Choice.No => this with { No = checked(No + count) },
        Choice.Abstain => this with { Abstain = checked(Abstain + count) },
        _ => throw new ArgumentOutOfRangeException(nameof(choice), choice, "Expected yes, no or abstain."),
    };

    /// <summary>Reads the API and file spelling of a choice: "yes", "no" or "abstain" (any case).</summary>
    public static bool TryParseChoice(ReadOnlySpan<char> text, out Choice choice)
    {
        text = text.Trim();
        if (text.Equals("yes", StringComparison.OrdinalIgnoreCase))
        {
            choice = Choice.Yes;
            return true;
        }
        if (text.Equals("no", StringComparison.OrdinalIgnoreCase))
        {
            choice = Choice.No;
            return true;
        }
        if (text.Equals("abstain", StringComparison.OrdinalIgnoreCase))
        {
            choice = Choice.Abstain;
            return true;
        }
        choice = default;
        return false;
    }
}
