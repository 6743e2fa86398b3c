using Dapper;
using Shura.Core.Accounts;
using Shura.Core.Log;

namespace Shura.Storage.Accounts;

/// <summary>An e-mail about one's own account (a verification, a reset) waiting to be sent; deleted once sent.</summary>
public sealed record AccountMail(string Id, string Email, string Subject, string Body, long Attempts);

/// <summary>A sign-in session of one's own, as one's account page lists it.</summary>
public sealed record SessionView(string Id, string CreatedAt, bool Current);

/// <summary>
/// A person's own account (DESIGN §2, Person): changing one's name (sealed in the log like the
/// first), e-mail address (verified before it counts) and password (which ends one's other
/// sessions); single-use, short-lived tokens sent by e-mail to verify an address and to reset a
/// password; and deleting the account: name, e-mail address and credentials erased, the log
/// keeping only the id.
/// </summary>
public static class OwnAccount
{
    /// <summary>How long a link to verify an address stays good.</summary>
    public static readonly TimeSpan VerifyFor = TimeSpan.FromDays(2);

    /// <summary>How long a link to reset a password stays good: short, since it opens the account.</summary>
    public static readonly TimeSpan ResetFor = TimeSpan.FromMinutes(30);

    public static Result<bool> Rename(WriteSession s, AccountId account, string? name)
    {
        if (Core.Text.NameProblem(name, "name", 1, 100) is Refusal bad)
        {
            return bad;
        }
        s.Lock(LogEntry.AccountsChain);
        string trimmed = name!.Trim();
        string salt = new Core.Discussion.Salts().SaltOf(trimmed);
        string hash = Core.Discussion.Texts.Hash(trimmed, salt);
        s.Execute("UPDATE accounts SET name = @trimmed, name_salt = @salt WHERE id = @account", new { trimmed, salt, account });
        s.Append(Verdict.Accept(new AccountRenamed(account, hash)));
        return true;
    }

    /// <param name="passwordHash">Hashed by the caller, outside the writer.</param>
    /// <param name="keep">The hash of the session that asked, which stays signed in; every other session ends.</param>
    public static Result<bool> SetPassword(WriteSession s, AccountId account, string passwordHash, string? keep)
    {
        s.Execute("UPDATE accounts SET password_hash = @passwordHash WHERE id = @account", new { passwordHash, account });
        s.Execute("UPDATE sessions SET ended_at = @now WHERE account_id = @account AND ended_at IS NULL AND id <> @keep",
            new { account, now = s.Time, keep = keep ?? "" });
        return true;
    }

    /// <summary>
    /// A single-use token for <paramref name="purpose"/> ("verify" an address, "reset" a password),
    /// stored as its hash, and the e-mail that carries it (<paramref name="mail"/> writes subject and
    /// body around the secret). Earlier tokens of the same purpose stop working.
    /// </summary>
    public static Result<bool> Issue(WriteSession s, AccountId account, string purpose, string email, string secret, Func<string, (string Subject, string Body)> mail)
    {
        var lasts = purpose == "reset" ? ResetFor : VerifyFor;
        s.Execute("UPDATE account_tokens SET used_at = @now WHERE account_id = @account AND purpose = @purpose AND used_at IS NULL",
            new { account, purpose, now = s.Time });
        s.Execute("INSERT INTO account_tokens (hash, account_id, purpose, email, expires_at) VALUES (@hash, @account, @purpose, @email, @expires)",
            new { hash = Secrets.Hash(secret), account, purpose, email, expires = LogEntry.FormatTime(s.Now + lasts) });
        var (subject, body) = mail(secret);
        s.Execute("INSERT INTO account_mails (id, account_id, email, subject, body, created_at) VALUES (@id, @account, @email, @subject, @body, @now)",
            new { id = Guid.CreateVersion7(s.Now).ToString(), account, email, subject, body, now = s.Time });
        return true;
    }

    /// <summary>Uses a token: once, before it expires, for its purpose; answers its account and address.</summary>
    private static Result<(AccountId Account, string Email)> Use(WriteSession s, string secret, string purpose)
    {
        var found = s.Query<(string Account, string Email, string Expires)>(
            "SELECT account_id, email, expires_at FROM account_tokens WHERE hash = @hash AND purpose = @purpose AND used_at IS NULL",
            new { hash = Secrets.Hash(secret), purpose }).ToList();
        if (found.Count == 0 || string.CompareOrdinal(found[0].Expires, s.Time) <= 0)
        {
            return Refusal.Invalid(Codes.InvalidToken, "This link is not good: it was used already, has expired, or was never sent. Ask for a new one.", "token");
        }
        s.Execute("UPDATE account_tokens SET used_at = @now WHERE hash = @hash", new { hash = Secrets.Hash(secret), now = s.Time });
        return (new AccountId(Guid.Parse(found[0].Account)), found[0].Email);
    }

