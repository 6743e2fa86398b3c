using Dapper;

namespace Shura.Storage.Schema;

/// <summary>
/// The schema, as numbered steps applied in order at start-up, each in its own transaction; the
/// table schema_migrations records which have run. The SQL is the same for SQLite and PostgreSQL
/// (TEXT, BIGINT, INTEGER and ON CONFLICT mean the same in both), which keeps one set of steps.
/// Times are stored as ISO 8601 UTC text with seven decimals, which sorts like the instants.
/// A handful of lines replace a migration framework: two engines, plain SQL, nothing generated.
/// </summary>
public static class Migrations
{
    private static readonly Step[] Steps =
    [
        """
        CREATE TABLE accounts (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            email TEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL,
            registered_at TEXT NOT NULL);
        CREATE TABLE tokens (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id),
            label TEXT NOT NULL,
            secret_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            revoked_at TEXT);
        CREATE TABLE councils (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            description TEXT NOT NULL,
            settings TEXT NOT NULL,
            created_at TEXT NOT NULL);
        CREATE TABLE members (
            council_id TEXT NOT NULL REFERENCES councils(id),
            account_id TEXT NOT NULL REFERENCES accounts(id),
            joined_at TEXT NOT NULL,
            PRIMARY KEY (council_id, account_id));
        CREATE INDEX members_by_account ON members(account_id);
        CREATE TABLE invitations (
            id TEXT PRIMARY KEY,
            council_id TEXT NOT NULL REFERENCES councils(id),
            secret_hash TEXT NOT NULL UNIQUE,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            used_by TEXT,
            used_at TEXT);
        CREATE TABLE motions (
            id TEXT PRIMARY KEY,
            council_id TEXT NOT NULL REFERENCES councils(id),
            proposer TEXT NOT NULL,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            options TEXT NOT NULL,
            method TEXT NOT NULL,
            seats INTEGER NOT NULL,
            threshold TEXT NOT NULL,
            urgent INTEGER NOT NULL,
            repeals TEXT,
            new_settings TEXT,
            applicant TEXT,
            state TEXT NOT NULL,
            created_at TEXT NOT NULL,
            supporters INTEGER NOT NULL,
            deliberation_ends_at TEXT,
            voting_ends_at TEXT,
            decided_at TEXT,
            secret INTEGER NOT NULL DEFAULT 0,
            live_results INTEGER NOT NULL DEFAULT 1,
            quorum TEXT,
            seed TEXT,
            electorate BIGINT,
            result TEXT,
            CHECK (state IN ('draft','proposed','deliberation','voting','decided','in-force','rejected','repealed')),
            CHECK (voting_ends_at IS NULL OR deliberation_ends_at IS NULL OR voting_ends_at >= deliberation_ends_at));
        CREATE INDEX motions_by_council ON motions(council_id, created_at);
        CREATE INDEX motions_due ON motions(state, voting_ends_at, deliberation_ends_at);
        CREATE TABLE supports (
            motion_id TEXT NOT NULL REFERENCES motions(id),
            account_id TEXT NOT NULL,
            PRIMARY KEY (motion_id, account_id));
        CREATE TABLE amendments (
            motion_id TEXT NOT NULL REFERENCES motions(id),
            number INTEGER NOT NULL,
            text TEXT NOT NULL,
            author TEXT NOT NULL,
            adopted INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (motion_id, number));
        CREATE TABLE ballots (
            motion_id TEXT NOT NULL REFERENCES motions(id),
            voter TEXT NOT NULL,
            ballot TEXT NOT NULL,
            cast_at TEXT NOT NULL,
            receipt TEXT NOT NULL,
            PRIMARY KEY (motion_id, voter));
        CREATE TABLE log (
            chain TEXT NOT NULL,
            seq BIGINT NOT NULL,
            time TEXT NOT NULL,
            actor TEXT NOT NULL,
            type TEXT NOT NULL,
            payload TEXT NOT NULL,
            previous_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            PRIMARY KEY (chain, seq));
        CREATE TABLE chain_heads (
            chain TEXT PRIMARY KEY,
            seq BIGINT NOT NULL,
            hash TEXT NOT NULL);
        CREATE TABLE server_keys (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL);
        """,
        """
        ALTER TABLE councils ADD COLUMN federation INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE motions ADD COLUMN mandate TEXT;
        ALTER TABLE motions ADD COLUMN by_election INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE motions ADD COLUMN holder TEXT;
        ALTER TABLE motions ADD COLUMN federation TEXT;
        ALTER TABLE motions ADD COLUMN federation_motion TEXT;
        ALTER TABLE motions ADD COLUMN instruction TEXT;
        ALTER TABLE motions ADD COLUMN referred INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE mandates (
            id TEXT PRIMARY KEY,
            council_id TEXT NOT NULL REFERENCES councils(id),
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            seats INTEGER NOT NULL,
            federation TEXT,
            powers TEXT NOT NULL,
            created_at TEXT NOT NULL);
        CREATE INDEX mandates_by_council ON mandates(council_id);
        CREATE INDEX mandates_by_federation ON mandates(federation);
        CREATE TABLE holders (
            mandate_id TEXT NOT NULL REFERENCES mandates(id),
            person TEXT NOT NULL,
            since TEXT NOT NULL,
            PRIMARY KEY (mandate_id, person));
        CREATE INDEX holders_by_person ON holders(person);
        CREATE TABLE confidence (
            mandate_id TEXT NOT NULL REFERENCES mandates(id),
            holder TEXT NOT NULL,
            elector TEXT NOT NULL,
            PRIMARY KEY (mandate_id, holder, elector));
        CREATE TABLE federation_members (
            federation_id TEXT NOT NULL REFERENCES councils(id),
            council_id TEXT NOT NULL REFERENCES councils(id),
            joined_at TEXT NOT NULL,
            PRIMARY KEY (federation_id, council_id));
        CREATE INDEX federation_members_by_council ON federation_members(council_id);
        CREATE TABLE instructions (
            council_id TEXT NOT NULL,
            federation_motion TEXT NOT NULL,
            ballot TEXT NOT NULL,
            instruction_motion TEXT NOT NULL,
            active INTEGER NOT NULL,
            PRIMARY KEY (council_id, federation_motion));
        CREATE TABLE referral_demands (
            federation_motion TEXT NOT NULL,
            council_id TEXT NOT NULL,
            PRIMARY KEY (federation_motion, council_id));
        CREATE TABLE delegations (
            council_id TEXT NOT NULL,
            truster TEXT NOT NULL,
            motion_id TEXT NOT NULL,
            trustee TEXT NOT NULL,
            PRIMARY KEY (council_id, truster, motion_id));
        CREATE TABLE actions (
            id TEXT PRIMARY KEY,
            council_id TEXT NOT NULL REFERENCES councils(id),
            motion_id TEXT NOT NULL REFERENCES motions(id),
            description TEXT NOT NULL,
            due TEXT NOT NULL,
            executors TEXT,
            status TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL);
        CREATE INDEX actions_by_council ON actions(council_id, due);
        CREATE TABLE action_volunteers (
            action_id TEXT NOT NULL REFERENCES actions(id),
            person TEXT NOT NULL,
            PRIMARY KEY (action_id, person));
        CREATE TABLE action_reports (
            action_id TEXT NOT NULL REFERENCES actions(id),
            number INTEGER NOT NULL,
            author TEXT NOT NULL,
            text TEXT NOT NULL,
            status TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (action_id, number));
        """,
        """
        ALTER TABLE councils ADD COLUMN member_count BIGINT NOT NULL DEFAULT 0;
        UPDATE councils SET member_count = (SELECT COUNT(*) FROM members WHERE members.council_id = councils.id);
        ALTER TABLE holders ADD COLUMN withdrawals BIGINT NOT NULL DEFAULT 0;
        UPDATE holders SET withdrawals = (SELECT COUNT(*) FROM confidence c WHERE c.mandate_id = holders.mandate_id AND c.holder = holders.person);
        CREATE INDEX motions_by_mandate ON motions(mandate);
        ALTER TABLE mandates ADD COLUMN settle_ticks BIGINT;
        ALTER TABLE mandates ADD COLUMN leaders TEXT;
        ALTER TABLE mandates ADD COLUMN settles_at TEXT;
        CREATE INDEX mandates_settling ON mandates(settles_at);
        CREATE TABLE standing_ballots (
            mandate_id TEXT NOT NULL REFERENCES mandates(id),
            elector TEXT NOT NULL,
            ranking TEXT NOT NULL,
            PRIMARY KEY (mandate_id, elector));
        """,
        """
        CREATE TABLE passkeys (
            credential_id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id),
            info TEXT NOT NULL,
            created_at TEXT NOT NULL);
        CREATE INDEX passkeys_by_account ON passkeys(account_id);
        CREATE TABLE protection_keys (
            name TEXT PRIMARY KEY,
            xml TEXT NOT NULL);
        """,
        new Step(
            Sqlite: """
                PRAGMA writable_schema = ON;
                UPDATE sqlite_schema SET sql = replace(sql, '''rejected'',''repealed'')', '''rejected'',''repealed'',''lapsed'')')
                WHERE type = 'table' AND name = 'motions';
                PRAGMA writable_schema = OFF;
                """ + StepFive,
            Postgres: """
                ALTER TABLE motions DROP CONSTRAINT motions_state_check;
                ALTER TABLE motions ADD CONSTRAINT motions_state_check
                    CHECK (state IN ('draft','proposed','deliberation','voting','decided','in-force','rejected','repealed','lapsed'));
                """ + StepFive),
        """
        CREATE TABLE comments (
            id TEXT PRIMARY KEY,
            council_id TEXT NOT NULL REFERENCES councils(id),
            motion_id TEXT NOT NULL REFERENCES motions(id),
            reply_to TEXT,
            author TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            posted_at TEXT NOT NULL,
            seq BIGINT NOT NULL,
            edited_at TEXT,
            deleted INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX comments_by_motion ON comments(motion_id, seq);
        CREATE TABLE comment_versions (
            comment_id TEXT NOT NULL REFERENCES comments(id),
            number INTEGER NOT NULL,
            text_hash TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (comment_id, number));
        CREATE INDEX comment_versions_by_hash ON comment_versions(text_hash);
        CREATE TABLE texts (
            hash TEXT PRIMARY KEY,
            body TEXT NOT NULL);
        """,
        """
        CREATE TABLE posts (
            id TEXT PRIMARY KEY,
            council_id TEXT NOT NULL REFERENCES councils(id),
            kind TEXT NOT NULL,
            author TEXT NOT NULL,
            title_hash TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            published_at TEXT NOT NULL,
            seq BIGINT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX posts_by_council ON posts(council_id, seq);
        """,
        """
        CREATE TABLE calls (
            post_id TEXT PRIMARY KEY REFERENCES posts(id),
            place_hash TEXT NOT NULL,
            starts_at TEXT NOT NULL,
            threshold BIGINT,
            deadline TEXT,
            pledges BIGINT NOT NULL DEFAULT 0,
            going_ahead INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE pledges (
            post_id TEXT NOT NULL REFERENCES posts(id),
            person TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (post_id, person));
        """,
        new Step(
            // The definition is edited last: SQLite reads it again only once the step is done.
            Sqlite: CommentsOnPosts + """

                PRAGMA writable_schema = ON;
                UPDATE sqlite_schema SET sql = replace(sql, 'motion_id TEXT NOT NULL REFERENCES motions(id)', 'motion_id TEXT REFERENCES motions(id)')
                WHERE type = 'table' AND name = 'comments';
                PRAGMA writable_schema = OFF;
                """,
            Postgres: """
                ALTER TABLE comments ALTER COLUMN motion_id DROP NOT NULL;
                """ + CommentsOnPosts),
        """
        CREATE TABLE counter_proposals (
            motion_id TEXT NOT NULL REFERENCES motions(id),
            number INTEGER NOT NULL,
            text TEXT NOT NULL,
            author TEXT NOT NULL,
            PRIMARY KEY (motion_id, number));
        """,
        """
        ALTER TABLE comments ADD COLUMN hidden_by TEXT;
        ALTER TABLE posts ADD COLUMN hidden_by TEXT;
        ALTER TABLE motions ADD COLUMN moderates TEXT;
        CREATE TABLE flags (
            target TEXT NOT NULL,
            flagger TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (target, flagger));
        """,
        new Step(Sqlite: Images.Replace("BYTES", "BLOB"), Postgres: Images.Replace("BYTES", "BYTEA")),
        """
        ALTER TABLE texts ADD COLUMN salt TEXT;
        """,
        """
        ALTER TABLE accounts ADD COLUMN time_zone TEXT;
        """,
        """
        CREATE TABLE notices (
            chain TEXT NOT NULL,
            seq BIGINT NOT NULL,
            person TEXT NOT NULL DEFAULT '',
            council_id TEXT NOT NULL REFERENCES councils(id),
            kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (chain, seq, person));
        CREATE INDEX notices_by_council ON notices(council_id, at);
        CREATE INDEX notices_by_person ON notices(person, at);
        ALTER TABLE accounts ADD COLUMN notices_read_at TEXT;
        """,
        """
        ALTER TABLE accounts ADD COLUMN language TEXT;
        ALTER TABLE notices ADD COLUMN mailed INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX notices_to_mail ON notices(mailed, at);
        CREATE TABLE deliveries (
            chain TEXT NOT NULL,
            seq BIGINT NOT NULL,
            person TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_at TEXT,
            sent_at TEXT,
            error TEXT,
            PRIMARY KEY (chain, seq, person));
        CREATE INDEX deliveries_due ON deliveries(sent_at, next_at);
        CREATE TABLE unsubscribed (
            person TEXT NOT NULL,
            kind TEXT NOT NULL,
            PRIMARY KEY (person, kind));
        """,
        """
        ALTER TABLE accounts ADD COLUMN notices_read_chain TEXT;
        ALTER TABLE accounts ADD COLUMN notices_read_seq BIGINT;
        """,
        NoticeChannels,
        OwnAccounts,
        FediverseActors,
        FediverseOutbox,
        CallEndsAndOutboxBySubject,
        // A council's entries of one type without reading its whole log: a mandate's history of holders.
        """
        CREATE INDEX log_by_type ON log(chain, type, seq);
        """,
        // A ballot's receipt is its entry's hash: the receipt page finds the entry by it.
        """
        CREATE INDEX log_by_hash ON log(hash);
        """,
        // The councils that left a federation: their chains stay in what the federation's live counts
        // watch, so the sum of heads those counts are known by never goes down (MotionQueries.HeadAsync).
        """
        CREATE TABLE federation_departures (
            federation_id TEXT NOT NULL REFERENCES councils(id),
            council_id TEXT NOT NULL REFERENCES councils(id),
            PRIMARY KEY (federation_id, council_id));
        """,
    ];

