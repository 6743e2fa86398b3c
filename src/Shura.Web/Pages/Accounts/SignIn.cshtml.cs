using Microsoft.AspNetCore.Authentication;

namespace Shura.Web.Pages.Accounts;

public sealed class SignInModel(AccountQueries accounts, Throttle throttle) : ShuraPage
{
    public string? Email { get; private set; }

    public string? Back { get; private set; }

    public void OnGet(string? back) => Back = back;

    public async Task<IActionResult> OnPostAsync(string? email, string? password, string? back, CancellationToken ct)
    {
        (Email, Back) = (email, back);
        if (!await throttle.MaySignInAsync(HttpContext.Connection.RemoteIpAddress?.ToString(), email))
        {
            Error = Words["Too many sign-in attempts; wait a few minutes."];
            Response.StatusCode = 429;
            return Page();
        }
        // One answer, in the same time, whether the address is unknown or the password wrong: no account probing.
        if (await Credentials.CheckAsync(accounts, email, password, ct) is not { } account)
        {
            await throttle.SignInFailedAsync(HttpContext.Connection.RemoteIpAddress?.ToString());
            return Refused(new Refusal(RefusalKind.Unauthenticated, Codes.InvalidCredentials, "The e-mail address or the password is wrong.", null));
        }
        string name = await accounts.NameAsync(account, ct) ?? "";
        await Site.Pages.SignInAsync(HttpContext, account, name);
        return GoTo(Site.Pages.Back(back));
    }
}

public sealed class SignOutModel(Sessions sessions, Live live) : ShuraPage
{
    public async Task<IActionResult> OnPostAsync()
    {
        await sessions.SignOutAsync(HttpContext, live);
        return GoTo("/");
    }
}
