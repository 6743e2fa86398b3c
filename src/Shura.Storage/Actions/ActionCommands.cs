using Shura.Core.Actions;
using Shura.Storage.Councils;
using Shura.Storage.Motions;

namespace Shura.Storage.Actions;

/// <summary>Actions that carry out decisions: adding them, volunteering, reporting progress.</summary>
public static class ActionCommands
{
    public static Result<ActionId> Create(WriteSession s, MotionId motionId, AccountId actor, string? description, DateTimeOffset? due, MandateId? executors)
    {
        if (s.CouncilOf(motionId) is not { } council)
        {
            return Refusal.NotFound("This motion");
        }
        s.Lock(council);
        var motion = MotionCommands.Load(s, motionId)!;
        bool mandateInCouncil = executors is { } m && Membership.LoadMandate(s.Connection, s.Transaction, m)?.Council == council;
        var id = new ActionId(Guid.CreateVersion7(s.Now));
        var verdict = ActionRules.Create(id, motion, actor, CouncilCommands.IsMember(s, council, actor), description, due, executors, mandateInCouncil);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        s.Append(verdict);
        return id;
    }

    public static Result<ActionId> Volunteer(WriteSession s, ActionId id, AccountId actor) =>
        WithAction(s, id, (council, status) =>
        {
            bool already = s.Scalar<long>("SELECT COUNT(*) FROM action_volunteers WHERE action_id = @id AND person = @p",
                new { id, p = actor }) > 0;
            return ActionRules.Volunteer(id, council, actor, CouncilCommands.IsMember(s, council, actor), already, status);
        });

    public static Result<ActionId> Report(WriteSession s, ActionId id, AccountId actor, string? text, string? status) =>
        WithAction(s, id, (council, current) => ActionRules.Report(id, council, actor, IsExecutor(s, id, actor), text, status, current));

    /// <summary>The action's executors: the holders of its mandate (who lose this with their seat), and the volunteers.</summary>
    internal static bool IsExecutor(WriteSession s, ActionId id, AccountId person) =>
        s.Scalar<long>("""
            SELECT (SELECT COUNT(*) FROM action_volunteers WHERE action_id = @id AND person = @p)
                 + (SELECT COUNT(*) FROM actions a JOIN holders h ON h.mandate_id = a.executors WHERE a.id = @id AND h.person = @p)
            """, new { id, p = person }) > 0;

    private static Result<ActionId> WithAction(WriteSession s, ActionId id, Func<CouncilId, ActionStatus, Verdict> decide)
    {
        var row = s.Query<(CouncilId Council, string Status)>("SELECT council_id, status FROM actions WHERE id = @id", new { id }).ToList();
        if (row.Count == 0)
        {
            return Refusal.NotFound("This action");
        }
        var council = row[0].Council;
        s.Lock(council);
        string status = s.Scalar<string>("SELECT status FROM actions WHERE id = @id", new { id })!;
        ActionRules.TryParse(status, out var current);
        var verdict = decide(council, current);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        s.Append(verdict);
        return id;
    }
}