    /// <summary>
    /// A call's end, when it says one; the outbox found by what it told of, since taking a post back
    /// drops what was told of it (and the deliveries of that); and who sent each reply from another
    /// server, so that only they can change or take it back (forgotten when it is erased).
    /// </summary>
    private const string CallEndsAndOutboxBySubject = """
        ALTER TABLE calls ADD COLUMN ends_at TEXT;
        ALTER TABLE ap_replies ADD COLUMN actor TEXT;
        CREATE INDEX ap_activities_by_subject ON ap_activities(subject, seq);
        CREATE INDEX ap_deliveries_by_activity ON ap_deliveries(activity_id);
        """;

    /// <summary>
    /// What a council tells its followers: each activity (a post or call published, changed or
    /// gone, a motion decided), written with the event that made it and fanned out afterwards into
    /// one delivery per inbox; replies from other servers as comments (their author kept beside the
    /// log, hashed in it); likes and boosts of the council's posts, counted.
    /// </summary>
    private const string FediverseOutbox = """
        CREATE TABLE ap_activities (
            id TEXT PRIMARY KEY,
            council_id TEXT NOT NULL REFERENCES councils(id),
            kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            at TEXT NOT NULL,
            seq BIGINT NOT NULL,
            body TEXT,
            fanned_at TEXT);
        ALTER TABLE ap_deliveries ADD COLUMN activity_id TEXT;
        CREATE INDEX ap_activities_to_fan ON ap_activities(fanned_at, id);
        CREATE INDEX ap_activities_by_council ON ap_activities(council_id, kind, at);
        ALTER TABLE comments ADD COLUMN remote_author TEXT;
        CREATE TABLE ap_replies (
            object_id TEXT PRIMARY KEY,
            comment_id TEXT NOT NULL REFERENCES comments(id));
        CREATE TABLE ap_reactions (
            post_id TEXT NOT NULL REFERENCES posts(id),
            kind TEXT NOT NULL,
            actor TEXT NOT NULL,
            activity TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (post_id, kind, actor));
        """;

