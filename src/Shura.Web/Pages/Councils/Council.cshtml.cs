using Shura.Core.Councils;
using Shura.Core.Mandates;
using Shura.Storage.Mandates;

namespace Shura.Web.Pages.Councils;

public sealed class CouncilModel(CouncilQueries councils, MandateQueries mandates, Storage.Feed.FeedQueries feed, AccountQueries accounts) : ShuraPage
{
    /// <summary>For a federation: the names of its member councils' delegates.</summary>
    public IReadOnlyDictionary<string, string> DelegateNames { get; private set; } = new Dictionary<string, string>();

    public string DelegateName(string person) => DelegateNames.GetValueOrDefault(person, person);

    /// <summary>The council's latest posts (its feed), shown on its page.</summary>
    public IReadOnlyList<Storage.Feed.PostView> Posts { get; private set; } = [];

    public const int PostsShown = 10;

    private static readonly string[] StateOrder = ["voting", "deliberation", "proposed", "draft", "decided", "in-force", "rejected", "repealed"];

    public CouncilView? View { get; private set; }

    public bool IsMember { get; private set; }

    /// <summary>Motions shown on one page; older ones are a link away.</summary>
    public const int MotionsPerPage = 50;

    public IReadOnlyList<MotionSummary> Motions { get; private set; } = [];

    /// <summary>Shows the motions put before this one (a page back), when set.</summary>
    public string? Before { get; private set; }

    public IReadOnlyList<Mandate> Mandates { get; private set; } = [];

    public IReadOnlyList<MemberView> Members { get; private set; } = [];

    public string? Invitation { get; private set; }

    public int Order(string state) => Array.IndexOf(StateOrder, state) is int i and >= 0 ? i : StateOrder.Length;

    public async Task<IActionResult> OnGetAsync(CouncilId id, Guid? before, CancellationToken ct)
    {
        Before = before?.ToString();
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    [SignedIn]
    public async Task<IActionResult> OnPostJoinAsync(CouncilId id, CancellationToken ct)
    {
        var me = Person;
        var result = await RunAsync(me, Limit.None, s => CouncilCommands.Join(s, id, me, null), ct);
        if (result.Refusal is { } refusal)
        {
            return await LoadAsync(id, ct) ? Refused(refusal) : NotFound();
        }
        var joined = result.Value!;
        return joined.Joined ? GoTo($"/councils/{id}", Done.Joined) : GoTo($"/motions/{joined.Application}", Done.Applied);
    }

    [SignedIn]
    public Task<IActionResult> OnPostLeaveAsync(CouncilId id, CancellationToken ct) =>
        ChangeAsync(Limit.None, (s, me) => CouncilCommands.Leave(s, id, me), () => LoadAsync(id, ct), $"/councils/{id}", ct);

    [SignedIn]
    public async Task<IActionResult> OnPostInviteAsync(CouncilId id, CancellationToken ct)
    {
        var me = Person;
        var result = await RunAsync(me, Limit.Creation, s => CouncilCommands.Invite(s, id, me), ct);
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        if (result.Refusal is { } refused)
        {
            return Refused(refused);
        }
        Invitation = $"{Request.Scheme}://{Request.Host}/councils/{id}/join?invitation={Uri.EscapeDataString(result.Value!)}";
        return Page();
    }

    /// <summary>How many people the list just uploaded invited.</summary>
    public int? Invited { get; private set; }

    /// <summary>A member uploads a list of people to invite by e-mail; a bad line invites nobody, and the page names it.</summary>
    public async Task<IActionResult> OnPostImportMembersAsync(CouncilId id, IFormFile? list, [FromServices] Shura.Web.Councils.MemberInvitations invitations, CancellationToken ct)
    {
        var me = Person;
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        if (list is null || list.Length == 0)
        {
            return Refused(Refusal.Invalid(Codes.InvalidField, "Choose a CSV file: name,email, one person per line.", "list"));
        }
        using var reader = new StreamReader(list.OpenReadStream(), System.Text.Encoding.UTF8);
        var (people, problem) = Shura.Web.Councils.MemberImport.Read(await reader.ReadToEndAsync(ct));
        if (problem is not null)
        {
            Error = $"{Words["The list has a mistake at line {0}, column {1}; nobody was invited.", F.Number(problem.Line), F.Number(problem.Column)]} ({problem.Message})";
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        var result = await invitations.SendAsync(id, me, User.Identity?.Name ?? "", people!, (by, command) => RunAsync(by, Limit.Creation, command, ct), ct);
        if (result.Refusal is { } refused)
        {
            return Refused(refused);
        }
        Invited = result.Value;
        return Page();
    }

    private Site.Formats F => new(System.Globalization.CultureInfo.CurrentUICulture);

    private async Task<bool> LoadAsync(CouncilId id, CancellationToken ct)
    {
        var council = id;
        View = await councils.GetAsync(council, ct);
        if (View is null)
        {
            return false;
        }
        IsMember = Me is { } me && await councils.IsMemberAsync(council, me, ct);
        if (!await MayReadAsync(View, ct))
        {
            return false;
        }
        View = await Shura.Web.Councils.InvisibleCouncils.MaskAsync(HttpContext, View);
        Motions = await councils.RecentMotionsAsync(council, Me, Before, MotionsPerPage, ct);
        Mandates = await mandates.OfCouncilAsync(council, ct);
        Members = View.Council.IsFederation ? [] : await councils.MembersAsync(council, ct);
        if (View.Council.IsFederation)
        {
            DelegateNames = await accounts.NamesAsync(View.MemberCouncils.SelectMany(m => m.Delegates), ct);
        }
        Posts = [.. (await feed.OfCouncilAsync(council, ct)).Take(PostsShown)];
        return true;
    }
}
