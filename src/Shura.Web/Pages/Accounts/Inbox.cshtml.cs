using Shura.Storage.Notifications;

namespace Shura.Web.Pages.Accounts;

/// <summary>
/// One's notices: what happened in one's councils that needs one, the unread ones marked; marking
/// them read; and how one hears of each kind (in the inbox, by e-mail at once, in a daily digest, or not at all).
/// </summary>
[Microsoft.AspNetCore.Authorization.Authorize]
public sealed class InboxModel(NoticeQueries notices) : ShuraPage
{
    public IReadOnlyList<NoticeView> Notices { get; private set; } = [];

    public IReadOnlyDictionary<string, string> Channels { get; private set; } = new Dictionary<string, string>();

    /// <summary>Whether this server sends e-mail (<c>--smtp</c>): without it, the e-mail channels say they are off.</summary>
    public bool MailOn => HttpContext.RequestServices.GetService<Notifications.MailSettings>() is not null;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Notices = await notices.OfAsync(Person, ct);
        Channels = await notices.ChannelsAsync(Person, ct);
    }

    /// <summary>The unread count alone, for the header's live badge.</summary>
    public async Task<IActionResult> OnGetCountAsync(CancellationToken ct) => new JsonResult(new { unread = await notices.UnreadAsync(Person, ct) });

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

    public async Task<IActionResult> OnPostChannelsAsync(CancellationToken ct)
    {
        var me = Person;
        var chosen = NoticeKinds.All.Where(k => Request.Form.ContainsKey("channel-" + k))
            .ToDictionary(k => k, k => Request.Form["channel-" + k].ToString(), StringComparer.Ordinal);
        var result = await RunAsync(me, Limit.None, s => NoticeCommands.Choose(s, me, chosen), ct);
        if (result.Refusal is { } refused)
        {
            await OnGetAsync(ct);
            return Refused(refused);
        }
        return GoTo("/inbox#channels");
    }
}