    /// <summary>
    /// The federated social web: each council's handle (made once from its name, never changed) and
    /// its signing keys (one current, older ones kept retired so that signatures made with them can
    /// still be told apart).
    /// </summary>
    private const string FediverseActors = """
        ALTER TABLE councils ADD COLUMN handle TEXT;
        CREATE UNIQUE INDEX councils_by_handle ON councils(handle);
        CREATE TABLE actor_keys (
            key_id TEXT PRIMARY KEY,
            council_id TEXT NOT NULL REFERENCES councils(id),
            public_pem TEXT NOT NULL,
            private_pem TEXT NOT NULL,
            created_at TEXT NOT NULL,
            retired_at TEXT);
        CREATE INDEX actor_keys_by_council ON actor_keys(council_id, retired_at);
        CREATE TABLE followers (
            council_id TEXT NOT NULL REFERENCES councils(id),
            actor TEXT NOT NULL,
            inbox TEXT NOT NULL,
            shared_inbox TEXT,
            followed_at TEXT NOT NULL,
            PRIMARY KEY (council_id, actor));
        CREATE TABLE remote_keys (
            key_id TEXT PRIMARY KEY,
            actor TEXT NOT NULL,
            public_pem TEXT NOT NULL,
            fetched_at TEXT NOT NULL);
        CREATE TABLE ap_deliveries (
            id TEXT PRIMARY KEY,
            council_id TEXT NOT NULL REFERENCES councils(id),
            inbox TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_at TEXT,
            error TEXT,
            sent_at TEXT,
            dead_at TEXT);
        CREATE INDEX ap_deliveries_due ON ap_deliveries(sent_at, dead_at, next_at);
        """;

