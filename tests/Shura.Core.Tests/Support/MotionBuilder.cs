using Shura.Core.Councils;
using Shura.Core.Counting;
using Shura.Core.Motions;

namespace Shura.Core.Tests.Support;

/// <summary>Test councils and motions with sensible defaults.</summary>
public static class Build
{
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    public static readonly AccountId Leyla = new(Guid.Parse("00000000-0000-0000-0000-00000000000a"));
    public static readonly AccountId Babak = new(Guid.Parse("00000000-0000-0000-0000-00000000000b"));
    public static readonly CouncilId CouncilId = new(Guid.Parse("00000000-0000-0000-0000-0000000000c1"));

    public static Council Council(CouncilSettings? settings = null) =>
        new(CouncilId, "Bakery workers", "", settings ?? CouncilSettings.Default, Now);

    public static Motion Motion(MotionState state, MotionSubject? subject = null) => new()
    {
        Id = new MotionId(Guid.Parse("00000000-0000-0000-0000-0000000000f1")),
        Council = CouncilId,
        Proposer = Leyla,
        Subject = subject ?? MotionSubject.Decision.Plain,
        Title = "Buy a second oven",
        Text = "",
        Options = subject is MotionSubject.Choice ? ["Park", "Library", "Cafe"] : [],
        Method = subject is MotionSubject.Choice ? TallyMethod.Schulze : TallyMethod.Decision,
        State = state,
        CreatedAt = Now,
        Supporters = state == MotionState.Draft ? 0 : 1,
        DeliberationEndsAt = state >= MotionState.Deliberation ? Now : null,
        VotingEndsAt = state >= MotionState.Voting ? Now.AddDays(3) : null,
    };
}
