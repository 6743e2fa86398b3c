using Microsoft.AspNetCore.Identity;

namespace Shura.Web.Pages.Accounts;

/// <summary>One's own account: its passkeys, and adding one.</summary>
[Microsoft.AspNetCore.Authorization.Authorize]
public sealed class AccountModel(UserManager<PasskeyUser> users, Storage.Accounts.AccountQueries accounts) : ShuraPage
{
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
        return Page();
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
