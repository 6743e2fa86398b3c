namespace Shura.Web.Pages;

public sealed class IndexModel(CouncilQueries councils) : ShuraPage
{
    public IReadOnlyList<CouncilSummary>? Mine { get; private set; }

    public IReadOnlyList<CouncilSummary> Public { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (Me is { } me)
        {
            Mine = await councils.OfAccountAsync(me, ct);
        }
        Public = await councils.PublicAsync(100, ct);
    }
}
