using Shura.Storage.Notifications;

namespace Shura.Web.Pages.Accounts;

/// <summary>One's notices: what happened in one's councils that needs one, the unread ones marked; marking them read.</summary>
[Microsoft.AspNetCore.Authorization.Authorize]
public sealed class InboxModel(NoticeQueries notices) : ShuraPage
{
    public IReadOnlyList<NoticeView> Notices { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Notices = await notices.OfAsync(Person, ct);

    public async Task<IActionResult> OnPostReadAsync(CancellationToken ct)
    {
        var me = Person;
        var result = await RunAsync(me, Limit.None, s => NoticeCommands.MarkRead(s, me), ct);
        if (result.Refusal is { } refused)
        {
            await OnGetAsync(ct);
            return Refused(refused);
        }
        return GoTo("/inbox");
    }
}
