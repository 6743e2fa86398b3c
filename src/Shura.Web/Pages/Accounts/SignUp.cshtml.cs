using Shura.Core.Accounts;

namespace Shura.Web.Pages.Accounts;

public sealed class SignUpModel(Writer writer, Throttle throttle) : ShuraPage
{
    public string? Name { get; private set; }

    public string? Email { get; private set; }

    public string? Back { get; private set; }

    public void OnGet(string? back) => Back = back;

    /// <param name="timeZone">The browser's time zone, said by the page's script (Intl); a name the server does not know is ignored.</param>
    public async Task<IActionResult> OnPostAsync(string? name, string? email, string? password, string? back, string? timeZone, CancellationToken ct)
    {
        (Name, Email, Back) = (name, email, back);
        if (Registration.Check(name, email, password) is { } refusal)
        {
            return Refused(refusal);
        }
        if (!await throttle.MayOpenAccountAsync(HttpContext.Connection.RemoteIpAddress?.ToString()))
        {
            Error = Words["Many accounts were opened from this address lately; wait an hour."];
            Response.StatusCode = 429;
            return Page();
        }
        string hash = Passwords.Hash(password!);
        string? zone = Site.TimeZones.Find(timeZone)?.Id;
        string language = Site.Formats.Current.Language;
        var result = await writer.RunAsync(s => AccountCommands.Register(s, name!, email!, hash, zone, language), ct);
        if (result.Refusal is { } refused)
        {
            return Refused(refused);
        }
        await HttpContext.RequestServices.GetRequiredService<Shura.Web.Accounts.AccountMails>().SendVerificationAsync(writer, result.Value, email!, language, ct);
        await Site.Pages.SignInAsync(HttpContext, result.Value, name!.Trim());
        return GoTo(Site.Pages.Back(back), Done.SignedUp);
    }
}
