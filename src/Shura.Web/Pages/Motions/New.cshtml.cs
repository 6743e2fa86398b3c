using Shura.Core.Mandates;
using Shura.Core.Motions;
using Shura.Storage.Mandates;
using Shura.Storage.Motions;

namespace Shura.Web.Pages.Motions;

/// <summary>Putting a motion: a decision, a choice among options, an election to a mandate, or a recall of a holder.</summary>
[Microsoft.AspNetCore.Authorization.Authorize]
public sealed class NewModel(CouncilQueries councils, MandateQueries mandates) : ShuraPage
{
    public static readonly string[] Kinds = ["decision", "choice", "election", "recall", "federate", "secede", "instruction", "referral"];

    public static readonly string[] ChoiceMethods = ["schulze", "irv", "plurality", "approval", "score", "ranked-pairs"];

    public static readonly string[] ElectionMethods = ["irv", "stv", "meek"];

    public string Kind { get; private set; } = "decision";

    public string CouncilName { get; private set; } = "";

    public IReadOnlyList<MemberView> Members { get; private set; } = [];

    public IReadOnlyList<Mandate> Mandates { get; private set; } = [];

    public IReadOnlyList<(Mandate Mandate, string Person, string Name)> Holders { get; private set; } = [];

    /// <summary>Federations the council may join, or for a secede motion those it belongs to.</summary>
    public IReadOnlyList<CouncilSummary> Federations { get; private set; } = [];

    /// <summary>Open decisions of the federations the council belongs to: what an instruction or a referral is about.</summary>
    public IReadOnlyList<(string Id, string Title, string Federation)> FederationMotions { get; private set; } = [];

    public string? Title { get; private set; }

    public string? Text { get; private set; }

    public string? Options { get; private set; }

    public async Task<IActionResult> OnGetAsync(CouncilId id, string? kind, CancellationToken ct)
    {
        Kind = Kinds.Contains(kind) ? kind! : "decision";
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(
        CouncilId id, string? kind, string? title, string? text, string? options, string? method, int? seats, Guid? mandate, List<string>? candidates,
        string? holder, Guid? federation, Guid? federationMotion, string? choice, bool draft, CancellationToken ct)
    {
        var me = Person;
        (Kind, Title, Text, Options) = (Kinds.Contains(kind) ? kind! : "decision", title, text, options);
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        var request = Kind switch
        {
            "choice" => new MotionRequest("choice", title, text ?? "", Lines(options), method, seats, Draft: draft),
            "election" => new MotionRequest("election", title, text ?? "", candidates ?? [], method, seats, Draft: draft) { Mandate = Mandate(mandate?.ToString()) },
            "recall" => RecallRequest(title, text, holder, draft),
            "federate" or "secede" => new MotionRequest(Kind, title, text ?? "", Draft: draft) { Federation = federation is Guid f ? new CouncilId(f) : null },
            "instruction" => new MotionRequest("instruction", title, text ?? "", Draft: draft)
            {
                FederationMotion = federationMotion is Guid im ? new MotionId(im) : null,
                Instruction = new MotionBallot(Choice: choice),
            },
            "referral" => new MotionRequest("referral", title, text ?? "", Draft: draft) { FederationMotion = federationMotion is Guid rm ? new MotionId(rm) : null },
            _ => new MotionRequest("decision", title, text ?? "", Draft: draft),
        };
        var result = await RunAsync(me, Limit.Creation, s => MotionCommands.Put(s, id, me, request), ct);
        return result.Refusal is { } refused ? Refused(refused) : GoTo($"/motions/{result.Value}");
    }

    /// <summary>A recall names the mandate and the holder in one field, "mandate/person", picked from the holders listed.</summary>
    private static MotionRequest RecallRequest(string? title, string? text, string? holder, bool draft)
    {
        var parts = (holder ?? "").Split('/');
        return new MotionRequest("recall", title, text ?? "", Draft: draft)
        {
            Mandate = parts.Length == 2 ? Mandate(parts[0]) : null,
            Holder = parts.Length == 2 && Guid.TryParse(parts[1], out var person) ? new AccountId(person) : null,
        };
    }

    private static MandateId? Mandate(string? id) => Guid.TryParse(id, out var guid) ? new MandateId(guid) : null;

    private static List<string> Lines(string? text) =>
        [.. (text ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];

    private async Task<bool> LoadAsync(CouncilId id, CancellationToken ct)
    {
        var council = await councils.GetAsync(id, ct);
        if (council is null)
        {
            return false;
        }
        CouncilName = council.Council.Name;
        // Each kind of motion needs its own choices; only those of the kind at hand are read.
        switch (Kind)
        {
            case "election":
                Members = await councils.MembersAsync(council.Council.Id, ct);
                Mandates = await mandates.OfCouncilAsync(council.Council.Id, ct);
                break;
            case "recall":
                Holders = await HoldersAsync(council.Council.Id, ct);
                break;
            case "federate":
                Federations = [.. (await councils.PublicAsync(500, ct))
                    .Where(c => c.Council.IsFederation && c.Council.Id != council.Council.Id && !council.Federations.Contains(c.Council.Id.ToString()))];
                break;
            case "secede":
                var belongsTo = new List<CouncilSummary>();
                foreach (string f in council.Federations)
                {
                    if (await councils.GetAsync(new CouncilId(Guid.Parse(f)), ct) is { } federation)
                    {
                        belongsTo.Add(new CouncilSummary(federation.Council, federation.Members));
                    }
                }
                Federations = belongsTo;
                break;
            case "instruction" or "referral":
                FederationMotions = await OpenFederationDecisionsAsync(council, ct);
                break;
        }
        return true;
    }

    private async Task<List<(Mandate, string, string)>> HoldersAsync(CouncilId council, CancellationToken ct)
    {
        var holders = new List<(Mandate, string, string)>();
        foreach (var m in await mandates.OfCouncilAsync(council, ct))
        {
            if (await mandates.GetAsync(m.Id, ct) is { } view)
            {
                holders.AddRange(view.Holders.Select(h => (m, h.Person, h.Name)));
            }
        }
        return holders;
    }

    private async Task<List<(string, string, string)>> OpenFederationDecisionsAsync(CouncilView council, CancellationToken ct)
    {
        var open = new List<(string, string, string)>();
        foreach (string f in council.Federations)
        {
            var federation = new CouncilId(Guid.Parse(f));
            string name = (await councils.GetAsync(federation, ct))?.Council.Name ?? "";
            open.AddRange((await councils.OpenMotionsAsync(federation, ct))
                .Where(m => m.Kind == "decision" && m.State is "deliberation" or "voting")
                .Select(m => (m.Id, m.Title, name)));
        }
        return open;
    }
}
