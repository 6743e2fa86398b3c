using Shura.Storage.Accounts;
using Shura.Web.Accounts;

namespace Shura.Web.Pages.Accounts;

/// <summary>
/// Resetting a forgotten password: one asks for a link by address (the answer is the same whether
/// an account has it or not), and the link, single-use and good for 30 minutes, lets one choose a
/// new password, which signs every session of the account out.
/// </summary>
public sealed class ResetModel(Writer writer, AccountQueries accounts, AccountMails mails, Site.Throttle throttle) : ShuraPage
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    public bool MailOn => mails.On;

    public bool Sent { get; private set; }

    public bool Changed { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAskAsync(string? email, CancellationToken ct)
    {
        if (!mails.On)
        {
            return Refused(OwnAccountApi.MailOff());
        }
        if (!await throttle.MaySignInAsync(HttpContext.Connection.RemoteIpAddress?.ToString(), email))
        {
            return Refused(Refusal.TooMany(Codes.TooManyAttempts, "Too many attempts for this address; wait a few minutes."));
        }
        if (email is not null && await accounts.FindByEmailAsync(email, ct) is { } found)
        {
            var (address, language) = await accounts.EmailAndLanguageAsync(found.Id, ct);
            await writer.RunAsync(s => OwnAccount.Issue(s, found.Id, "reset", address, Storage.Secrets.Create("r_"), mails.Reset(language)), ct);
        }
        Sent = true;
        return Page();
    }

    public async Task<IActionResult> OnPostChooseAsync(string? password, CancellationToken ct)
    {
        if (Core.Accounts.Registration.PasswordProblem(password) is Refusal bad)
        {
            return Refused(bad);
        }
        string hash = Passwords.Hash(password!);
        var result = await writer.RunAsync(s => OwnAccount.Reset(s, Token ?? "", hash), ct);
        if (result.Refusal is { } refused)
        {
            return Refused(refused);
        }
        Changed = true;
        return Page();
    }
}
