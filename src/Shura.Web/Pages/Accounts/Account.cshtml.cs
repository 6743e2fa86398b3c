using Microsoft.AspNetCore.Identity;
using Shura.Storage.Accounts;
using Shura.Web.Accounts;

namespace Shura.Web.Pages.Accounts;

/// <summary>
/// One's own account: name, e-mail address (verified by a link), password, time zone, passkeys,
/// the sessions signed in, the export of one's data, and deleting the account.
/// </summary>
[Microsoft.AspNetCore.Authorization.Authorize]
public sealed class AccountModel(UserManager<PasskeyUser> users, AccountQueries accounts, AccountMails mails) : ShuraPage
{
    public bool Verified { get; private set; }

    public bool MailOn => mails.On;

    public IReadOnlyList<SessionView> Sessions { get; private set; } = [];

    /// <summary>The language this person's e-mails are written in.</summary>
    public string MailLanguage { get; private set; } = "en";

    /// <summary>One's personal access tokens not revoked.</summary>
    public IReadOnlyList<TokenInfo> Tokens { get; private set; } = [];

    /// <summary>What the last step did, to say so on the page.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    /// <summary>The zone the pages show times in for this person (UTC when they chose none).</summary>
    public string TimeZone { get; private set; } = "UTC";

    public PasskeyUser? Account { get; private set; }

    public IList<UserPasskeyInfo> Passkeys { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (await users.FindByIdAsync(Person.ToString()) is not { } person)
        {
            return NotFound();
        }
        Account = person;
        Passkeys = await users.GetPasskeysAsync(person);
        TimeZone = Site.TimeZones.Find(await accounts.TimeZoneAsync(Person, HttpContext.RequestAborted))?.Id ?? "UTC";
        Verified = await accounts.VerifiedAsync(Person, HttpContext.RequestAborted);
        MailLanguage = await accounts.LanguageAsync(Person, HttpContext.RequestAborted) ?? "en";
        Sessions = await accounts.SessionsAsync(Person, OwnAccountApi.CurrentSession(HttpContext), HttpContext.RequestAborted);
        Tokens = [.. (await accounts.TokensAsync(Person, HttpContext.RequestAborted)).Where(t => t.RevokedAt is null)];
        return Page();
    }

    /// <summary>Runs a step on one's own account; on a refusal the page shows it, else it goes to <paramref name="then"/>.</summary>
    private async Task<IActionResult> StepAsync<T>(Func<Storage.WriteSession, Result<T>> command, string then, CancellationToken ct, Limit limit = Limit.None)
    {
        var result = await RunAsync(Person, limit, command, ct);
        if (result.Refusal is { } refused)
        {
            await OnGetAsync();
            return Refused(refused);
        }
        return GoTo(then);
    }

    public async Task<IActionResult> OnPostNameAsync(string? name, CancellationToken ct)
    {
        var me = Person;
        var answer = await StepAsync(s => OwnAccount.Rename(s, me, name), "/account?done=name#name", ct);
        if (answer is LocalRedirectResult)
        {
            // The header shows the new name from the next page on.
            await Site.Pages.SignInAsync(HttpContext, me, name!.Trim());
        }
        return answer;
    }

