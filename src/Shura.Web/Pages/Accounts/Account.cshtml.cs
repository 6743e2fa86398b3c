using Microsoft.AspNetCore.Identity;

namespace Shura.Web.Pages.Accounts;

/// <summary>One's own account: its passkeys, and adding one.</summary>
[Microsoft.AspNetCore.Authorization.Authorize]
public sealed class AccountModel(UserManager<PasskeyUser> users) : ShuraPage
{
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
        return Page();
    }
}
