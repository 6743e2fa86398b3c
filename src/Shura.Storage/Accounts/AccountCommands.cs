using Shura.Core.Accounts;
using Shura.Core.Log;

namespace Shura.Storage.Accounts;

/// <summary>Opening accounts and managing their personal access tokens.</summary>
public static class AccountCommands
{
    /// <param name="passwordHash">Hashed by the caller, outside the writer: hashing is slow on purpose.</param>
    /// <param name="timeZone">The IANA name of the person's time zone, checked by the caller; private, never in the log.</param>
    /// <param name="language">The language the person signed up in ("en" or "fa"): their e-mails are written in it.</param>
    public static Result<AccountId> Register(WriteSession s, string name, string email, string passwordHash, string? timeZone = null, string? language = null)
    {
        s.Lock(LogEntry.AccountsChain);
        string normalized = Registration.NormalizeEmail(email);
        if (s.Scalar<long>("SELECT COUNT(*) FROM accounts WHERE email = @normalized", new { normalized }) > 0)
        {
            return Refusal.Conflict(Codes.EmailTaken, "An account with this e-mail address exists already.");
        }
        var id = new AccountId(Guid.CreateVersion7(s.Now));
        string trimmed = name.Trim();
        string salt = new Core.Discussion.Salts().SaltOf(trimmed);
        string nameHash = Core.Discussion.Texts.Hash(trimmed, salt);
        s.Execute("""
            INSERT INTO accounts (id, name, email, password_hash, registered_at, time_zone, language, name_hash, name_salt)
            VALUES (@id, @trimmed, @normalized, @passwordHash, @time, @timeZone, @language, @nameHash, @salt)
            """, new { id, trimmed, normalized, passwordHash, time = s.Time, timeZone, language, nameHash, salt });
        s.Append(Verdict.Accept(Registration.Register(id, nameHash)));
        return id;
    }

    /// <summary>
    /// A person's time zone (an IANA name, checked by the caller), in which the pages show them every
    /// time. Private like the e-mail address: where someone lives is nobody else's business, so it
    /// never enters the log.
    /// </summary>
    public static Result<bool> SetTimeZone(WriteSession s, AccountId account, string timeZone)
    {
        s.Execute("UPDATE accounts SET time_zone = @timeZone WHERE id = @account", new { timeZone, account });
        return true;
    }

    /// <summary>The language a person's e-mails are written in ("en" or "fa", checked by the caller): private, never in the log.</summary>
    public static Result<bool> SetLanguage(WriteSession s, AccountId account, string language)
    {
        s.Execute("UPDATE accounts SET language = @language WHERE id = @account", new { language, account });
        return true;
    }

    /// <param name="secretHash">SHA-256 of the token's secret; the secret itself is shown once and never stored.</param>
    public static Result<TokenId> CreateToken(WriteSession s, AccountId account, string label, string secretHash)
    {
        s.Lock(LogEntry.AccountsChain);
        var id = new TokenId(Guid.CreateVersion7(s.Now));
        s.Execute("INSERT INTO tokens (id, account_id, label, secret_hash, created_at) VALUES (@id, @account, @label, @secretHash, @time)",
            new { id, account, label, secretHash, time = s.Time });
        s.Append(Verdict.Accept(new TokenCreated(id, account, label)));
        return id;
    }

    /// <summary>
    /// A sign-in session for the pages: its secret rides in the sign-in cookie, and only its SHA-256
    /// is stored. Sessions are private to their person and never enter the log.
    /// </summary>
    public static Result<bool> StartSession(WriteSession s, AccountId account, string secretHash)
    {
        s.Execute("INSERT INTO sessions (id, account_id, created_at) VALUES (@id, @account, @time)",
            new { id = secretHash, account, time = s.Time });
        return true;
    }

    /// <summary>Ends a session (signing out): from now on its cookie, and every copy of it, signs nobody in.</summary>
    public static Result<bool> EndSession(WriteSession s, string secretHash)
    {
        s.Execute("UPDATE sessions SET ended_at = @time WHERE id = @id AND ended_at IS NULL", new { id = secretHash, time = s.Time });
        return true;
    }

    public static Result<bool> RevokeToken(WriteSession s, AccountId account, TokenId token)
    {
        s.Lock(LogEntry.AccountsChain);
        long found = s.Scalar<long>("SELECT COUNT(*) FROM tokens WHERE id = @id AND account_id = @account AND revoked_at IS NULL",
            new { id = token.ToString(), account });
        if (found == 0)
        {
            return Refusal.NotFound("This token");
        }
        s.Append(Verdict.Accept(new TokenRevoked(token, account)));
        return true;
    }
}