    /// <summary>A new address counts once its owner opens the link sent to it.</summary>
    public async Task<IActionResult> OnPostEmailAsync(string? email, CancellationToken ct)
    {
        var me = Person;
        if (Core.Accounts.Registration.EmailProblem(email) is Refusal bad)
        {
            await OnGetAsync();
            return Refused(bad);
        }
        if (!mails.On)
        {
            await OnGetAsync();
            return Refused(OwnAccountApi.MailOff());
        }
        string? language = await accounts.LanguageAsync(me, ct);
        string normalized = Core.Accounts.Registration.NormalizeEmail(email!);
        return await StepAsync(s => OwnAccount.Issue(s, me, "verify", normalized, Storage.Secrets.Create("v_"), mails.Verification(language)), "/account?done=email#email", ct, Limit.Creation);
    }

    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken ct)
    {
        var me = Person;
        if (!mails.On)
        {
            await OnGetAsync();
            return Refused(OwnAccountApi.MailOff());
        }
        var (email, language) = await accounts.EmailAndLanguageAsync(me, ct);
        return await StepAsync(s => OwnAccount.Issue(s, me, "verify", email, Storage.Secrets.Create("v_"), mails.Verification(language)), "/account?done=email#email", ct, Limit.Creation);
    }

    public async Task<IActionResult> OnPostPasswordAsync(string? currentPassword, string? newPassword, CancellationToken ct)
    {
        var me = Person;
        if (Core.Accounts.Registration.PasswordProblem(newPassword) is Refusal bad)
        {
            await OnGetAsync();
            return Refused(bad);
        }
        if (!await OwnAccountApi.PasswordIsAsync(accounts, me, currentPassword, ct))
        {
            await OnGetAsync();
            return Refused(Refusal.Forbidden(Codes.InvalidCredentials, "The current password is wrong."));
        }
        string hash = Passwords.Hash(newPassword!);
        string? keep = OwnAccountApi.CurrentSession(HttpContext);
        return await StepAsync(s => OwnAccount.SetPassword(s, me, hash, keep), "/account?done=password#password", ct);
    }

    public async Task<IActionResult> OnPostLanguageAsync(string? language, CancellationToken ct)
    {
        var me = Person;
        if (!Site.Pages.Languages.Any(l => l.Name == language))
        {
            await OnGetAsync();
            return Refused(Refusal.Invalid(Codes.InvalidField, "language must be en or fa.", "language"));
        }
        return await StepAsync(s => AccountCommands.SetLanguage(s, me, language!), "/account#language", ct);
    }

    public Task<IActionResult> OnPostEndSessionAsync(string? id, CancellationToken ct)
    {
        var me = Person;
        return StepAsync(s => OwnAccount.EndSession(s, me, id ?? ""), "/account#sessions", ct);
    }

    public async Task<IActionResult> OnPostRevokeTokenAsync(string? id, [FromServices] BearerTokens tokens, CancellationToken ct)
    {
        var me = Person;
        if (!Guid.TryParse(id, out var token))
        {
            await OnGetAsync();
            return Refused(Refusal.NotFound("This token"));
        }
        var answer = await StepAsync(s => AccountCommands.RevokeToken(s, me, new TokenId(token)), "/account#sessions", ct);
        tokens.Forget(me);
        return answer;
    }

    /// <summary>Everything about oneself, as a JSON file to keep.</summary>
    public async Task<IActionResult> OnGetExportAsync([FromServices] PersonalData data, CancellationToken ct)
    {
        var export = await data.ExportAsync(Person, ct);
        var bytes = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(export, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web) { WriteIndented = true });
        return File(bytes, "application/json", "shura-account.json");
    }

    public async Task<IActionResult> OnPostDeleteAsync(string? password, [FromServices] Sessions sessions, [FromServices] Site.Live live, [FromServices] BearerTokens tokens, CancellationToken ct)
    {
        var me = Person;
        if (!await OwnAccountApi.PasswordIsAsync(accounts, me, password, ct))
        {
            await OnGetAsync();
            return Refused(Refusal.Forbidden(Codes.InvalidCredentials, "The password is wrong."));
        }
        var result = await RunAsync(me, Limit.None, s => OwnAccount.Delete(s, me), ct);
        if (result.Refusal is { } refused)
        {
            await OnGetAsync();
            return Refused(refused);
        }
        tokens.Forget(me);
        await sessions.SignOutAsync(HttpContext, live);
        return GoTo("/?deleted=1");
    }

    /// <summary>The person chooses the zone every time is shown in.</summary>
    public async Task<IActionResult> OnPostTimeZoneAsync(string? timeZone, CancellationToken ct)
    {
        if (Site.TimeZones.Find(timeZone) is not { } zone)
        {
            await OnGetAsync();
            return Refused(Refusal.Unprocessable(Codes.UnknownTimeZone, $"\"{timeZone}\" is not the name of a time zone, such as Asia/Tehran.", "timeZone"));
        }
        var me = Person;
        var result = await RunAsync(me, Limit.None, s => Storage.Accounts.AccountCommands.SetTimeZone(s, me, zone.Id), ct);
        if (result.Refusal is { } refused)
        {
            await OnGetAsync();
            return Refused(refused);
        }
        return GoTo("/account#time-zone");
    }
}