    /// <summary>The address the token was sent to is verified, and becomes the account's if it was a change.</summary>
    public static Result<AccountId> Verify(WriteSession s, string secret)
    {
        s.Lock(LogEntry.AccountsChain);
        var used = Use(s, secret, "verify");
        if (used.Refusal is { } refused)
        {
            return refused;
        }
        var (account, email) = used.Value;
        if (s.Scalar<long>("SELECT COUNT(*) FROM accounts WHERE email = @email AND id <> @account", new { email, account }) > 0)
        {
            return Refusal.Conflict(Codes.EmailTaken, "Another account uses this e-mail address now.");
        }
        s.Execute("UPDATE accounts SET email = @email, email_verified_at = @now WHERE id = @account", new { email, account, now = s.Time });
        return account;
    }

    /// <summary>A new password through a reset link: every session of the account ends.</summary>
    public static Result<AccountId> Reset(WriteSession s, string secret, string passwordHash)
    {
        var used = Use(s, secret, "reset");
        if (used.Refusal is { } refused)
        {
            return refused;
        }
        var account = used.Value.Account;
        SetPassword(s, account, passwordHash, keep: null);
        return account;
    }

    /// <summary>Ends one of one's own sessions (signed in elsewhere, a lost phone).</summary>
    public static Result<bool> EndSession(WriteSession s, AccountId account, string id) =>
        s.Execute("UPDATE sessions SET ended_at = @now WHERE id = @id AND account_id = @account AND ended_at IS NULL", new { id, account, now = s.Time }) == 1
            ? true
            : Refusal.NotFound("This session");

    /// <summary>
    /// Deletes the account: the person leaves every council (their open ballots stop counting, their
    /// seats fall vacant, as for any leaver), their tokens are revoked and sessions ended, and their
    /// name, e-mail address, credentials, settings and notices are erased. What they wrote stays, shown
    /// as a former member's; the log keeps their id.
    /// </summary>
    public static Result<bool> Delete(WriteSession s, AccountId account)
    {
        foreach (string council in s.Query<string>("SELECT council_id FROM members WHERE account_id = @account ORDER BY council_id", new { account }).ToList())
        {
            if (Councils.CouncilCommands.Leave(s, new CouncilId(Guid.Parse(council)), account).Refusal is { } refused)
            {
                return refused;
            }
        }
        s.Lock(LogEntry.AccountsChain);
        foreach (string token in s.Query<string>("SELECT id FROM tokens WHERE account_id = @account AND revoked_at IS NULL ORDER BY id", new { account }).ToList())
        {
            AccountCommands.RevokeToken(s, account, new TokenId(Guid.Parse(token)));
        }
        s.Execute("UPDATE sessions SET ended_at = @now WHERE account_id = @account AND ended_at IS NULL", new { account, now = s.Time });
        foreach (string table in new[] { "passkeys", "account_tokens", "account_mails" })
        {
            s.Execute($"DELETE FROM {table} WHERE account_id = @account", new { account });
        }
        s.Execute("DELETE FROM notices WHERE person = @account", new { account });
        s.Execute("DELETE FROM deliveries WHERE person = @account", new { account });
        s.Execute("DELETE FROM notice_channels WHERE person = @account", new { account });
        // The address is replaced by one no person can have, so the unique index holds and nobody signs in with it.
        s.Execute("""
            UPDATE accounts SET email = @gone, password_hash = '', time_zone = NULL, language = NULL, email_verified_at = NULL,
                notices_read_at = NULL, notices_read_chain = NULL, notices_read_seq = NULL
            WHERE id = @account
            """, new { account, gone = $"deleted:{account}" });
        s.Append(Verdict.Accept(new AccountDeleted(account)));
        return true;
    }

    /// <summary>Account e-mails due now.</summary>
    public static async Task<IReadOnlyList<AccountMail>> DueAsync(Database database, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string Id, string Email, string Subject, string Body, long Attempts)>(
            "SELECT id, email, subject, body, attempts FROM account_mails WHERE next_at IS NULL OR next_at <= @now ORDER BY created_at LIMIT 50",
            new { now = LogEntry.FormatTime(now) });
        return [.. rows.Select(r => new AccountMail(r.Id, r.Email, r.Subject, r.Body, r.Attempts))];
    }

    /// <summary>Sent: the e-mail, which carries a secret, is kept no longer.</summary>
    public static Result<bool> MailSent(WriteSession s, string id)
    {
        s.Execute("DELETE FROM account_mails WHERE id = @id", new { id });
        return true;
    }

    public static Result<bool> MailFailed(WriteSession s, string id, DateTimeOffset retryAt)
    {
        s.Execute("UPDATE account_mails SET attempts = attempts + 1, next_at = @retry WHERE id = @id", new { id, retry = LogEntry.FormatTime(retryAt) });
        return true;
    }
}
