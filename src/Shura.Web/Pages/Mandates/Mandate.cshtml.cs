using Shura.Storage.Mandates;

namespace Shura.Web.Pages.Mandates;

/// <summary>
/// A mandate: who holds its seats, and for each holder one button to withdraw (or restore) one's
/// confidence, with the live count towards recall. The request that crosses the threshold comes
/// back to a page that already shows the seat vacant and the by-election open.
/// </summary>
public sealed class MandateModel(MandateQueries mandates, CouncilQueries councils) : ShuraPage
{
    public MandateView? View { get; private set; }

    public string CouncilName { get; private set; } = "";

    public bool IsElector { get; private set; }

    public IReadOnlySet<string> Withdrawn { get; private set; } = new HashSet<string>();

    /// <summary>The holder whose recall the viewer's withdrawal would cause, while the page asks them to confirm it.</summary>
    public HolderView? Confirming { get; private set; }

    /// <summary>For a continuous election: the members, who are the candidates, and their names.</summary>
    public IReadOnlyList<MemberView> Members { get; private set; } = [];

    public string Name(string id) => Members.FirstOrDefault(m => m.Id == id)?.Name ?? id;

    public RankingControl Standing => new([.. Members.Select(m => (m.Id, m.Name))], View?.Standing?.MyRanking ?? []);

    [SignedIn]
    public async Task<IActionResult> OnPostRankAsync(MandateId id, CancellationToken ct)
    {
        var me = Person;
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        var (ranking, twice) = RankingControl.Read([.. Members.Select(m => m.Id)], Request.Form, out var sharing);
        if (ranking is null)
        {
            var shared = RankingControl.Shared(Words, [.. sharing.Select(Name)], twice ?? 1, Formats.Current);
            return Refused(shared, shared.Message);
        }
        var people = ranking.Select(r => new AccountId(Guid.Parse(r))).ToList();
        var result = await RunAsync(me, Limit.Ballot, s => MandateCommands.SetStandingBallot(s, id, me, people.Count == 0 ? null : people), ct);
        return result.Refusal is { } refused ? Refused(refused) : GoTo($"/mandates/{id}");
    }

    public async Task<IActionResult> OnGetAsync(MandateId id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    /// <summary>
    /// Withdraws or restores confidence. The withdrawal that would reach the recall threshold is not
    /// written at once: the page asks to confirm it (<paramref name="confirmed"/>), once.
    /// </summary>
    [SignedIn]
    public async Task<IActionResult> OnPostConfidenceAsync(MandateId id, Guid holder, bool withdraw, bool confirmed, CancellationToken ct)
    {
        if (withdraw && !confirmed && await LoadAsync(id, ct)
            && View!.Holders.FirstOrDefault(h => h.Person == holder.ToString()) is { } held
            && !Withdrawn.Contains(held.Person) && held.Withdrawals + 1 >= held.Threshold && IsElector)
        {
            Confirming = held;
            return Page();
        }
        return await ChangeAsync(Limit.None, (s, me) => MandateCommands.ChangeConfidence(s, id, new AccountId(holder), me, withdraw),
            () => LoadAsync(id, ct), $"/mandates/{id}", ct);
    }

    private async Task<bool> LoadAsync(MandateId id, CancellationToken ct)
    {
        View = await mandates.GetAsync(id, ct, Me);
        if (View is null)
        {
            return false;
        }
        var council = await councils.GetAsync(View.Mandate.Council, ct);
        if (council is null || !await MayReadAsync(council, ct))
        {
            return false;
        }
        CouncilName = council.Council.Name;
        if (Me is { } me)
        {
            IsElector = await councils.IsMemberAsync(council.Council.Id, me, ct);
            Members = View.Standing is null ? [] : await councils.MembersAsync(council.Council.Id, ct);
            Withdrawn = await mandates.WithdrawnByAsync(View.Mandate.Id, me, council.Council.Settings.SecretBallots, View.Holders.Select(h => h.Person), ct);
        }
        return true;
    }
}
