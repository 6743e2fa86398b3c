using Shura.Storage.Delegation;

namespace Shura.Web.Pages.Delegation;

/// <summary>
/// Delegating one's vote (where the council allows it): to a member, for every motion or for one;
/// revocable at any moment, and one's own ballot always overrides it.
/// </summary>
[Microsoft.AspNetCore.Authorization.Authorize]
public sealed class DelegationModel(CouncilQueries councils) : ShuraPage
{
    public CouncilView? View { get; private set; }

    public IReadOnlyList<(string? Motion, string Trustee)> Mine { get; private set; } = [];

    public IReadOnlyList<MemberView> Members { get; private set; } = [];

    public IReadOnlyList<MotionSummary> OpenMotions { get; private set; } = [];

    /// <summary>Whether the signed-in member is a public delegate here.</summary>
    public bool IAmPublic { get; private set; }

    public string Name(string id) => Members.FirstOrDefault(m => m.Id == id)?.Name ?? id;

    public string Title(string id) => OpenMotions.FirstOrDefault(m => m.Id == id)?.Title ?? id;

    public async Task<IActionResult> OnGetAsync(CouncilId id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostSetAsync(CouncilId id, Guid? to, Guid? motion, CancellationToken ct)
    {
        if (to is not Guid trustee)
        {
            return await LoadAsync(id, ct) ? Refused(Refusal.Invalid(Codes.InvalidField, Words["Choose the member you delegate to."], "to")) : NotFound();
        }
        return await StepAsync(id, (s, me) => DelegationCommands.Set(s, id, me, new AccountId(trustee), motion is Guid m ? new MotionId(m) : null), ct);
    }

    public Task<IActionResult> OnPostPublicAsync(CouncilId id, bool makePublic, CancellationToken ct) =>
        StepAsync(id, (s, me) => DelegationCommands.DeclarePublic(s, id, me, makePublic), ct);

    public Task<IActionResult> OnPostRevokeAsync(CouncilId id, Guid? motion, CancellationToken ct) =>
        StepAsync(id, (s, me) => DelegationCommands.Revoke(s, id, me, motion is Guid m ? new MotionId(m) : null), ct);

    private Task<IActionResult> StepAsync<T>(CouncilId id, Func<WriteSession, AccountId, Result<T>> step, CancellationToken ct) =>
        ChangeAsync(Limit.None, step, () => LoadAsync(id, ct), $"/councils/{id}/delegation", ct);

    private async Task<bool> LoadAsync(CouncilId id, CancellationToken ct)
    {
        var (council, me) = (id, Person);
        View = await councils.GetAsync(council, ct);
        if (View is null || !await councils.IsMemberAsync(council, me, ct))
        {
            return false;
        }
        Mine = await councils.DelegationsAsync(council, me, ct);
        var delegates = await councils.PublicDelegatesAsync(council, ct);
        IAmPublic = delegates.Any(d => d.Id == me.ToString());
        // Under secret ballots, votes go only to public delegates; otherwise to any member.
        Members = [.. (View.Council.Settings.SecretBallots ? delegates : await councils.MembersAsync(council, ct)).Where(m => m.Id != me.ToString())];
        OpenMotions = await councils.OpenMotionsAsync(council, ct);
        return true;
    }
}
