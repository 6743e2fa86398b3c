using System.Collections.Immutable;

namespace Shura.Core.Mandates;

/// <summary>
/// The powers a council can give a mandate. Every power in Shura is one of these, held through a
/// mandate, so it ends the instant its holder is recalled (P4, DESIGN §3); nobody has any other.
/// </summary>
public static class Powers
{
    /// <summary>
    /// Put a proposed motion on the agenda: its deliberation starts without waiting for the
    /// support threshold. What the motion needs to pass is unchanged.
    /// </summary>
    public const string ScheduleMotions = "schedule-motions";

    public static readonly ImmutableArray<string> Known = [ScheduleMotions];
}
