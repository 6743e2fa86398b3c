using System.Collections.Immutable;
using Dapper;
using Shura.Core.Mandates;
using Shura.Storage.Councils;

namespace Shura.Storage.Mandates;

public sealed record HolderView(string Person, string Name, string Since, long Withdrawals, long Threshold);

/// <summary>
/// A mandate as the API shows it: each holder with the withdrawals of confidence against them and
/// the number that recalls them now, the vacant seats, and the by-election if one is open.
/// </summary>
public sealed record MandateView(Mandate Mandate, int Seats, IReadOnlyList<HolderView> Holders, int Vacant, string? ByElection, long Electorate)
{
    /// <summary>Every time a seat was held, from the log: the holders now and those before them.</summary>
    public IReadOnlyList<Tenure> Tenures { get; init; } = [];

    /// <summary>The federation a delegate mandate sends its holders to, and its name.</summary>
    public (string Id, string Name)? Federation { get; init; }

    /// <summary>For a mandate held by continuous election: its standing count now.</summary>
    public StandingView? Standing { get; init; }
}

/// <param name="Leaders">The winners of the standing ballots now.</param>
/// <param name="Pending">Leaders waiting for their settle period to take the seats, and when it ends.</param>
/// <param name="MyRanking">The viewer's own standing ballot, if they have one.</param>
public sealed record StandingView(
    TimeSpan SettlePeriod, long Ballots, IReadOnlyList<string> Leaders, IReadOnlyList<string>? Pending, string? SettlesAt, IReadOnlyList<string>? MyRanking);

/// <summary>
/// A seat held, from its filling to its end: by which election (none for a continuous election's
/// standing count), and how it ended — recalled (by withdrawals, with the count, or by a recall
/// motion), vacated (a new election, the standing count moving on, or leaving the council) — and the
/// by-election that followed a recall.
/// </summary>
public sealed record Tenure(string Person, string Name, DateTimeOffset From, string? Election, DateTimeOffset? Until)
{
    public RecallCause? Recalled { get; init; }

    public long Withdrawals { get; init; }

    public long Electorate { get; init; }

    public string? ByElection { get; init; }
}

public sealed class MandateQueries(Database database)
{
    /// <summary>
    /// The tenures of a mandate, read from its council's log: the seat events are a handful among
    /// the ballots, found by the log's index by type.
    /// </summary>
    private async Task<IReadOnlyList<Tenure>> TenuresAsync(System.Data.Common.DbConnection c, Mandate mandate)
    {
        var entries = await c.QueryAsync<(string Time, string Type, string Payload)>(
            $"SELECT time, type, payload FROM log WHERE chain = @chain AND {database.OneOf("type", "@types")} ORDER BY seq",
            new { chain = mandate.Council.ToString(), types = new[] { "seat-filled", "seat-vacated", "holder-recalled" } });
        var tenures = new List<Tenure>();
        var open = new Dictionary<AccountId, int>();
        foreach (var (time, type, payload) in entries)
        {
            var at = WriteSession.Parse(time);
            switch (Core.Log.EventJson.Read(type, payload))
            {
                case SeatFilled filled when filled.Mandate == mandate.Id:
                    open[filled.Holder] = tenures.Count;
                    tenures.Add(new Tenure(filled.Holder.ToString(), "", at, filled.Election?.ToString(), null));
                    break;
                case SeatVacated vacated when vacated.Mandate == mandate.Id && open.Remove(vacated.Holder, out int held):
                    tenures[held] = tenures[held] with { Until = at };
                    break;
                case HolderRecalled recalled when recalled.Mandate == mandate.Id && open.Remove(recalled.Holder, out int held):
                    tenures[held] = tenures[held] with
                    {
                        Until = at, Recalled = recalled.Cause, Withdrawals = recalled.Withdrawals, Electorate = recalled.Electorate,
                    };
                    break;
            }
        }
        if (tenures.Count == 0)
        {
            return tenures;
        }
        var names = (await c.QueryAsync<(string Id, string Name)>(
            $"SELECT id, name FROM accounts WHERE {database.OneOf("id", "@ids")}", new { ids = tenures.Select(t => t.Person).Distinct().ToArray() }))
            .ToDictionary(a => a.Id, a => a.Name);
        var byElections = (await c.QueryAsync<(string Id, string CreatedAt)>(
            "SELECT id, created_at FROM motions WHERE mandate = @id AND by_election = 1 ORDER BY created_at", new { id = mandate.Id.ToString() }))
            .Select(m => (m.Id, At: WriteSession.Parse(m.CreatedAt))).ToList();
        return [.. tenures.Select(t => t with
        {
            Name = names.GetValueOrDefault(t.Person, ""),
            // The by-election a recall opened is the first one put at or after it.
            ByElection = t.Recalled is not null && t.Until is { } until ? byElections.FirstOrDefault(b => b.At >= until).Id : null,
        })];
    }

