using Dapper;
using Shura.Core.Motions;

namespace Shura.Storage.Motions;

public sealed record AmendmentView(int Number, string Text, string Author, bool Adopted);

/// <summary>A competing text put to a decision in deliberation; <see cref="CounterProposals.Option"/> names it on the ballot.</summary>
public sealed record CounterProposalView(int Number, string Text, string Author);

/// <summary>A delegate's ballot in a federation: always open to the base councils, and locked when their council instructed it.</summary>
public sealed record DelegateBallot(string Delegate, string Council, MotionBallot Ballot, long Weight, bool Locked);

/// <summary>A motion as the API shows it, with its result (live or final) when it may be shown.</summary>
public sealed record MotionView(
    Motion Motion, int SupportNeeded, IReadOnlyList<AmendmentView> Amendments, MotionResult? Result, long Ballots, IReadOnlyList<DelegateBallot> DelegateBallots)
{
    /// <summary>
    /// For a live result: where the council's log stood when it was counted (the head of its chain;
    /// for a federation the sum of its councils' heads), so a page can tell which ballots it shows. 0 otherwise.
    /// </summary>
    public long CountedAt { get; init; }

    /// <summary>The competing texts put to a decision, in the order they were put.</summary>
    public IReadOnlyList<CounterProposalView> CounterProposals { get; init; } = [];

    /// <summary>The text an option of a contested decision stands for: the motion's own, or a counter-proposal's.</summary>
    public string? TextOf(string option) =>
        option == Core.Motions.CounterProposals.Original ? Motion.Text
        : Core.Motions.CounterProposals.Number(option) is int n ? CounterProposals.FirstOrDefault(p => p.Number == n)?.Text
        : null;
}

/// <summary>Reading motions and ballots, outside the writer.</summary>
/// <param name="liveSpacing">The least time between two live counts of one motion (<see cref="LiveResults.Spacing"/> unless said).</param>
public sealed class MotionQueries(Database database, TimeSpan? liveSpacing = null)
{
    private readonly LiveResults _live = new(liveSpacing ?? LiveResults.Spacing);

    /// <summary>The motion alone, without counting its result: for a change that only needs its rules.</summary>
    public async Task<Motion?> MotionAsync(MotionId id, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return (await RowAsync(c, id))?.ToMotion();
    }

    public async Task<MotionView?> GetAsync(MotionId id, CancellationToken ct)
    {
        MotionView view;
        long? shareFrom = null;
        await using (var c = await database.OpenConnectionAsync(ct))
        {
            if (await MotionInCouncilAsync(c, id) is not var (row, motion, council))
            {
                return null;
            }
            long members = Councils.Membership.Count(c, null, council.Id);
            var amendments = (await c.QueryAsync<(long Number, string Text, string Author, long Adopted)>(
                "SELECT number, text, author, adopted FROM amendments WHERE motion_id = @id ORDER BY number", new { id = row.Id }))
                .Select(a => new AmendmentView((int)a.Number, a.Text, a.Author, a.Adopted != 0)).ToList();
            var counterProposals = (await c.QueryAsync<(long Number, string Text, string Author)>(
                "SELECT number, text, author FROM counter_proposals WHERE motion_id = @id ORDER BY number", new { id = row.Id }))
                .Select(p => new CounterProposalView((int)p.Number, p.Text, p.Author)).ToList();
            MotionResult? result = null;
            long ballots = 0;
            if (motion.State == MotionState.Voting && motion.LiveResults && row.Result is null)
            {
                // The result and its ballots are counted once for every reader (below).
                shareFrom = await HeadAsync(c, council);
            }
            else
            {
                result = row.Result is null ? null : MotionResult.Read(row.Result);
                ballots = Ballots(c, motion);
            }
            view = new MotionView(motion, council.Settings.SupportNeeded((int)members), amendments, result, ballots,
                council.IsFederation && !motion.Referred ? DelegateBallots(c, motion, council) : [])
            {
                CounterProposals = counterProposals,
            };
        }
        if (shareFrom is not { } head)
        {
            return view;
        }
        // The shared count is waited for with no connection held: readers waiting must not take the connections the count needs.
        var shared = await _live.GetAsync(id, head, kept => CountNowAsync(id, kept));
        return view with { Result = shared.Count.Result, Ballots = shared.Count.Ballots, CountedAt = shared.Head };
    }

