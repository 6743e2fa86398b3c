using Shura.Core.Log;
using Shura.Storage.Log;
using Shura.Storage.Motions;

namespace Shura.Web.Pages.Councils;

/// <summary>
/// A ballot's receipt checked: the log entry it is the hash of, in which council, on which motion,
/// when; whether the entry still matches its hash and the entries beside it. The page never says
/// what the ballot was nor whether a later one replaced it — a receipt someone was made to show
/// must not tell them whether its voter changed their mind. Only councils the reader may read are
/// searched, and "not found" reads the same whether the entry is missing or hidden.
/// </summary>
public sealed class ReceiptModel(CouncilQueries councils, LogQueries log, MotionQueries motions) : ShuraPage
{
    public string? Asked { get; private set; }

    public LogEntry? Entry { get; private set; }

    /// <summary>Whether the entry after it names it (null: it is its chain's last).</summary>
    public bool? Followed { get; private set; }

    public string CouncilName { get; private set; } = "";

    public Core.Motions.Motion? Motion { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? r, CancellationToken ct)
    {
        Asked = r?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(Asked))
        {
            Asked = null;
            return Page();
        }
        if (Asked.Length != 64 || !Asked.All(char.IsAsciiHexDigitLower))
        {
            Error = Words["A receipt is 64 characters, each 0–9 or a–f: check that you copied all of it."];
            return Page();
        }
        if (await log.ByHashAsync(Asked, ct) is { } found && Guid.TryParse(found.Entry.Chain, out var council)
            && await councils.GetAsync(new CouncilId(council), ct) is { } view && await MayReadAsync(view, ct))
        {
            (Entry, Followed, CouncilName) = (found.Entry, found.Followed, view.Council.Name);
            if (EventJson.Read(Entry.Type, Entry.Payload) is Core.Motions.BallotCast cast)
            {
                Motion = await motions.MotionAsync(cast.Motion, ct);
            }
        }
        return Page();
    }
}