    /// <summary>
    /// A person's own account: the name sealed in the log (its salted hash, the name beside it, so
    /// that deleting the account erases it), a verified e-mail address, single-use tokens for
    /// verifying and resetting, the e-mails those send (kept only until sent), and deletion.
    /// </summary>
    private const string OwnAccounts = """
        ALTER TABLE accounts ADD COLUMN name_hash TEXT;
        ALTER TABLE accounts ADD COLUMN name_salt TEXT;
        ALTER TABLE accounts ADD COLUMN email_verified_at TEXT;
        ALTER TABLE accounts ADD COLUMN deleted_at TEXT;
        CREATE TABLE account_tokens (
            hash TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id),
            purpose TEXT NOT NULL,
            email TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT);
        CREATE INDEX account_tokens_by_account ON account_tokens(account_id);
        CREATE TABLE account_mails (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL,
            email TEXT NOT NULL,
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_at TEXT);
        """;

    /// <summary>
    /// One event may give several notices of different kinds (voting opened, and later "closes
    /// soon"), so a notice's key takes its kind; an e-mail may wait for the person's daily digest;
    /// and each person chooses per kind how to hear of it, which takes in the old per-kind
    /// unsubscribing ("in-app" only). Tables are made anew, which both engines do alike.
    /// </summary>
    private const string NoticeChannels = """
        CREATE TABLE notices_keyed (
            chain TEXT NOT NULL,
            seq BIGINT NOT NULL,
            person TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL,
            council_id TEXT NOT NULL REFERENCES councils(id),
            subject TEXT NOT NULL,
            at TEXT NOT NULL,
            mailed INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (chain, seq, person, kind));
        INSERT INTO notices_keyed (chain, seq, person, kind, council_id, subject, at, mailed)
            SELECT chain, seq, person, kind, council_id, subject, at, mailed FROM notices;
        DROP TABLE notices;
        ALTER TABLE notices_keyed RENAME TO notices;
        CREATE INDEX notices_by_council ON notices(council_id, at);
        CREATE INDEX notices_by_person ON notices(person, at);
        CREATE INDEX notices_to_mail ON notices(mailed, at);
        CREATE INDEX notices_by_subject ON notices(subject, kind);
        CREATE TABLE deliveries_keyed (
            chain TEXT NOT NULL,
            seq BIGINT NOT NULL,
            person TEXT NOT NULL,
            kind TEXT NOT NULL,
            digest INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_at TEXT,
            sent_at TEXT,
            error TEXT,
            PRIMARY KEY (chain, seq, person, kind));
        INSERT INTO deliveries_keyed (chain, seq, person, kind, attempts, next_at, sent_at, error)
            SELECT d.chain, d.seq, d.person, MIN(n.kind), d.attempts, d.next_at, d.sent_at, d.error
            FROM deliveries d JOIN notices n ON n.chain = d.chain AND n.seq = d.seq
            GROUP BY d.chain, d.seq, d.person, d.attempts, d.next_at, d.sent_at, d.error;
        DROP TABLE deliveries;
        ALTER TABLE deliveries_keyed RENAME TO deliveries;
        CREATE INDEX deliveries_due ON deliveries(sent_at, next_at);
        CREATE INDEX deliveries_by_person ON deliveries(person, sent_at);
        CREATE TABLE notice_channels (
            person TEXT NOT NULL,
            kind TEXT NOT NULL,
            channel TEXT NOT NULL,
            PRIMARY KEY (person, kind));
        INSERT INTO notice_channels (person, kind, channel) SELECT person, kind, 'in-app' FROM unsubscribed;
        DROP TABLE unsubscribed;
        """;

