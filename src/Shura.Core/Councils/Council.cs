namespace Shura.Core.Councils;

/// <summary>
/// A body of people who decide together (DESIGN §2). Its founder becomes its first member and
/// holds no power any other member lacks (P4).
/// </summary>
public sealed record Council(CouncilId Id, string Name, string Description, CouncilSettings Settings, DateTimeOffset CreatedAt)
{
    /// <summary>A federation: its members are councils, represented by their delegates.</summary>
    public bool IsFederation { get; init; }
}

/// <summary>How a member came in.</summary>
public enum JoinedBy
{
    Founding,
    Open,
    Invitation,
    Admission,
}

public sealed record CouncilCreated(CouncilId Id, string Name, string Description, CouncilSettings Settings, AccountId Founder) : Event
{
    public override Guid? Council => Id.Value;

    public override string Actor => Founder.ToString();

    /// <summary>A federation has no person members: its founder starts it, and councils join it.</summary>
    public bool Federation { get; init; }
}

/// <summary>A person joined. Like <see cref="Accounts.AccountRegistered"/>, the name is in the log only sealed (<see cref="NameHash"/>); old entries carry <see cref="Name"/>.</summary>
public sealed record MemberJoined(CouncilId CouncilId, AccountId Member, string? Name, JoinedBy By) : Event
{
    public string? NameHash { get; init; }

    public override Guid? Council => CouncilId.Value;

    public override string Actor => Member.ToString();
}

public sealed record MemberLeft(CouncilId CouncilId, AccountId Member) : Event
{
    public override Guid? Council => CouncilId.Value;

    public override string Actor => Member.ToString();
}

/// <summary>A member created a single-use invitation. The link's secret never enters the log.</summary>
public sealed record InvitationCreated(CouncilId CouncilId, InvitationId Invitation, AccountId By) : Event
{
    public override Guid? Council => CouncilId.Value;

    public override string Actor => By.ToString();
}

/// <summary>The settings a motion of the members decided.</summary>
public sealed record SettingsChanged(CouncilId CouncilId, CouncilSettings Settings, MotionId By) : Event
{
    public override Guid? Council => CouncilId.Value;

    public override string Actor => "clock";
}

/// <summary>The rules of forming, joining and leaving councils.</summary>
public static class CouncilRules
{
    public static Verdict Create(CouncilId id, string? name, string? description, CouncilSettings settings, AccountId founder, string founderNameHash, bool federation = false)
    {
        if (Text.NameProblem(name, "name", 1, 200) is Refusal badName)
        {
            return badName;
        }
        if (Text.Optional(description, "description", 10_000) is Refusal badDescription)
        {
            return badDescription;
        }
        if (settings.Problem() is Refusal badSettings)
        {
            return badSettings;
        }
        var created = new CouncilCreated(id, name!.Trim(), description ?? "", settings, founder) { Federation = federation };
        return federation
            ? Verdict.Accept(created)
            : Verdict.Accept(created, new MemberJoined(id, founder, null, JoinedBy.Founding) { NameHash = founderNameHash });
    }

    /// <summary>
    /// Joining directly: open councils let anyone in; invitation councils need an unused
    /// invitation; admission councils need a motion (see <see cref="Motions.MotionRules.Apply"/>).
    /// </summary>
    public static Verdict Join(Council council, AccountId person, string nameHash, bool isMember, bool hasValidInvitation)
    {
        if (isMember)
        {
            return Refusal.Conflict(Codes.AlreadyMember, "You are already a member of this council.");
        }
        return council.Settings.JoinPolicy switch
        {
            JoinPolicy.Open => Verdict.Accept(new MemberJoined(council.Id, person, null, JoinedBy.Open) { NameHash = nameHash }),
            JoinPolicy.Invitation when hasValidInvitation => Verdict.Accept(new MemberJoined(council.Id, person, null, JoinedBy.Invitation) { NameHash = nameHash }),
            JoinPolicy.Invitation => Refusal.Forbidden(Codes.InvitationRequired, "This council admits people by invitation: ask a member for an invitation link."),
            _ => Refusal.Conflict(Codes.AdmissionByMotion, "This council admits people by a motion of its members; apply instead."),
        };
    }

    /// <summary>
    /// Leaving is always possible (DESIGN §2). From that instant the leaver's ballots, withdrawals of
    /// confidence and standing ballots stop counting: the member-left entry says so by itself, with
    /// no entry of its own for each (see <see cref="Leaving"/>).
    /// </summary>
    public static Verdict Leave(Council council, AccountId person, bool isMember) =>
        isMember
            ? Verdict.Accept(new MemberLeft(council.Id, person))
            : Refusal.Conflict(Codes.NotAMember, "You are not a member of this council.");

    public static Verdict Invite(Council council, AccountId by, bool isMember, InvitationId invitation) =>
        isMember
            ? Verdict.Accept(new InvitationCreated(council.Id, invitation, by))
            : Refusal.Forbidden(Codes.NotAMember, "Only members can invite.");
}