    /// <summary>How many ballots a motion has: a scan of its ballots, so a live motion's is counted once with its result.</summary>
    private static long Ballots(System.Data.Common.DbConnection c, Motion motion) =>
        c.ExecuteScalar<long>("SELECT COUNT(*) FROM ballots WHERE motion_id = @id", new { id = motion.Id });

    /// <summary>
    /// One count of a motion's live result, shared by every reader waiting for it, with the head of
    /// its council's chain it counted from. In a plain council the ballots are kept from one count
    /// to the next and brought up to date from the log's new entries when these are only ballots;
    /// any other entry (a member joining or leaving, a delegation, the motion itself changing)
    /// gathers everything again. A federation's count always gathers everything.
    /// </summary>
    private async Task<Counted> CountNowAsync(MotionId id, object? kept)
    {
        await using var c = await database.OpenConnectionAsync(CancellationToken.None);
        var (_, motion, council) = (await MotionInCouncilAsync(c, id))!.Value;
        long head = await HeadAsync(c, council);
        var facts = council.IsFederation ? null : await BroughtUpToDateAsync(c, motion, kept as KeptBallots);
        facts ??= new KeptBallots(head, Counting.Facts(c, null, motion, council));
        var counted = Counting.For(c, null, motion, facts.Facts, PseudonymKey);
        var result = MotionTally.Count(counted.Counted, counted.Weighted, counted.Electorate, counted.Seed, final: false);
        long ballots = council.IsFederation ? Ballots(c, motion) : facts.Facts.Ballots.Count;
        return new Counted(Math.Max(head, facts.Head), new LiveCount(result, ballots), council.IsFederation ? null : facts);
    }

    /// <summary>A plain council's voting facts as of a head of its chain, kept between live counts.</summary>
    private sealed record KeptBallots(long Head, VotingFacts Facts);

    /// <summary>The most entries a kept count is brought up to date with; more and it gathers everything again.</summary>
    private const int MostEntriesToApply = 20_000;

    /// <summary>
    /// The kept facts with the chain's entries since applied, when those are all ballots (of any of
    /// the council's motions); null when something else happened, or nothing was kept. A ballot
    /// entry sets or removes its voter's ballot, so applying one the facts already hold changes
    /// nothing: facts gathered a moment after their head was read stay right.
    /// </summary>
    private static async Task<KeptBallots?> BroughtUpToDateAsync(System.Data.Common.DbConnection c, Motion motion, KeptBallots? kept)
    {
        if (kept is null)
        {
            return null;
        }
        var entries = (await c.QueryAsync<(long Seq, string Type, string Payload)>(
            "SELECT seq, type, payload FROM log WHERE chain = @chain AND seq > @after ORDER BY seq LIMIT @limit",
            new { chain = motion.Council.ToString(), after = kept.Head, limit = MostEntriesToApply + 1 })).ToList();
        if (entries.Count > MostEntriesToApply || entries.Any(e => e.Type is not ("ballot-cast" or "ballot-withdrawn")))
        {
            return null;
        }
        var ballots = (Dictionary<string, MotionBallot>)kept.Facts.Ballots;
        foreach (var (_, type, payload) in entries)
        {
            switch (Core.Log.EventJson.Read(type, payload))
            {
                case BallotCast cast when cast.Motion == motion.Id:
                    ballots[cast.Voter] = cast.Ballot;
                    break;
                case BallotWithdrawn withdrawn when withdrawn.Motion == motion.Id:
                    ballots.Remove(withdrawn.Voter);
                    break;
            }
        }
        return entries.Count == 0 ? kept : kept with { Head = entries[^1].Seq };
    }

    /// <summary>
    /// Where the log that a council's live counts depend on stands: the head of its chain, and for a
    /// federation the sum of the heads of every council in it, at every level (delegates, weights and
    /// referred base members live there) — and of every council that was in it and left, so that a
    /// council leaving takes nothing off the sum: it only grows, and any entry anywhere it covers
    /// makes it grow (a council leaving writes one on the federation's chain).
    /// </summary>
    private static async Task<long> HeadAsync(System.Data.Common.DbConnection c, Core.Councils.Council council) =>
        !council.IsFederation
            ? await Log.LogQueries.LastAsync(c, council.Id.ToString())
            : await c.ExecuteScalarAsync<long?>("""
                WITH RECURSIVE below(id) AS (
                    SELECT @chain UNION SELECT fm.council_id FROM (
                        SELECT federation_id, council_id FROM federation_members
                        UNION ALL SELECT federation_id, council_id FROM federation_departures) fm
                    JOIN below b ON fm.federation_id = b.id)
                SELECT SUM(seq) FROM chain_heads WHERE chain IN (SELECT id FROM below)
                """, new { chain = council.Id.ToString() }) ?? 0;