    /// <summary>Images attached to posts, and their bytes kept once per content beside the log.</summary>
    private const string Images = """
        CREATE TABLE images (
            id TEXT PRIMARY KEY,
            post_id TEXT NOT NULL REFERENCES posts(id),
            council_id TEXT NOT NULL REFERENCES councils(id),
            hash TEXT NOT NULL,
            content_type TEXT NOT NULL,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            description_hash TEXT NOT NULL,
            seq BIGINT NOT NULL);
        CREATE INDEX images_by_post ON images(post_id, seq);
        CREATE TABLE image_bytes (
            hash TEXT PRIMARY KEY,
            bytes BYTES NOT NULL);
        """;

    /// <summary>The last step, beside a comment's motion becoming optional: a comment may be on a post instead.</summary>
    private const string CommentsOnPosts = """

        ALTER TABLE comments ADD COLUMN post_id TEXT REFERENCES posts(id);
        CREATE INDEX comments_by_post ON comments(post_id, seq);
        """;

    /// <summary>Step 5 beside the motions' new state: changes of settings by name, public delegates, sign-in sessions.</summary>
    private const string StepFive = """

        ALTER TABLE motions ADD COLUMN settings_change TEXT;
        CREATE TABLE public_delegates (
            council_id TEXT NOT NULL REFERENCES councils(id),
            account_id TEXT NOT NULL,
            since TEXT NOT NULL,
            PRIMARY KEY (council_id, account_id));
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id),
            created_at TEXT NOT NULL,
            ended_at TEXT);
        CREATE INDEX sessions_by_account ON sessions(account_id);
        """;

