using Dapper;
using Shura.Core;
using Shura.Core.Mandates;
using Shura.Storage.Councils;

namespace Shura.Storage.Mandates;

public sealed record HolderView(string Person, string Name, string Since, long Withdrawals, long Threshold);

/// <summary>
/// A mandate as the API shows it: each holder with the withdrawals of confidence against them and
/// the number that recalls them now, the vacant seats, and the by-election if one is open.
/// </summary>
public sealed record MandateView(Mandate Mandate, int Seats, IReadOnlyList<HolderView> Holders, int Vacant, string? ByElection, long Electorate);

public sealed class MandateQueries(Database database)
{
    public async Task<MandateView?> GetAsync(MandateId id, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var mandate = Membership.LoadMandate(c, null, id);
        if (mandate is null)
        {
            return null;
        }
        int seats = mandate.Seats;
        if (mandate.Kind == MandateKind.Delegate && mandate.Federation is { } federation)
        {
            string settings = await c.ExecuteScalarAsync<string>("SELECT settings FROM councils WHERE id = @id", new { id = federation.ToString() }) ?? "";
            seats = Membership.Seats(c, null, mandate.Council, Projector.FromJson<Core.Councils.CouncilSettings>(settings));
        }
        long electorate = Membership.Count(c, null, mandate.Council);
        var withdrawals = (await c.QueryAsync<(string Holder, long Count)>(
            "SELECT holder, COUNT(*) FROM confidence WHERE mandate_id = @id GROUP BY holder", new { id = id.ToString() }))
            .ToDictionary(w => w.Holder, w => w.Count);
        var holders = new List<HolderView>();
        foreach (var holder in Membership.Holders(c, null, id))
        {
            string name = await c.ExecuteScalarAsync<string>("SELECT name FROM accounts WHERE id = @id", new { id = holder.Person.ToString() }) ?? "";
            holders.Add(new HolderView(holder.Person.ToString(), name, Core.Log.LogEntry.FormatTime(holder.Since),
                withdrawals.GetValueOrDefault(holder.Person.ToString()), Recall.Threshold(electorate)));
        }
        string? byElection = await c.ExecuteScalarAsync<string>(
            "SELECT id FROM motions WHERE mandate = @id AND by_election = 1 AND state IN ('proposed', 'deliberation', 'voting') ORDER BY created_at DESC LIMIT 1",
            new { id = id.ToString() });
        return new MandateView(mandate, seats, holders, Math.Max(0, seats - holders.Count), byElection, electorate);
    }

    public async Task<IReadOnlyList<Mandate>> OfCouncilAsync(CouncilId council, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return [.. (await c.QueryAsync<Membership.MandateRow>(
            "SELECT id, council_id, name, kind, seats, federation, powers, created_at FROM mandates WHERE council_id = @id ORDER BY created_at",
            new { id = council.ToString() })).Select(r => r.ToMandate())];
    }
}