    /// <summary>How many live counts have begun: readers share them.</summary>
    internal long LiveCounts => _live.Counts;

    private static Task<Rows.MotionRow?> RowAsync(System.Data.Common.DbConnection c, MotionId id) =>
        c.QuerySingleOrDefaultAsync<Rows.MotionRow?>($"SELECT {Rows.MotionColumns} FROM motions WHERE id = @id", new { id });

    private static async Task<(Rows.MotionRow Row, Motion Motion, Core.Councils.Council Council)?> MotionInCouncilAsync(System.Data.Common.DbConnection c, MotionId id)
    {
        var row = await RowAsync(c, id);
        return row is null ? null : (row, row.ToMotion(), c.QuerySingle<Rows.CouncilRow>(Rows.CouncilById, new { id = row.CouncilId }).ToCouncil());
    }

    /// <summary>The delegates' ballots on a federation motion, each with their council and whether an instruction locks it.</summary>
    private static List<DelegateBallot> DelegateBallots(System.Data.Common.DbConnection c, Motion motion, Core.Councils.Council federation)
    {
        var (weights, _) = Councils.Membership.DelegateWeights(c, null, federation.Id, federation.Settings);
        var councilOf = Councils.Membership.Delegates(c, null, federation.Id).GroupBy(d => d.Person).ToDictionary(g => g.Key.ToString(), g => g.First().Council.ToString());
        var instructed = c.Query<string>("SELECT council_id FROM instructions WHERE federation_motion = @id AND active = 1", new { id = motion.Id }).ToHashSet();
        return [.. c.Query<(string Voter, string Ballot)>("SELECT voter, ballot FROM ballots WHERE motion_id = @id ORDER BY voter", new { id = motion.Id })
            .Select(b =>
            {
                string council = councilOf.GetValueOrDefault(b.Voter, "");
                long weight = Guid.TryParse(b.Voter, out var p) ? weights.GetValueOrDefault(new AccountId(p)) : 0;
                return new DelegateBallot(b.Voter, council, Projector.FromJson<MotionBallot>(b.Ballot), weight, instructed.Contains(council));
            })];
    }

    /// <summary>The caller's own current ballot, found under their name in this motion's log.</summary>
    public async Task<(MotionBallot Ballot, string Receipt)?> BallotAsync(MotionId id, string voter, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        foreach (var (ballot, receipt) in await c.QueryAsync<(string, string)>(
            "SELECT ballot, receipt FROM ballots WHERE motion_id = @id AND voter = @voter", new { id, voter }))
        {
            return (Projector.FromJson<MotionBallot>(ballot), receipt);
        }
        return null;
    }

    public byte[] PseudonymKey => Keys.Pseudonyms(database);

    /// <summary>
    /// With delegation on, a member who did not vote sees the ballot that counts for them: that of
    /// the direct voter at the end of their chain (DESIGN §2: a delegate's votes are visible to those
    /// who delegated).
    /// </summary>
    public async Task<(MotionBallot Ballot, string Via)?> DelegatedBallotAsync(MotionId id, AccountId member, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        if (await MotionInCouncilAsync(c, id) is not var (row, motion, council))
        {
            return null;
        }
        var facts = Counting.Facts(c, null, motion, council);
        if (Core.Motions.Electorate.CountsFor(facts, member, PseudonymKey) is not { } terminal)
        {
            return null;
        }
        // Under secret ballots only a public delegate's ballot is shown to those who delegate to them
        // (DESIGN §2); a delegation from before that rule to anyone else shows nothing.
        if (motion.SecretBallots && c.ExecuteScalar<long>("SELECT COUNT(*) FROM public_delegates WHERE council_id = @c AND account_id = @m",
            new { c = row.CouncilId, m = terminal }) == 0)
        {
            return null;
        }
        return (facts.Ballots[Core.Motions.MotionRules.Voter(motion, terminal, PseudonymKey)], terminal.ToString());
    }
}
