namespace Shura.Web.Pages.Councils;

/// <summary>
/// Where an invitation link leads: one button, after signing in or up. A members-only council shows
/// its name here only to someone with a valid invitation to it (or who may read it already).
/// </summary>
[Shura.Web.Councils.OpenToInvitation]
[Microsoft.AspNetCore.Authorization.Authorize]
public sealed class JoinModel(CouncilQueries councils) : ShuraPage
{
    public string Name { get; private set; } = "";

    public string? Invitation { get; private set; }

    public async Task<IActionResult> OnGetAsync(CouncilId id, string? invitation, CancellationToken ct)
    {
        Invitation = invitation;
        return await LoadAsync(id, invitation, ct) ? Page() : NotFound();
    }

    public Task<IActionResult> OnPostAsync(CouncilId id, string? invitation, CancellationToken ct)
    {
        Invitation = invitation;
        return ChangeAsync(Limit.None, (s, me) => CouncilCommands.Join(s, id, me, string.IsNullOrEmpty(invitation) ? null : invitation),
            () => LoadAsync(id, invitation, ct), joined => joined.Joined ? $"/councils/{id}" : $"/motions/{joined.Application}", ct);
    }

    private async Task<bool> LoadAsync(CouncilId id, string? invitation, CancellationToken ct)
    {
        // The name only: an invitation may be to a members-only council the person cannot read yet.
        var view = await councils.GetAsync(id, ct);
        if (view is null || !(await Shura.Web.Councils.InvisibleCouncils.MayReadAsync(HttpContext, view)
            || (invitation is { Length: > 0 } && await councils.InvitationIsValidAsync(view.Council.Id, invitation, ct))))
        {
            return false;
        }
        Name = view.Council.Name;
        return true;
    }
}
