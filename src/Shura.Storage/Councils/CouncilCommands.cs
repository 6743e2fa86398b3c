using Shura.Core.Councils;
using Shura.Core.Motions;
using Shura.Storage.Motions;

namespace Shura.Storage.Councils;

/// <summary>The result of asking to join: in at once, or an admission motion for the members to decide.</summary>
public sealed record Joining(bool Joined, MotionId? Application);

/// <summary>Forming, joining and leaving councils; invitations; settings by motion.</summary>
public static class CouncilCommands
{
    public static Result<CouncilId> Create(WriteSession s, AccountId founder, string? name, string? description, CouncilSettings settings, bool federation = false)
    {
        var id = new CouncilId(Guid.CreateVersion7(s.Now));
        s.Lock(id);
        var verdict = Core.Councils.CouncilRules.Create(id, name, description, settings, founder, NameInLog(s, founder), federation);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        s.Append(verdict);
        return id;
    }

    /// <param name="invitationSecret">The secret from an invitation link, for councils that admit by invitation.</param>
    public static Result<Joining> Join(WriteSession s, CouncilId councilId, AccountId person, string? invitationSecret)
    {
        s.Lock(councilId);
        if (Load(s, councilId) is not { } council)
        {
            return Refusal.NotFound("This council");
        }
        if (council.IsFederation)
        {
            return Refusal.Conflict(Codes.CouncilsOnly, "A federation's members are councils: a council joins it by a federate motion of its own members.");
        }
        bool isMember = IsMember(s, councilId, person);
        string? invitationId = invitationSecret is null ? null : s.Scalar<string>(
            "SELECT id FROM invitations WHERE council_id = @council AND secret_hash = @hash AND used_by IS NULL",
            new { council = councilId, hash = Secrets.Hash(invitationSecret) });
        // A members-only council does not exist for those outside it, unless a member invited them (DESIGN §2).
        if (council.Settings.Visibility == Visibility.Members && !isMember && invitationId is null)
        {
            return Refusal.NotFound("This council");
        }
        string nameHash = NameInLog(s, person);
        if (council.Settings.JoinPolicy == JoinPolicy.Admission && !isMember)
        {
            bool applied = s.Scalar<long>(
                "SELECT COUNT(*) FROM motions WHERE council_id = @council AND kind = 'admission' AND applicant = @person AND state IN ('proposed','deliberation','voting')",
                new { council = councilId, person }) > 0;
            var motion = new MotionId(Guid.CreateVersion7(s.Now));
            var application = Core.Motions.MotionRules.Apply(motion, council, person, isMember, applied, s.Now);
            if (application.Refusal is { } notApplied)
            {
                return notApplied;
            }
            s.Append(application);
            return new Joining(false, motion);
        }

        var verdict = Core.Councils.CouncilRules.Join(council, person, nameHash, isMember, invitationId is not null);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        if (invitationId is not null && council.Settings.JoinPolicy == JoinPolicy.Invitation)
        {
            s.Execute("UPDATE invitations SET used_by = @person, used_at = @time WHERE id = @id",
                new { person, time = s.Time, id = invitationId });
        }
        s.Append(verdict);
        return new Joining(true, null);
    }

    public static Result<bool> Leave(WriteSession s, CouncilId councilId, AccountId person)
    {
        s.Lock(councilId);
        if (Load(s, councilId) is not { } council)
        {
            return Refusal.NotFound("This council");
        }
        var verdict = Core.Councils.CouncilRules.Leave(council, person, IsMember(s, councilId, person));
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        // The leaver's seats fall vacant and their delegations end; then the smaller electorate may tip a recall.
        s.Append(Verdict.Accept([.. Mandates.MandateCommands.LeaverTakes(s, councilId, person).ToList(), .. verdict.Events]));
        Mandates.MandateCommands.RecallWhereDue(s, councilId);
        return true;
    }

    /// <summary>A member creates a single-use invitation; returns its secret, which only the link carries.</summary>
    public static Result<string> Invite(WriteSession s, CouncilId councilId, AccountId by)
    {
        s.Lock(councilId);
        if (Load(s, councilId) is not { } council)
        {
            return Refusal.NotFound("This council");
        }
        var id = new InvitationId(Guid.CreateVersion7(s.Now));
        var verdict = Core.Councils.CouncilRules.Invite(council, by, IsMember(s, councilId, by), id);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        string secret = Secrets.Create("invite_");
        s.Execute("INSERT INTO invitations (id, council_id, secret_hash, created_by, created_at) VALUES (@id, @council, @hash, @by, @time)",
            new { id, council = councilId, hash = Secrets.Hash(secret), by, time = s.Time });
        s.Append(verdict);
        return secret;
    }

    public const int InvitationsPerDay = 2000;

    /// <summary>
    /// A member invites a list of people in one step: one single-use invitation each, and an e-mail
    /// carrying it (<paramref name="mail"/> writes it around the person's name and the invitation's
    /// secret). All or none: a refusal for one invites nobody.
    /// </summary>
    public static Result<int> InviteMany(WriteSession s, CouncilId councilId, AccountId by, IReadOnlyList<(string Name, string Email)> people,
        Func<string, string, (string Subject, string Body)> mail)
    {
        // A server must not become anyone's mass mailer: one person sends at most this many invitations a day.
        long lately = s.Scalar<long>("SELECT COUNT(*) FROM invitations WHERE created_by = @by AND created_at > @dayAgo",
            new { by, dayAgo = Core.Log.LogEntry.FormatTime(s.Now - TimeSpan.FromDays(1)) });
        if (lately + people.Count > InvitationsPerDay)
        {
            return Refusal.TooMany(Codes.TooManyCreations, $"One person sends at most {InvitationsPerDay} invitations a day; you have sent {lately} since this time yesterday.");
        }
        foreach (var (name, email) in people)
        {
            var invited = Invite(s, councilId, by);
            if (invited.Refusal is { } refused)
            {
                return refused;
            }
            var (subject, body) = mail(name, invited.Value!);
            s.Execute("INSERT INTO account_mails (id, account_id, email, subject, body, created_at) VALUES (@id, '', @email, @subject, @body, @now)",
                new { id = Guid.CreateVersion7(s.Now).ToString(), email, subject, body, now = s.Time });
        }
        return people.Count;
    }

    internal static Council? Load(WriteSession s, CouncilId id) =>
        s.Single<Rows.CouncilRow>(Rows.CouncilById, new { id })?.ToCouncil();

    /// <summary>Whether the person may read the council: anyone a public one; its members (and, for a federation, those below it) a members-only one.</summary>
    internal static bool MayRead(WriteSession s, CouncilId council, AccountId person) =>
        Load(s, council) is { } found && (found.Settings.Visibility == Visibility.Public
            || Membership.IsMember(s.Connection, s.Transaction, council, person)
            || (found.IsFederation && Membership.IsBasePerson(s.Connection, s.Transaction, council, person)));

    internal static bool IsMember(WriteSession s, CouncilId council, AccountId account) =>
        Membership.IsMember(s.Connection, s.Transaction, council, account);

    internal static int MemberCount(WriteSession s, CouncilId council) =>
        (int)Membership.Count(s.Connection, s.Transaction, council);

    /// <summary>A person's name as the log holds it: its salted hash, the name itself staying beside the log, erasable.</summary>
    internal static string NameInLog(WriteSession s, AccountId account) =>
        s.Scalar<string>("SELECT name_hash FROM accounts WHERE id = @id", new { id = account }) ?? "";
}
