using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Shura.Web.Accounts;
using Shura.Web.Site;

namespace Shura.Web.Pages.Accounts;

/// <summary>One's own account: its passkeys, and adding one.</summary>
public sealed class AccountModel(UserManager<PasskeyUser> users) : ShuraPage
{
    public PasskeyUser? Person { get; private set; }

    public IList<UserPasskeyInfo> Passkeys { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (Me is not { } me || await users.FindByIdAsync(me.ToString()) is not { } person)
        {
            return SignInFirst();
        }
        Person = person;
        Passkeys = await users.GetPasskeysAsync(person);
        return Page();
    }
}