    /// <summary>
    /// One step: the same SQL for both engines, or one for each where they differ (SQLite cannot
    /// change a CHECK constraint with ALTER TABLE; it edits the table's definition in its schema
    /// table instead, as SQLite's documentation describes for loosening a constraint).
    /// </summary>
    private sealed record Step(string Sqlite, string Postgres)
    {
        public static implicit operator Step(string both) => new(both, both);

        public string For(Engine engine) => engine == Engine.Postgres ? Postgres : Sqlite;
    }

    /// <summary>
    /// Brings the store up to this release's schema: every step not applied yet, all in one
    /// transaction — a store is either left as it was or fully migrated, never half. A store written
    /// by a newer release is refused (<see cref="StoreTooNewException"/>): this release would not
    /// know its newer tables and would write past them. Safe to run from several processes at once.
    /// </summary>
    public static void Apply(Database database, DateTimeOffset now)
    {
        database.EnsureCreated();
        using var connection = database.OpenConnection();
        connection.Execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
        using (var transaction = connection.BeginTransaction())
        {
            if (database.Engine == Engine.Postgres)
            {
                // One process migrates at a time; the others wait here, then find the steps done.
                connection.Execute("SELECT pg_advisory_xact_lock(7438210)", transaction: transaction);
            }
            long found = connection.ExecuteScalar<long?>("SELECT MAX(version) FROM schema_migrations", transaction: transaction) ?? 0;
            if (found > Steps.Length)
            {
                throw new StoreTooNewException(
                    $"{database.Description} has schema version {found}, written by a newer release of Shura; this one reads up to version {Steps.Length}. " +
                    "Run the release that wrote it (or a later one), or restore a backup made by this release.");
            }
            for (int version = 1; version <= Steps.Length; version++)
            {
                bool applied = connection.ExecuteScalar<long>(
                    "SELECT COUNT(*) FROM schema_migrations WHERE version = @version", new { version }, transaction) > 0;
                if (applied)
                {
                    continue;
                }
                string sql = Steps[version - 1].For(database.Engine);
                connection.Execute(sql, transaction: transaction);
                if (database.Engine == Engine.Sqlite && sql.Contains("writable_schema", StringComparison.Ordinal))
                {
                    // Other connections must read the edited schema anew.
                    long schema = connection.ExecuteScalar<long>("PRAGMA schema_version", transaction: transaction);
                    connection.Execute($"PRAGMA schema_version = {schema + 1}", transaction: transaction);
                }
                connection.Execute("INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @at)",
                    new { version, at = Core.Log.LogEntry.FormatTime(now) }, transaction);
            }
            SealLegacyNames(connection, transaction);
            GiveHandles(connection, transaction);
            transaction.Commit();
        }
    }

    private static void GiveHandles(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction)
    {
        foreach (var (id, name) in connection.Query<(string, string)>("SELECT id, name FROM councils WHERE handle IS NULL ORDER BY created_at, id", transaction: transaction).ToList())
        {
            Fediverse.Handles.Assign(connection, transaction, Guid.Parse(id), name);
        }
    }

    /// <summary>
    /// Accounts opened before names were sealed hold their name in their log entry: their name_hash
    /// is its plain hash, as `shura verify` derives it from that entry.
    /// </summary>
    private static void SealLegacyNames(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction)
    {
        foreach (var (id, name) in connection.Query<(string, string)>("SELECT id, name FROM accounts WHERE name_hash IS NULL", transaction: transaction).ToList())
        {
            connection.Execute("UPDATE accounts SET name_hash = @hash WHERE id = @id AND name_hash IS NULL", new { id, hash = Core.Discussion.Texts.Hash(name) }, transaction);
        }
    }

    public static int Latest => Steps.Length;
}
