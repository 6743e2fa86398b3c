namespace Shura.Core.Accounts;

/// <summary>
/// One account per person (DESIGN §2): a display name, an e-mail address to sign in with, and a
/// password hash. There is no gender, role or rank: every account has the same rights (P5), and
/// none has powers that members lack (P4).
/// </summary>
public sealed record Account(AccountId Id, string Name, string Email, string PasswordHash, DateTimeOffset RegisteredAt);

/// <summary>
/// An account was opened. E-mail addresses and passwords never enter the log; the name enters it
/// sealed: <see cref="NameHash"/> is the salted hash of the name kept beside the log, so that the
/// name can be erased with the account (DESIGN §2, Person) and the log still verifies. Entries
/// written before names were sealed carry <see cref="Name"/> itself.
/// </summary>
public sealed record AccountRegistered(AccountId Account, string? Name) : Event
{
    public string? NameHash { get; init; }

    public override Guid? Council => null;

    public override string Actor => Account.ToString();
}

/// <summary>A person changed their name: the log holds the new name's salted hash, the name is kept beside it.</summary>
public sealed record AccountRenamed(AccountId Account, string NameHash) : Event
{
    public override Guid? Council => null;

    public override string Actor => Account.ToString();
}

/// <summary>
/// A person deleted their account (DESIGN §2, Person): their name, e-mail address and credentials
/// are erased; the log keeps only the id, and shows them as a former member.
/// </summary>
public sealed record AccountDeleted(AccountId Account) : Event
{
    public override Guid? Council => null;

    public override string Actor => Account.ToString();
}

/// <summary>A personal access token was created; the log holds its id, never the secret.</summary>
public sealed record TokenCreated(TokenId Token, AccountId Account, string Label) : Event
{
    public override Guid? Council => null;

    public override string Actor => Account.ToString();
}

public sealed record TokenRevoked(TokenId Token, AccountId Account) : Event
{
    public override Guid? Council => null;

    public override string Actor => Account.ToString();
}

/// <summary>The rules for opening an account.</summary>
public static class Registration
{
    /// <summary>The one rule for passwords, for the API and the pages alike.</summary>
    public const int MinPasswordLength = 10;

    public static Refusal? Check(string? name, string? email, string? password) =>
        Text.NameProblem(name, "name", 1, 100) ?? EmailProblem(email) ?? PasswordProblem(password);

    /// <summary>The one rule for an e-mail address: at sign-up, and when it changes.</summary>
    public static Refusal? EmailProblem(string? email) =>
        IsEmail(email) ? null : Refusal.Invalid(Codes.InvalidField, "email must be an e-mail address such as name@example.org.", "email");

    /// <summary>The one rule for a password: at sign-up, on a change and on a reset.</summary>
    public static Refusal? PasswordProblem(string? password) =>
        password is null || password.Length < MinPasswordLength || password.Length > 1000
            ? Refusal.Invalid(Codes.InvalidField, $"password must have {MinPasswordLength} to 1000 characters.", "password")
            : null;

    /// <summary>
    /// An e-mail address as it is stored, looked up and rate-limited — one form everywhere: without
    /// surrounding spaces, in Unicode compatibility form (so a Kelvin sign, U+212A, is the letter K),
    /// in lower case. Text that is not well-formed stays as it is: it matches no address.
    /// </summary>
    public static string NormalizeEmail(string email)
    {
        string trimmed = email.Trim();
        try
        {
            return trimmed.Normalize(System.Text.NormalizationForm.FormKC).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return trimmed;
        }
    }

    /// <summary>Whether the text is an e-mail address as sign-up takes one.</summary>
    public static bool IsEmail(string? email) => !string.IsNullOrWhiteSpace(email) && email.Length <= 254 && LooksLikeEmail(email.Trim());

    private static bool LooksLikeEmail(string email)
    {
        int at = email.IndexOf('@');
        return at > 0 && at == email.LastIndexOf('@') && at < email.Length - 1
            && !email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || char.IsSurrogate(c)) && email[(at + 1)..].Contains('.');
    }

    public static AccountRegistered Register(AccountId id, string nameHash) => new(id, null) { NameHash = nameHash };

    /// <summary>What pages, feeds and exports show for a person who deleted their account: their name is gone.</summary>
    public const string FormerMember = "a former member · عضو پیشین";
}
