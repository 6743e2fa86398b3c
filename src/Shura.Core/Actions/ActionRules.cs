namespace Shura.Core.Actions;

/// <summary>Where an action stands.</summary>
public enum ActionStatus
{
    Open,
    InProgress,
    Done,
    Blocked,
}

/// <summary>
/// A task that carries out a decision (DESIGN §2, P3): carried out by the holders of an executor
/// mandate — recallable like any mandate — or by members who volunteered; with a due date and
/// progress reports; overdue actions are shown to the whole council.
/// </summary>
public sealed record ActionCreated(
    ActionId Action, CouncilId CouncilId, MotionId Motion, string Description, DateTimeOffset Due, MandateId? Executors, AccountId By) : Event
{
    public override Guid? Council => CouncilId.Value;

    public override string Actor => By.ToString();
}

public sealed record VolunteerConfirmed(ActionId Action, CouncilId CouncilId, AccountId Volunteer) : Event
{
    public override Guid? Council => CouncilId.Value;

    public override string Actor => Volunteer.ToString();
}

public sealed record ActionReported(ActionId Action, CouncilId CouncilId, AccountId By, string Text, ActionStatus Status) : Event
{
    public override Guid? Council => CouncilId.Value;

    public override string Actor => By.ToString();
}

public static class ActionRules
{
    public static Verdict Create(
        ActionId id, Motion motion, AccountId actor, bool isMember, string? description, DateTimeOffset? due, MandateId? executors,
        bool mandateInCouncil)
    {
        if (!isMember)
        {
            return Refusal.Forbidden(Codes.NotAMember, "Only members can add actions.");
        }
        if (motion.State is not (MotionState.InForce or MotionState.Decided))
        {
            return Refusal.Conflict(Codes.NotDecided, "Actions carry out decisions: the motion must be decided or in force.");
        }
        if (Text.Problem(description, "description", 1, 5000) is Refusal bad)
        {
            return bad;
        }
        if (due is null)
        {
            return Refusal.Invalid(Codes.InvalidField, "due is required: when the action should be done.", "due");
        }
        if (executors is not null && !mandateInCouncil)
        {
            return Refusal.Unprocessable(Codes.UnknownMandate, "The executors' mandate does not exist in this council.", "executors");
        }
        return Verdict.Accept(new ActionCreated(id, motion.Council, motion.Id, description!.Trim(), due.Value, executors, actor));
    }

    public static Verdict Volunteer(ActionId action, CouncilId council, AccountId actor, bool isMember, bool already, ActionStatus status)
    {
        if (!isMember)
        {
            return Refusal.Forbidden(Codes.NotAMember, "Only members can volunteer.");
        }
        if (status == ActionStatus.Done)
        {
            return Refusal.Conflict(Codes.ActionDone, "This action is done.");
        }
        return already
            ? Refusal.Conflict(Codes.AlreadyVolunteered, "You volunteered for this action already.")
            : Verdict.Accept(new VolunteerConfirmed(action, council, actor));
    }

    /// <summary>Only the action's executors report progress: the mandate's holders, or the confirmed volunteers.</summary>
    public static Verdict Report(ActionId action, CouncilId council, AccountId actor, bool isExecutor, string? text, string? status, ActionStatus current)
    {
        if (!isExecutor)
        {
            return Refusal.Forbidden(Codes.NotAnExecutor, "Only the action's executors report on it: the holders of its mandate, or members who volunteered.");
        }
        if (Text.Problem(text, "text", 1, 5000) is Refusal bad)
        {
            return bad;
        }
        var next = current;
        if (status is not null && !TryParse(status, out next))
        {
            return Refusal.Invalid(Codes.InvalidField, "status must be open, in-progress, done or blocked.", "status");
        }
        return Verdict.Accept(new ActionReported(action, council, actor, text!.Trim(), next));
    }

    public static string Name(this ActionStatus status) => status == ActionStatus.InProgress ? "in-progress" : status.ToString().ToLowerInvariant();

    public static bool TryParse(string text, out ActionStatus status)
    {
        foreach (var candidate in Enum.GetValues<ActionStatus>())
        {
            if (candidate.Name() == text)
            {
                status = candidate;
                return true;
            }
        }
        status = default;
        return false;
    }

    /// <summary>Overdue: past its due date and not done.</summary>
    public static bool IsOverdue(DateTimeOffset due, ActionStatus status, DateTimeOffset now) => due < now && status != ActionStatus.Done;
}
