using System.Text.Json;
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
    /// <summary>
    /// The hashes of every text something standing still says — a comment's versions, a post's title
    /// and text, a call's place — which an erasure leaves kept (texts are kept once, by hash).
    /// </summary>
    private const string StillSaid = """
        SELECT v.text_hash FROM comment_versions v JOIN comments c ON c.id = v.comment_id WHERE c.deleted = 0
        UNION SELECT title_hash FROM posts WHERE deleted = 0 UNION SELECT text_hash FROM posts WHERE deleted = 0
        UNION SELECT c.place_hash FROM calls c JOIN posts p ON p.id = c.post_id WHERE p.deleted = 0
        UNION SELECT i.description_hash FROM images i JOIN posts p ON p.id = i.post_id WHERE p.deleted = 0
        """;

    /// <summary>The images a post standing still shows, whose bytes an erasure leaves kept.</summary>
    private const string StillShown = "SELECT i.hash FROM images i JOIN posts p ON p.id = i.post_id WHERE p.deleted = 0";

    /// <summary>A post taken back or erased takes its images' bytes with it, unless a post still standing shows the same.</summary>
    private static void ForgetImages(WriteSession s, string post) =>
        s.Write($"DELETE FROM image_bytes WHERE hash IN (SELECT hash FROM images WHERE post_id = @post) AND hash NOT IN ({StillShown})", new { post });

    /// <summary>The hashes of a post's words: its title, its text, for a call to action its place, and its images' descriptions.</summary>
    private const string PostTexts = """
        SELECT title_hash FROM posts WHERE id = @id UNION SELECT text_hash FROM posts WHERE id = @id UNION SELECT place_hash FROM calls WHERE post_id = @id
        UNION SELECT description_hash FROM images WHERE post_id = @id
        """;

    /// <summary>
    /// A notice of this entry (Notifications/NoticeQueries): for the whole council, or, with
    /// <paramref name="people"/> (a SELECT of account ids named "person", which may use @a and @b),
    /// for each person it names. A notice <paramref name="due"/> later than its entry (voting closes
    /// soon, a pledge missed, an action overdue) waits until then, and is taken back
    /// (<see cref="TakeBackNotices"/>) if what it foretells does not come.
    /// </summary>
    private static void Notice(WriteSession s, LogEntry entry, CouncilId council, string kind, string subject, string? people = null, string? a = null, string? b = null,
        DateTimeOffset? due = null)
    {
        var row = new NoticeRow(entry.Chain, entry.Sequence, council.ToString(), kind, subject, LogEntry.FormatTime(due ?? entry.Time), a, b);
        s.Write(people is null
            ? "INSERT INTO notices (chain, seq, person, council_id, kind, subject, at) VALUES (@Chain, @Seq, '', @Council, @Kind, @Subject, @At) ON CONFLICT DO NOTHING"
            // "WHERE true" keeps SQLite from reading ON CONFLICT as a join's ON.
            : $"INSERT INTO notices (chain, seq, person, council_id, kind, subject, at) SELECT @Chain, @Seq, named.person, @Council, @Kind, @Subject, @At FROM ({people}) named WHERE true ON CONFLICT DO NOTHING",
            row);
    }

    /// <summary>A column's text as a LIKE pattern matching it literally (its %, _ and ! escaped with !).</summary>
    private static string LikeEscaped(string column) => $"replace(replace(replace({column}, '!', '!!'), '%', '!%'), '_', '!_')";

    /// <summary>Notices of this kind about this subject still to come (for one person, or all): what they foretold will not happen.</summary>
    private static void TakeBackNotices(WriteSession s, LogEntry entry, string kind, string subject, string? person = null) =>
        s.Write("DELETE FROM notices WHERE subject = @subject AND kind = @kind AND at > @time AND (@person = '' OR person = @person)",
            new { subject, kind, time = LogEntry.FormatTime(entry.Time), person = person ?? "" });

    /// <summary>
    /// When "voting closes soon" is told: a day before the end, or half-way through a vote shorter
    /// than two days — never at the moment voting opens, which its own notice tells.
    /// </summary>
    public static DateTimeOffset ClosesSoonAt(DateTimeOffset opened, DateTimeOffset ends) =>
        ends - TimeSpan.FromTicks(Math.Min(TimeSpan.FromDays(1).Ticks, (ends - opened).Ticks / 2));

    /// <summary>A proposal that does not have the support it needs yet tells every member (one that has it moves on at once, in the same command).</summary>
    private static void SupportMayBeNeeded(WriteSession s, LogEntry entry, CouncilId council, MotionId motion, int supporters)
    {
        var found = s.Query<(string Settings, long Members)>("SELECT settings, member_count FROM councils WHERE id = @council", new { council }).Single();
        if (supporters < FromJson<CouncilSettings>(found.Settings).SupportNeeded((int)found.Members))
        {
            Notice(s, entry, council, "support-needed", motion.ToString());
        }
    }

    /// <summary>
    /// A call below its threshold tells its pledgers, at its deadline, that it will not go ahead —
    /// unless it goes ahead before then, or they take their pledge back (<see cref="TakeBackNotices"/>).
    /// </summary>
    private static void PledgeMayBeMissed(WriteSession s, LogEntry entry, CouncilId council, string post, string pledgers, string? person = null)
    {
        var call = s.Query<(string? Deadline, long Ahead)>("SELECT deadline, going_ahead FROM calls WHERE post_id = @post", new { post }).Single();
        if (call.Deadline is { } deadline && call.Ahead == 0)
        {
            Notice(s, entry, council, "pledge-missed", post, pledgers, post, person, due: LogEntry.ParseTime(deadline));
        }
    }

    /// <summary>
    /// Something a council's followers on the federated social web are to hear of (Fediverse/Outbox):
    /// written with the event, fanned out to their inboxes afterwards — or to nobody, should the
    /// council be members-only or followed by none then.
    /// </summary>
    private static void Announce(WriteSession s, LogEntry entry, CouncilId council, string kind, string subject)
    {
        if (kind == "delete")
        {
            // What was said of it goes from the outbox too: the words told before (kept for their
            // deliveries) and any delivery of them not made yet — only the deletion is still to go.
            s.Write("""
                DELETE FROM ap_deliveries WHERE sent_at IS NULL
                  AND activity_id IN (SELECT id FROM ap_activities WHERE subject = @subject)
                """, new { subject });
            s.Write("UPDATE ap_activities SET body = NULL WHERE subject = @subject AND body IS NOT NULL", new { subject });
        }
        s.Write("INSERT INTO ap_activities (id, council_id, kind, subject, at, seq) VALUES (@id, @council, @kind, @subject, @time, @seq)",
            new { id = Guid.CreateVersion7(entry.Time).ToString(), council, kind, subject, time = LogEntry.FormatTime(entry.Time), seq = entry.Sequence });
    }

    private static void CommentChanged(WriteSession s, CommentId comment, string hash, string time)
    {
        s.Write("UPDATE comments SET text_hash = @hash, edited_at = @time WHERE id = @id", new { hash, time, id = comment });
        s.Write("""
            INSERT INTO comment_versions (comment_id, number, text_hash, at)
            SELECT @id, COALESCE(MAX(number), 0) + 1, @hash, @time FROM comment_versions WHERE comment_id = @id
            """, new { id = comment, hash, time });
    }

    private static void CommentTakenBack(WriteSession s, CommentId comment)
    {
        s.Write("UPDATE comments SET deleted = 1 WHERE id = @id", new { id = comment });
        // Its words go, every version of them, unless a comment still standing says the same.
        s.Write($"""
            DELETE FROM texts WHERE hash IN (SELECT text_hash FROM comment_versions WHERE comment_id = @id)
            AND hash NOT IN ({StillSaid})
            """, new { id = comment });
    }

    private sealed record NoticeRow(string Chain, long Seq, string Council, string Kind, string Subject, string At, string? A, string? B);

    public static void Apply(WriteSession s, LogEntry entry, Event e)
    {
        string time = LogEntry.FormatTime(entry.Time);
        switch (e)
        {
            case AccountRegistered or TokenCreated or InvitationCreated:
                break; // rows written by the command, with their private fields
            case AccountRenamed renamed:
                s.Write("UPDATE accounts SET name_hash = @NameHash WHERE id = @id", new { id = renamed.Account, renamed.NameHash });
                break;
            case AccountDeleted deleted:
                // The command erased the private part; here what the log decides: since when, and the name no more.
                s.Write("UPDATE accounts SET name = @former, name_salt = NULL, deleted_at = @time WHERE id = @id",
                    new { id = deleted.Account, former = Registration.FormerMember, time });
                break;
            case TokenRevoked revoked:
                s.Write("UPDATE tokens SET revoked_at = @time WHERE id = @id", new { time, id = revoked.Token });
                break;
            case CouncilCreated created:
                s.Write("INSERT INTO councils (id, name, description, settings, created_at, federation) VALUES (@id, @Name, @Description, @settings, @time, @federation)",
                    new { id = created.Id, created.Name, created.Description, settings = Json(created.Settings), time, federation = created.Federation ? 1 : 0 });
                Fediverse.Handles.Assign(s.Connection, s.Transaction, created.Id.Value, created.Name);
                break;
            case MemberJoined joined:
                s.Write("INSERT INTO members (council_id, account_id, joined_at) VALUES (@council, @account, @time)",
                    new { council = joined.CouncilId, account = joined.Member, time });
                // Counted as it changes: thresholds are computed against it on every vote and withdrawal.
                s.Write("UPDATE councils SET member_count = member_count + 1 WHERE id = @council", new { council = joined.CouncilId });
                break;
            case MemberLeft left:
                s.Write("DELETE FROM members WHERE council_id = @council AND account_id = @account",
                    new { council = left.CouncilId, account = left.Member });
                s.Write("UPDATE councils SET member_count = member_count - 1 WHERE id = @council", new { council = left.CouncilId });
                s.Write("DELETE FROM public_delegates WHERE council_id = @council AND account_id = @account",
                    new { council = left.CouncilId, account = left.Member });
                DropLeaver(s, left.CouncilId, left.Member);
                break;
            case SettingsChanged changed:
                s.Write("UPDATE councils SET settings = @settings WHERE id = @id",
                    new { settings = Json(changed.Settings), id = changed.CouncilId });
                Fediverse.Followers.ForgetBlocked(s, changed.CouncilId, changed.Settings.BlockedServers);
                break;
            case MotionPut put:
                var motion = put.ToMotion(entry.Time);
                s.Write("""
                    INSERT INTO motions (id, council_id, proposer, kind, title, text, options, method, seats, threshold, urgent,
                        repeals, new_settings, applicant, state, created_at, supporters, mandate, by_election, holder, federation, federation_motion, instruction,
                        settings_change, moderates)
                    VALUES (@id, @council, @proposer, @kind, @Title, @Text, @options, @method, @Seats, @threshold, @urgent,
                        @repeals, @newSettings, @applicant, @state, @time, @Supporters, @mandate, @byElection, @holder, @federation, @federationMotion, @instruction,
                        @changes, @moderates)
                    """, new
                {
                    changes = put.Changes is null ? null : Json(put.Changes),
                    moderates = put.Moderates is null ? null : Json(put.Moderates),
                    mandate = put.Mandate, byElection = put.ByElection ? 1 : 0, holder = put.Holder,
                    federation = put.Federation, federationMotion = put.FederationMotion,
                    instruction = put.Instruction is null ? null : Json(put.Instruction),
                    id = put.Motion, council = put.CouncilId, proposer = put.Proposer, kind = put.Kind.Name(),
                    put.Title, put.Text, options = Json(put.Options), method = Counting(put.Method), put.Seats, threshold = put.Threshold.Name(),
                    urgent = put.Urgent ? 1 : 0, repeals = put.Repeals, newSettings = put.NewSettings is null ? null : Json(put.NewSettings),
                    applicant = put.Applicant, state = motion.State.Name(), time, motion.Supporters,
                });
                if (motion.Supporters == 1)
                {
                    Support(s, put.Motion, put.Proposer);
                }
                // A seat to fill (a by-election opened by a recall or a leaver) and a recall under way concern every member.
                if (put.ByElection)
                {
                    Notice(s, entry, put.CouncilId, "seat-to-fill", put.Motion.ToString());
                }
                else if (put.Kind == MotionKind.Recall && !put.Draft)
                {
                    Notice(s, entry, put.CouncilId, "recall-under-way", put.Motion.ToString());
                }
                else if (motion.State == MotionState.Proposed && !put.Urgent)
                {
                    SupportMayBeNeeded(s, entry, put.CouncilId, put.Motion, motion.Supporters);
                }
                break;
            case MotionProposed proposed:
                s.Write("UPDATE motions SET state = 'proposed', supporters = 1 WHERE id = @id", new { id = proposed.Motion });
                Support(s, proposed.Motion, proposed.By);
                SupportMayBeNeeded(s, entry, proposed.CouncilId, proposed.Motion, 1);
                break;
            case MotionSupported supported:
                s.Write("UPDATE motions SET supporters = supporters + 1 WHERE id = @id", new { id = supported.Motion });
                Support(s, supported.Motion, supported.Member);
                break;
            case MotionScheduled:
                // Nothing to store: the deliberation-started entry that follows moves the motion on.
                break;
            case DeliberationStarted started:
                s.Write("UPDATE motions SET state = 'deliberation', deliberation_ends_at = @ends WHERE id = @id",
                    new { ends = LogEntry.FormatTime(started.EndsAt), id = started.Motion });
                break;
            case Core.Feed.PostPublished published:
                s.Write("""
                    INSERT INTO posts (id, council_id, kind, author, title_hash, text_hash, published_at, seq)
                    VALUES (@id, @council, @kind, @by, @title, @text, @time, @seq)
                    """, new
                {
                    id = published.Post, council = published.CouncilId, kind = Core.Feed.FeedRules.Name(published.Kind), by = published.By,
                    title = published.TitleHash, text = published.TextHash, time, seq = entry.Sequence,
                });
                Announce(s, entry, published.CouncilId, "create", $"post:{published.Post}");
                break;
            case Core.Feed.CallPublished call:
                s.Write("""
                    INSERT INTO posts (id, council_id, kind, author, title_hash, text_hash, published_at, seq)
                    VALUES (@id, @council, 'call', @by, @title, @text, @time, @seq)
                    """, new { id = call.Post, council = call.CouncilId, by = call.By, title = call.TitleHash, text = call.TextHash, time, seq = entry.Sequence });
                s.Write("""
                    INSERT INTO calls (post_id, place_hash, starts_at, threshold, deadline, ends_at) VALUES (@id, @place, @starts, @threshold, @deadline, @ends)
                    """, new
                {
                    id = call.Post, place = call.PlaceHash, starts = LogEntry.FormatTime(call.StartsAt), threshold = (long?)call.Threshold,
                    deadline = call.Deadline is { } d ? LogEntry.FormatTime(d) : null, ends = call.EndsAt is { } endsAt ? LogEntry.FormatTime(endsAt) : null,
                });
                Announce(s, entry, call.CouncilId, "create", $"post:{call.Post}");
                break;
            case Core.Feed.Pledged pledged:
                s.Write("INSERT INTO pledges (post_id, person, at) VALUES (@id, @by, @time)", new { id = pledged.Post, by = pledged.By, time });
                s.Write("UPDATE calls SET pledges = pledges + 1 WHERE post_id = @id", new { id = pledged.Post });
                PledgeMayBeMissed(s, entry, pledged.CouncilId, pledged.Post.ToString(), "SELECT @B AS person", pledged.By.ToString());
                break;
            case Core.Feed.PledgeWithdrawn withdrawn:
                s.Write("DELETE FROM pledges WHERE post_id = @id AND person = @by", new { id = withdrawn.Post, by = withdrawn.By });
                s.Write("UPDATE calls SET pledges = pledges - 1 WHERE post_id = @id", new { id = withdrawn.Post });
                TakeBackNotices(s, entry, "pledge-missed", withdrawn.Post.ToString(), withdrawn.By.ToString());
                break;
            case Core.Feed.CallOn on:
                s.Write("UPDATE calls SET going_ahead = 1 WHERE post_id = @id", new { id = on.Post });
                Notice(s, entry, on.CouncilId, "call-on", on.Post.ToString(), "SELECT person FROM pledges WHERE post_id = @A", on.Post.ToString());
                TakeBackNotices(s, entry, "pledge-missed", on.Post.ToString());
                Announce(s, entry, on.CouncilId, "update", $"post:{on.Post}");
                break;
            case Core.Feed.CallOff off:
                s.Write("UPDATE calls SET going_ahead = 0 WHERE post_id = @id", new { id = off.Post });
                PledgeMayBeMissed(s, entry, off.CouncilId, off.Post.ToString(), "SELECT person FROM pledges WHERE post_id = @A");
                Announce(s, entry, off.CouncilId, "update", $"post:{off.Post}");
                break;
            case Core.Feed.ImageAttached image:
                s.Write("""
                    INSERT INTO images (id, post_id, council_id, hash, content_type, width, height, description_hash, seq)
                    VALUES (@id, @post, @council, @Hash, @ContentType, @Width, @Height, @DescriptionHash, @seq)
                    """, new { id = image.Image, post = image.Post, council = image.CouncilId, image.Hash, image.ContentType, image.Width, image.Height, image.DescriptionHash, seq = entry.Sequence });
                Announce(s, entry, image.CouncilId, "update", $"post:{image.Post}");
                break;
            case Core.Feed.PostDeleted deletedPost:
                s.Write("UPDATE posts SET deleted = 1 WHERE id = @id", new { id = deletedPost.Post });
                Announce(s, entry, deletedPost.CouncilId, "delete", $"post:{deletedPost.Post}");
                TakeBackNotices(s, entry, "pledge-missed", deletedPost.Post.ToString());
                ForgetImages(s, deletedPost.Post.ToString());
                // Its title and text go, unless something still standing says the same.
                s.Write($"""
                    DELETE FROM texts WHERE hash IN ({PostTexts})
                    AND hash NOT IN ({StillSaid})
                    """, new { id = deletedPost.Post });
                break;
            case Core.Moderation.TextFlagged flagged:
                s.Write("INSERT INTO flags (target, flagger, at) VALUES (@key, @Flagger, @time)", new { key = flagged.Text.Key, flagged.Flagger, time });
                break;
            case Core.Moderation.TextUnflagged unflagged:
                s.Write("DELETE FROM flags WHERE target = @key AND flagger = @Flagger", new { key = unflagged.Text.Key, unflagged.Flagger });
                break;
            case Core.Moderation.TextHidden hidden:
                s.Write($"UPDATE {Moderation.ModerationCommands.Table(hidden.Text)} SET hidden_by = @motion WHERE id = @id", new { motion = hidden.By, id = Moderation.ModerationCommands.Id(hidden.Text) });
                if (hidden.Text.Post is { } hiddenPost)
                {
                    // Hidden while the members decide: gone from the followers' timelines too, as a deletion can only say.
                    Announce(s, entry, hidden.CouncilId, "delete", $"post:{hiddenPost}");
                }
                // Its author is told.
                Notice(s, entry, hidden.CouncilId, "text-hidden", hidden.By.ToString(), $"SELECT author AS person FROM {Moderation.ModerationCommands.Table(hidden.Text)} WHERE id = @A AND author <> '{Core.Discussion.FediverseReplied.From}'", Moderation.ModerationCommands.Id(hidden.Text));
                break;
            case Core.Moderation.TextRestored restored:
                s.Write($"UPDATE {Moderation.ModerationCommands.Table(restored.Text)} SET hidden_by = NULL WHERE id = @id", new { id = Moderation.ModerationCommands.Id(restored.Text) });
                if (restored.Text.Post is { } restoredPost)
                {
                    Announce(s, entry, restored.CouncilId, "create", $"post:{restoredPost}");
                }
                // Its flags start over: hiding it again takes as many members again.
                s.Write("DELETE FROM flags WHERE target = @key", new { key = restored.Text.Key });
                break;
            case Core.Moderation.TextErased erased:
                // Erased by the members (deleted = 2, as against 1, taken back by the author): the words go, the log keeps their hashes.
                s.Write($"UPDATE {Moderation.ModerationCommands.Table(erased.Text)} SET deleted = 2 WHERE id = @id", new { id = Moderation.ModerationCommands.Id(erased.Text) });
                if (erased.Text.Comment is { } erasedComment)
                {
                    // A reply from another server: who wrote it goes with its words.
                    s.Write("DELETE FROM texts WHERE hash = (SELECT remote_author FROM comments WHERE id = @id)", new { id = erasedComment });
                    s.Write("UPDATE ap_replies SET actor = NULL WHERE comment_id = @id", new { id = erasedComment });
                }
                if (erased.Text.Post is { } erasedPost)
                {
                    Announce(s, entry, erased.CouncilId, "delete", $"post:{erasedPost}");
                    ForgetImages(s, erasedPost.ToString());
                }
                s.Write($"""
                    DELETE FROM texts WHERE hash IN ({(erased.Text.Comment is null ? PostTexts : "SELECT text_hash FROM comment_versions WHERE comment_id = @id")})
                    AND hash NOT IN ({StillSaid})
                    """, new { id = Moderation.ModerationCommands.Id(erased.Text) });
                break;
            case Core.Discussion.CommentPosted posted:
                s.Write("""
                    INSERT INTO comments (id, council_id, motion_id, post_id, reply_to, author, text_hash, posted_at, seq)
                    VALUES (@id, @council, @motion, @post, @replyTo, @by, @hash, @time, @seq)
                    """, new
                {
                    id = posted.Comment, council = posted.CouncilId, motion = posted.Motion?.ToString(), post = posted.Post?.ToString(),
                    replyTo = posted.ReplyTo?.ToString(), by = posted.By, hash = posted.TextHash, time, seq = entry.Sequence,
                });
                s.Write("INSERT INTO comment_versions (comment_id, number, text_hash, at) VALUES (@id, 1, @hash, @time)",
                    new { id = posted.Comment, hash = posted.TextHash, time });
                if (posted.ReplyTo is { } answered)
                {
                    // The author of the comment answered is told (not when they answer themselves).
                    Notice(s, entry, posted.CouncilId, "reply", posted.Comment.ToString(),
                        "SELECT author AS person FROM comments WHERE id = @A AND author <> @B AND remote_author IS NULL", answered.ToString(), posted.By.ToString());
                }
                // Members it names with an @ before their whole name ("@Leyla Ahmadi") are told, but not its author nor one told of the reply already.
                Notice(s, entry, posted.CouncilId, "mention", posted.Comment.ToString(), $"""
                    SELECT m.account_id AS person FROM members m JOIN accounts a ON a.id = m.account_id JOIN texts t ON t.hash = @A
                    WHERE m.council_id = @Council AND m.account_id <> @B AND a.deleted_at IS NULL AND a.name <> ''
                      AND t.body LIKE '%@' || {LikeEscaped("a.name")} || '%' ESCAPE '!'
                      AND NOT EXISTS (SELECT 1 FROM notices n WHERE n.chain = @Chain AND n.seq = @Seq AND n.person = m.account_id)
                    """, posted.TextHash, posted.By.ToString());
                break;
            case Core.Discussion.FediverseReplied reply:
                s.Write("""
                    INSERT INTO comments (id, council_id, motion_id, post_id, reply_to, author, remote_author, text_hash, posted_at, seq)
                    VALUES (@id, @council, NULL, @post, @replyTo, @by, @authorHash, @hash, @time, @seq)
                    """, new
                {
                    id = reply.Comment, council = reply.CouncilId, post = reply.Post.ToString(), replyTo = reply.ReplyTo?.ToString(), by = Core.Discussion.FediverseReplied.From,
                    authorHash = reply.AuthorHash, hash = reply.TextHash, time, seq = entry.Sequence,
                });
                s.Write("INSERT INTO comment_versions (comment_id, number, text_hash, at) VALUES (@id, 1, @hash, @time)",
                    new { id = reply.Comment, hash = reply.TextHash, time });
                break;
            case Core.Discussion.CommentEdited edited:
                CommentChanged(s, edited.Comment, edited.TextHash, time);
                break;
            case Core.Discussion.FediverseReplyEdited remoteEdit:
                CommentChanged(s, remoteEdit.Comment, remoteEdit.TextHash, time);
                break;
            case Core.Discussion.CommentDeleted deleted:
                CommentTakenBack(s, deleted.Comment);
                break;
            case Core.Discussion.FediverseReplyDeleted remoteDelete:
                CommentTakenBack(s, remoteDelete.Comment);
                // Who wrote it goes with its words, and the address of their reply with them.
                s.Write("DELETE FROM texts WHERE hash = (SELECT remote_author FROM comments WHERE id = @id)", new { id = remoteDelete.Comment });
                s.Write("UPDATE ap_replies SET actor = NULL WHERE comment_id = @id", new { id = remoteDelete.Comment });
                break;
            case AmendmentProposed amendment:
                s.Write("INSERT INTO amendments (motion_id, number, text, author) VALUES (@id, @Number, @Text, @by)",
                    new { id = amendment.Motion, amendment.Number, amendment.Text, by = amendment.By });
                break;
            case CounterProposed counter:
                s.Write("INSERT INTO counter_proposals (motion_id, number, text, author) VALUES (@id, @Number, @Text, @by)",
                    new { id = counter.Motion, counter.Number, counter.Text, by = counter.By });
                break;
            case AmendmentAdopted adopted:
                s.Write("UPDATE amendments SET adopted = 1 WHERE motion_id = @id AND number = @Number", new { id = adopted.Motion, adopted.Number });
                s.Write("UPDATE motions SET text = (SELECT text FROM amendments WHERE motion_id = @id AND number = @Number) WHERE id = @id",
                    new { id = adopted.Motion, adopted.Number });
                break;
            case VotingStarted voting:
                Notice(s, entry, voting.CouncilId, "voting-open", voting.Motion.ToString());
                Notice(s, entry, voting.CouncilId, "closes-soon", voting.Motion.ToString(), due: ClosesSoonAt(entry.Time, voting.EndsAt));
                // A decision with counter-proposals is voted as a ranked choice among them (Motion.Contested).
                long counterProposals = s.Scalar<long>("SELECT COUNT(*) FROM counter_proposals WHERE motion_id = @id", new { id = voting.Motion });
                if (counterProposals > 0)
                {
                    s.Write("UPDATE motions SET options = @options, method = @method WHERE id = @id AND kind = 'decision'", new
                    {
                        options = Json(CounterProposals.Options((int)counterProposals)), method = Counting(Core.Counting.TallyMethod.Schulze), id = voting.Motion,
                    });
                }
                s.Write("""
                    UPDATE motions SET state = 'voting', voting_ends_at = @ends, secret = @secret, live_results = @live, quorum = @quorum, seed = @seed
                    WHERE id = @id
                    """, new
                {
                    ends = LogEntry.FormatTime(voting.EndsAt), secret = voting.Secret ? 1 : 0, live = voting.LiveResults ? 1 : 0,
                    quorum = voting.Quorum?.ToString(), seed = entry.Hash, id = voting.Motion,
                });
                break;
            case BallotCast cast:
                s.Write("""
                    INSERT INTO ballots (motion_id, voter, ballot, cast_at, receipt) VALUES (@id, @Voter, @ballot, @time, @receipt)
                    ON CONFLICT (motion_id, voter) DO UPDATE SET ballot = excluded.ballot, cast_at = excluded.cast_at, receipt = excluded.receipt
                    """, new { id = cast.Motion, cast.Voter, ballot = Json(cast.Ballot), time, receipt = entry.Hash });
                break;
            case BallotWithdrawn withdrawn:
                s.Write("DELETE FROM ballots WHERE motion_id = @id AND voter = @Voter", new { id = withdrawn.Motion, withdrawn.Voter });
                break;
            case MotionClosed closed:
                Notice(s, entry, closed.CouncilId, "result", closed.Motion.ToString());
                TakeBackNotices(s, entry, "closes-soon", closed.Motion.ToString());
                s.Write("UPDATE motions SET state = @state, decided_at = @time, electorate = @Electorate, result = @Result WHERE id = @id",
                    new { state = closed.Outcome.Name(), time, closed.Electorate, closed.Result, id = closed.Motion });
                Announce(s, entry, closed.CouncilId, "create", $"motion:{closed.Motion}");
                break;
            case MotionLapsed lapsed:
                s.Write("UPDATE motions SET state = 'lapsed', decided_at = @time WHERE id = @id", new { time, id = lapsed.Motion });
                TakeBackNotices(s, entry, "closes-soon", lapsed.Motion.ToString());
                break;
            case MotionRepealed repealed:
                s.Write("UPDATE motions SET state = 'repealed' WHERE id = @id", new { id = repealed.Motion });
                s.Write("UPDATE instructions SET active = 0 WHERE instruction_motion = @id", new { id = repealed.Motion });
                break;
            case CandidateNominated nominated:
                var options = FromJson<List<string>>(s.Scalar<string>("SELECT options FROM motions WHERE id = @id", new { id = nominated.Motion })!);
                options.Add(nominated.Candidate.ToString());
                s.Write("UPDATE motions SET options = @options, seats = seats WHERE id = @id", new { options = Json(options), id = nominated.Motion });
                break;
            case Core.Mandates.MandateCreated mandate:
                s.Write("""
                    INSERT INTO mandates (id, council_id, name, kind, seats, federation, powers, created_at, settle_ticks)
                    VALUES (@id, @council, @Name, @kind, @Seats, @federation, @powers, @time, @settle)
                    """, new
                {
                    id = mandate.Mandate, council = mandate.CouncilId, mandate.Name, kind = mandate.Kind.ToString().ToLowerInvariant(),
                    mandate.Seats, federation = mandate.Federation, powers = Json(mandate.Powers), time, settle = mandate.SettlePeriod?.Ticks,
                });
                break;
            case Core.Mandates.StandingBallotCast standing:
                s.Write("""
                    INSERT INTO standing_ballots (mandate_id, elector, ranking) VALUES (@mandate, @Elector, @ranking)
                    ON CONFLICT (mandate_id, elector) DO UPDATE SET ranking = excluded.ranking
                    """, new { mandate = standing.Mandate, standing.Elector, ranking = Json(standing.Ranking) });
                break;
            case Core.Mandates.StandingBallotWithdrawn withdrawnStanding:
                s.Write("DELETE FROM standing_ballots WHERE mandate_id = @mandate AND elector = @Elector",
                    new { mandate = withdrawnStanding.Mandate, withdrawnStanding.Elector });
                break;
            case Core.Mandates.LeadChanged lead:
                s.Write("UPDATE mandates SET leaders = @leaders, settles_at = @at WHERE id = @id", new
                {
                    id = lead.Mandate,
                    leaders = lead.SettlesAt is null ? null : Json(lead.Leaders),
                    at = lead.SettlesAt is { } at ? Core.Log.LogEntry.FormatTime(at) : null,
                });
                break;
            case Core.Mandates.HoldersSettled settled:
                s.Write("UPDATE mandates SET leaders = NULL, settles_at = NULL WHERE id = @id", new { id = settled.Mandate });
                break;
            case Core.Mandates.SeatFilled filled:
                // Withdrawals from an earlier tenure of the same person no longer count (see LeaveSeat).
                s.Write("DELETE FROM confidence WHERE mandate_id = @mandate AND holder = @person",
                    new { mandate = filled.Mandate, person = filled.Holder });
                s.Write("INSERT INTO holders (mandate_id, person, since) VALUES (@mandate, @person, @time)",
                    new { mandate = filled.Mandate, person = filled.Holder, time });
                break;
            case Core.Mandates.SeatVacated vacated:
                LeaveSeat(s, vacated.Mandate, vacated.Holder);
                break;
            case Core.Mandates.HolderRecalled recalled:
                LeaveSeat(s, recalled.Mandate, recalled.Holder);
                Notice(s, entry, recalled.CouncilId, "recalled", recalled.Mandate.ToString());
                break;
            case Core.Mandates.ConfidenceChanged confidence when confidence.Withdrawn:
                s.Write("INSERT INTO confidence (mandate_id, holder, elector) VALUES (@mandate, @holder, @Elector)",
                    new { mandate = confidence.Mandate, holder = confidence.Holder, confidence.Elector });
                // Counted as it changes, so that a recall is decided without counting the withdrawals again.
                s.Write("UPDATE holders SET withdrawals = withdrawals + 1 WHERE mandate_id = @mandate AND person = @holder",
                    new { mandate = confidence.Mandate, holder = confidence.Holder });
                break;
            case Core.Mandates.ConfidenceChanged confidence:
                if (s.Execute("DELETE FROM confidence WHERE mandate_id = @mandate AND holder = @holder AND elector = @Elector",
                    new { mandate = confidence.Mandate, holder = confidence.Holder, confidence.Elector }) > 0)
                {
                    s.Write("UPDATE holders SET withdrawals = withdrawals - 1 WHERE mandate_id = @mandate AND person = @holder",
                        new { mandate = confidence.Mandate, holder = confidence.Holder });
                }
                break;
            case CouncilFederated federated:
                s.Write("INSERT INTO federation_members (federation_id, council_id, joined_at) VALUES (@federation, @member, @time)",
                    new { federation = federated.Federation, member = federated.Member, time });
                break;
            case CouncilSeceded seceded:
                s.Write("DELETE FROM federation_members WHERE federation_id = @federation AND council_id = @member",
                    new { federation = seceded.Federation, member = seceded.Member });
                s.Write("INSERT INTO federation_departures (federation_id, council_id) VALUES (@federation, @member) ON CONFLICT DO NOTHING",
                    new { federation = seceded.Federation, member = seceded.Member });
                break;
            case InstructionGiven instruction:
                s.Write("""
                    INSERT INTO instructions (council_id, federation_motion, ballot, instruction_motion, active) VALUES (@council, @motion, @ballot, @by, 1)
                    ON CONFLICT (council_id, federation_motion) DO UPDATE SET ballot = excluded.ballot, instruction_motion = excluded.instruction_motion, active = 1
                    """, new { council = instruction.CouncilId, motion = instruction.FederationMotion, ballot = Json(instruction.Ballot), by = instruction.By });
                break;
            case ReferralDemanded demanded:
                s.Write("INSERT INTO referral_demands (federation_motion, council_id) VALUES (@motion, @council) ON CONFLICT DO NOTHING",
                    new { motion = demanded.FederationMotion, council = demanded.Demander });
                break;
            case MotionReferred referred:
                // The delegates' ballots give way to the direct vote of every base member.
                s.Write("UPDATE motions SET referred = 1, voting_ends_at = @ends, secret = @secret WHERE id = @id",
                    new { ends = LogEntry.FormatTime(referred.EndsAt), secret = referred.Secret ? 1 : 0, id = referred.Motion });
                s.Write("DELETE FROM ballots WHERE motion_id = @id", new { id = referred.Motion });
                break;
            case Core.Delegation.DelegationSet delegation:
                s.Write("""
                    INSERT INTO delegations (council_id, truster, motion_id, trustee) VALUES (@council, @truster, @motion, @trustee)
                    ON CONFLICT (council_id, truster, motion_id) DO UPDATE SET trustee = excluded.trustee
                    """, new { council = delegation.CouncilId, truster = delegation.Truster, motion = delegation.Motion?.ToString() ?? "", trustee = delegation.Trustee });
                break;
            case Core.Delegation.DelegationRevoked revoked:
                s.Write("DELETE FROM delegations WHERE council_id = @council AND truster = @truster AND motion_id = @motion",
                    new { council = revoked.CouncilId, truster = revoked.Truster, motion = revoked.Motion?.ToString() ?? "" });
                break;
            case Core.Delegation.PublicDelegateChanged declared when declared.Public:
                s.Write("INSERT INTO public_delegates (council_id, account_id, since) VALUES (@council, @member, @time)",
                    new { council = declared.CouncilId, member = declared.Member, time });
                break;
            case Core.Delegation.PublicDelegateChanged declared:
                s.Write("DELETE FROM public_delegates WHERE council_id = @council AND account_id = @member",
                    new { council = declared.CouncilId, member = declared.Member });
                break;
            case Core.Actions.ActionCreated action:
                s.Write("""
                    INSERT INTO actions (id, council_id, motion_id, description, due, executors, status, created_by, created_at)
                    VALUES (@id, @council, @motion, @Description, @due, @executors, 'open', @by, @time)
                    """, new
                {
                    id = action.Action, council = action.CouncilId, motion = action.Motion, action.Description,
                    due = LogEntry.FormatTime(action.Due), executors = action.Executors?.ToString(), by = action.By, time,
                });
                // Overdue actions are shown to the whole council (ActionRules): told once, at the due date, unless done by then.
                Notice(s, entry, action.CouncilId, "action-overdue", action.Action.ToString(), due: action.Due);
                break;
            case Core.Actions.VolunteerConfirmed volunteer:
                s.Write("INSERT INTO action_volunteers (action_id, person) VALUES (@action, @person)",
                    new { action = volunteer.Action, person = volunteer.Volunteer });
                break;
            case Core.Actions.ActionReported report:
                long number = s.Scalar<long>("SELECT COUNT(*) FROM action_reports WHERE action_id = @id", new { id = report.Action }) + 1;
                s.Write("INSERT INTO action_reports (action_id, number, author, text, status, at) VALUES (@id, @number, @by, @Text, @status, @time)",
                    new { id = report.Action, number, by = report.By, report.Text, status = Core.Actions.ActionRules.Name(report.Status), time });
                s.Write("UPDATE actions SET status = @status WHERE id = @id", new { status = Core.Actions.ActionRules.Name(report.Status), id = report.Action });
                if (report.Status == Core.Actions.ActionStatus.Done)
                {
                    TakeBackNotices(s, entry, "action-overdue", report.Action.ToString());
                }
                else if (s.Scalar<string>("SELECT due FROM actions WHERE id = @id", new { id = report.Action }) is { } due
                    && string.CompareOrdinal(due, time) > 0
                    && s.Scalar<long>("SELECT COUNT(*) FROM notices WHERE subject = @id AND kind = 'action-overdue' AND at > @time", new { id = report.Action.ToString(), time }) == 0)
                {
                    // Reopened before its due date: it may be overdue after all.
                    Notice(s, entry, report.CouncilId, "action-overdue", report.Action.ToString(), due: LogEntry.ParseTime(due));
                }
                break;
            default:
                throw new InvalidOperationException($"No projection for {e.GetType().Name}.");
        }
    }

    /// <summary>
    /// What stops counting when a member leaves, without entries of its own (<see cref="Leaving"/>):
    /// their ballots on the council's motions open for voting, their withdrawals of confidence from
    /// its holders, their standing ballots, and their ballots on motions of federations above it
    /// referred to every base member, where leaving took them out of the base.
    /// </summary>
    private static void DropLeaver(WriteSession s, CouncilId council, AccountId person)
    {
        var open = s.Query<Rows.MotionRow>($"SELECT {Rows.MotionColumns} FROM motions WHERE council_id = @council AND state = 'voting'",
            new { council }).Select(r => r.ToMotion()).ToList();
        foreach (var federation in Councils.Membership.FederationsAbove(s.Connection, s.Transaction, council))
        {
            if (!Councils.Membership.IsBasePerson(s.Connection, s.Transaction, federation, person))
            {
                open.AddRange(s.Query<Rows.MotionRow>($"SELECT {Rows.MotionColumns} FROM motions WHERE council_id = @f AND state = 'voting' AND referred = 1",
                    new { f = federation }).Select(r => r.ToMotion()));
            }
        }
        foreach (var motion in open)
        {
            s.Write("DELETE FROM ballots WHERE motion_id = @motion AND voter = @voter",
                new { motion = motion.Id, voter = Leaving.Voter(motion, person, s.PseudonymKey) });
        }
        foreach (var (mandate, holder) in s.Query<(MandateId Mandate, AccountId Holder)>(
            "SELECT h.mandate_id, h.person FROM holders h JOIN mandates m ON m.id = h.mandate_id WHERE m.council_id = @council",
            new { council }).ToList())
        {
            var names = Leaving.Elector(mandate, holder, person, s.PseudonymKey);
            int dropped = s.Execute($"DELETE FROM confidence WHERE mandate_id = @mandate AND holder = @holder AND {s.Database.OneOf("elector", "@names")}",
                new { mandate, holder, names });
            if (dropped > 0)
            {
                s.Write("UPDATE holders SET withdrawals = withdrawals - @dropped WHERE mandate_id = @mandate AND person = @holder",
                    new { dropped, mandate, holder });
            }
        }
        foreach (var mandate in s.Query<MandateId>("SELECT id FROM mandates WHERE council_id = @council AND settle_ticks IS NOT NULL",
            new { council }).ToList())
        {
            s.Write($"DELETE FROM standing_ballots WHERE mandate_id = @mandate AND {s.Database.OneOf("elector", "@names")}",
                new { mandate, names = Leaving.StandingElector(mandate, person, s.PseudonymKey) });
        }
    }

    /// <summary>
    /// The seat is left at once. The withdrawals of confidence that caused a recall stay until the
    /// same person takes a seat of this mandate again: deleting half an electorate's rows would
    /// delay the very request that recalls, and rows for someone holding no seat count for nothing.
    /// </summary>
    private static void LeaveSeat(WriteSession s, MandateId mandate, AccountId holder) =>
        s.Write("DELETE FROM holders WHERE mandate_id = @mandate AND person = @holder", new { mandate, holder });

    private static void Support(WriteSession s, MotionId motion, AccountId member) =>
        s.Write("INSERT INTO supports (motion_id, account_id) VALUES (@motion, @member)", new { motion, member });

    public static string Json<T>(T value) => JsonSerializer.Serialize(value, EventJson.Options);

    public static T FromJson<T>(string json) => JsonSerializer.Deserialize<T>(json, EventJson.Options)!;

    private static string Counting(Core.Counting.TallyMethod method) => Core.Counting.TallyMethods.Name(method);
}