    public async Task<MandateView?> GetAsync(MandateId id, CancellationToken ct, AccountId? viewer = null)
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
            string settings = await c.ExecuteScalarAsync<string>("SELECT settings FROM councils WHERE id = @id", new { id = federation }) ?? "";
            seats = Membership.Seats(c, null, mandate.Council, Projector.FromJson<Core.Councils.CouncilSettings>(settings));
        }
        long electorate = Membership.Count(c, null, mandate.Council);
        var holders = (await c.QueryAsync<(string Person, string Name, string Since, long Withdrawals)>("""
            SELECT h.person, a.name, h.since, h.withdrawals FROM holders h JOIN accounts a ON a.id = h.person
            WHERE h.mandate_id = @id ORDER BY h.since, h.person
            """, new { id }))
            .Select(h => new HolderView(h.Person, h.Name, Core.Log.LogEntry.FormatTime(WriteSession.Parse(h.Since)), h.Withdrawals, Recall.Threshold(electorate)))
            .ToList();
        string? byElection = await c.ExecuteScalarAsync<string>(
            "SELECT id FROM motions WHERE mandate = @id AND by_election = 1 AND state IN ('proposed', 'deliberation', 'voting') ORDER BY created_at DESC LIMIT 1",
            new { id });
        (string, string)? federationOf = mandate.Federation is { } sentTo
            && await c.ExecuteScalarAsync<string>("SELECT name FROM councils WHERE id = @id", new { id = sentTo }) is { } federationName
            ? (sentTo.ToString(), federationName) : null;
        return new MandateView(mandate, seats, holders, Math.Max(0, seats - holders.Count), byElection, electorate)
        {
            Tenures = await TenuresAsync(c, mandate),
            Federation = federationOf,
            Standing = mandate.SettlePeriod is { } settle ? await StandingAsync(c, mandate with { Seats = seats }, settle, viewer) : null,
        };
    }

    private async Task<StandingView> StandingAsync(System.Data.Common.DbConnection c, Mandate mandate, TimeSpan settle, AccountId? viewer)
    {
        var ballots = (await c.QueryAsync<(string Elector, string Ranking)>(
            "SELECT elector, ranking FROM standing_ballots WHERE mandate_id = @id ORDER BY elector", new { id = mandate.Id })).ToList();
        var members = Membership.Electors(c, null, mandate.Council);
        var rankings = ballots.Select(b => Projector.FromJson<ImmutableArray<AccountId>>(b.Ranking)).ToList();
        var leaders = ContinuousElection.Leaders(mandate, rankings, members.Contains);
        var (pending, settlesAt) = await c.QuerySingleAsync<(string? Leaders, string? SettlesAt)>(
            "SELECT leaders, settles_at FROM mandates WHERE id = @id", new { id = mandate.Id });
        IReadOnlyList<string>? mine = null;
        if (viewer is { } v)
        {
            bool secret = await c.ExecuteScalarAsync<string>("SELECT settings FROM councils WHERE id = @id", new { id = mandate.Council }) is { } json
                && Projector.FromJson<Core.Councils.CouncilSettings>(json).SecretBallots;
            string elector = ContinuousElection.Elector(mandate.Id, v, secret, Keys.Pseudonyms(database));
            int at = ballots.FindIndex(b => b.Elector == elector);
            mine = at < 0 ? null : [.. rankings[at].Select(r => r.ToString())];
        }
        return new StandingView(settle, ballots.Count, [.. leaders.Select(l => l.ToString())],
            pending is null ? null : [.. Projector.FromJson<ImmutableArray<AccountId>>(pending).Select(l => l.ToString())], settlesAt, mine);
    }

    public async Task<IReadOnlyList<Mandate>> OfCouncilAsync(CouncilId council, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return [.. (await c.QueryAsync<Membership.MandateRow>(
            $"SELECT {Membership.MandateRow.Columns} FROM mandates WHERE council_id = @id ORDER BY created_at",
            new { id = council })).Select(r => r.ToMandate())];
    }

    /// <summary>
    /// The holders of a mandate from whom <paramref name="elector"/> has withdrawn confidence. In a
    /// council with secret ballots the rows carry a pseudonym per holder, so each is derived here.
    /// </summary>
    public async Task<IReadOnlySet<string>> WithdrawnByAsync(MandateId id, AccountId elector, bool secret, IEnumerable<string> holders, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        byte[] key = Keys.Pseudonyms(database);
        var withdrawn = new HashSet<string>();
        foreach (string holder in holders)
        {
            string who = Core.Mandates.MandateRules.Elector(id, new AccountId(Guid.Parse(holder)), elector, secret, key);
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM confidence WHERE mandate_id = @m AND holder = @h AND elector = @e",
                new { m = id, h = holder, e = who }) > 0)
            {
                withdrawn.Add(holder);
            }
        }
        return withdrawn;
    }
}
