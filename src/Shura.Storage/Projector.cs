using System.Text.Json;
using Shura.Core;
using Shura.Core.Accounts;
using Shura.Core.Councils;
using Shura.Core.Log;
using Shura.Core.Motions;

namespace Shura.Storage;

/// <summary>
/// Keeps the tables the API reads in step with the log: each event, as it is appended, updates
/// the rows it concerns, in the same transaction. What never enters the log — e-mail addresses,
/// password hashes, the secrets of tokens and invitations — is written by the command itself.
/// </summary>
internal static class Projector
{
    public static void Apply(WriteSession s, LogEntry entry, Event e)
    {
        string time = LogEntry.FormatTime(entry.Time);
        switch (e)
        {
            case AccountRegistered or TokenCreated or InvitationCreated:
                break; // rows written by the command, with their private fields
            case TokenRevoked revoked:
                s.Execute("UPDATE tokens SET revoked_at = @time WHERE id = @id", new { time, id = revoked.Token.ToString() });
                break;
            case CouncilCreated created:
                s.Execute("INSERT INTO councils (id, name, description, settings, created_at) VALUES (@id, @Name, @Description, @settings, @time)",
                    new { id = created.Id.ToString(), created.Name, created.Description, settings = Json(created.Settings), time });
                break;
            case MemberJoined joined:
                s.Execute("INSERT INTO members (council_id, account_id, joined_at) VALUES (@council, @account, @time)",
                    new { council = joined.CouncilId.ToString(), account = joined.Member.ToString(), time });
                break;
            case MemberLeft left:
                s.Execute("DELETE FROM members WHERE council_id = @council AND account_id = @account",
                    new { council = left.CouncilId.ToString(), account = left.Member.ToString() });
                break;
            case SettingsChanged changed:
                s.Execute("UPDATE councils SET settings = @settings WHERE id = @id",
                    new { settings = Json(changed.Settings), id = changed.CouncilId.ToString() });
                break;
            case MotionPut put:
                var motion = put.ToMotion(entry.Time);
                s.Execute("""
                    INSERT INTO motions (id, council_id, proposer, kind, title, text, options, method, seats, threshold, urgent,
                        repeals, new_settings, applicant, state, created_at, supporters)
                    VALUES (@id, @council, @proposer, @kind, @Title, @Text, @options, @method, @Seats, @threshold, @urgent,
                        @repeals, @newSettings, @applicant, @state, @time, @Supporters)
                    """, new
                {
                    id = put.Motion.ToString(), council = put.CouncilId.ToString(), proposer = put.Proposer.ToString(), kind = put.Kind.Name(),
                    put.Title, put.Text, options = Json(put.Options), method = Counting(put.Method), put.Seats, threshold = put.Threshold.Name(),
                    urgent = put.Urgent ? 1 : 0, repeals = put.Repeals?.ToString(), newSettings = put.NewSettings is null ? null : Json(put.NewSettings),
                    applicant = put.Applicant?.ToString(), state = motion.State.Name(), time, motion.Supporters,
                });
                if (motion.Supporters == 1)
                {
                    Support(s, put.Motion, put.Proposer);
                }
                break;
            case MotionProposed proposed:
                s.Execute("UPDATE motions SET state = 'proposed', supporters = 1 WHERE id = @id", new { id = proposed.Motion.ToString() });
                Support(s, proposed.Motion, proposed.By);
                break;
            case MotionSupported supported:
                s.Execute("UPDATE motions SET supporters = supporters + 1 WHERE id = @id", new { id = supported.Motion.ToString() });
                Support(s, supported.Motion, supported.Member);
                break;
            case DeliberationStarted started:
                s.Execute("UPDATE motions SET state = 'deliberation', deliberation_ends_at = @ends WHERE id = @id",
                    new { ends = LogEntry.FormatTime(started.EndsAt), id = started.Motion.ToString() });
                break;
            case AmendmentProposed amendment:
                s.Execute("INSERT INTO amendments (motion_id, number, text, author) VALUES (@id, @Number, @Text, @by)",
                    new { id = amendment.Motion.ToString(), amendment.Number, amendment.Text, by = amendment.By.ToString() });
                break;
            case AmendmentAdopted adopted:
                s.Execute("UPDATE amendments SET adopted = 1 WHERE motion_id = @id AND number = @Number", new { id = adopted.Motion.ToString(), adopted.Number });
                s.Execute("UPDATE motions SET text = (SELECT text FROM amendments WHERE motion_id = @id AND number = @Number) WHERE id = @id",
                    new { id = adopted.Motion.ToString(), adopted.Number });
                break;
            case VotingStarted voting:
                s.Execute("""
                    UPDATE motions SET state = 'voting', voting_ends_at = @ends, secret = @secret, live_results = @live, quorum = @quorum, seed = @seed
                    WHERE id = @id
                    """, new
                {
                    ends = LogEntry.FormatTime(voting.EndsAt), secret = voting.Secret ? 1 : 0, live = voting.LiveResults ? 1 : 0,
                    quorum = voting.Quorum?.ToString(), seed = entry.Hash, id = voting.Motion.ToString(),
                });
                break;
            case BallotCast cast:
                s.Execute("""
                    INSERT INTO ballots (motion_id, voter, ballot, cast_at, receipt) VALUES (@id, @Voter, @ballot, @time, @receipt)
                    ON CONFLICT (motion_id, voter) DO UPDATE SET ballot = excluded.ballot, cast_at = excluded.cast_at, receipt = excluded.receipt
                    """, new { id = cast.Motion.ToString(), cast.Voter, ballot = Json(cast.Ballot), time, receipt = entry.Hash });
                break;
            case BallotWithdrawn withdrawn:
                s.Execute("DELETE FROM ballots WHERE motion_id = @id AND voter = @Voter", new { id = withdrawn.Motion.ToString(), withdrawn.Voter });
                break;
            case MotionClosed closed:
                s.Execute("UPDATE motions SET state = @state, decided_at = @time, electorate = @Electorate, result = @Result WHERE id = @id",
                    new { state = closed.Outcome.Name(), time, closed.Electorate, closed.Result, id = closed.Motion.ToString() });
                break;
            case MotionRepealed repealed:
                s.Execute("UPDATE motions SET state = 'repealed' WHERE id = @id", new { id = repealed.Motion.ToString() });
                break;
            default:
                throw new InvalidOperationException($"No projection for {e.GetType().Name}.");
        }
    }

    private static void Support(WriteSession s, MotionId motion, AccountId member) =>
        s.Execute("INSERT INTO supports (motion_id, account_id) VALUES (@motion, @member)", new { motion = motion.ToString(), member = member.ToString() });

    public static string Json<T>(T value) => JsonSerializer.Serialize(value, EventJson.Options);

    public static T FromJson<T>(string json) => JsonSerializer.Deserialize<T>(json, EventJson.Options)!;

    private static string Counting(Core.Counting.TallyMethod method) => Core.Counting.TallyMethods.Name(method);
}
