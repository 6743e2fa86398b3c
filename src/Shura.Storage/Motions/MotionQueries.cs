using System.Text.Json.Nodes;
using Dapper;
using Shura.Core;
using Shura.Core.Motions;

namespace Shura.Storage.Motions;

public sealed record AmendmentView(int Number, string Text, string Author, bool Adopted);

/// <summary>A motion as the API shows it, with its result (live or final) when it may be shown.</summary>
public sealed record MotionView(Motion Motion, int SupportNeeded, IReadOnlyList<AmendmentView> Amendments, JsonObject? Result, long Ballots);

/// <summary>Reading motions and ballots, outside the writer.</summary>
public sealed class MotionQueries(Database database)
{
    public async Task<MotionView?> GetAsync(MotionId id, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Rows.MotionRow>($"SELECT {Rows.MotionColumns} FROM motions WHERE id = @id", new { id = id.ToString() });
        if (row is null)
        {
            return null;
        }
        var motion = row.ToMotion();
        var settings = Projector.FromJson<Core.Councils.CouncilSettings>(
            await c.ExecuteScalarAsync<string>("SELECT settings FROM councils WHERE id = @id", new { id = row.CouncilId }) ?? "");
        long members = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM members WHERE council_id = @id", new { id = row.CouncilId });
        var amendments = (await c.QueryAsync<(long Number, string Text, string Author, long Adopted)>(
            "SELECT number, text, author, adopted FROM amendments WHERE motion_id = @id ORDER BY number", new { id = row.Id }))
            .Select(a => new AmendmentView((int)a.Number, a.Text, a.Author, a.Adopted != 0)).ToList();
        var ballots = (await c.QueryAsync<string>("SELECT ballot FROM ballots WHERE motion_id = @id", new { id = row.Id }))
            .Select(Projector.FromJson<MotionBallot>).ToList();

        JsonObject? result = null;
        if (row.Result is not null)
        {
            result = JsonNode.Parse(row.Result)!.AsObject();
        }
        else if (motion.State == MotionState.Voting && motion.LiveResults)
        {
            result = MotionTally.Count(motion, ballots, members, row.Seed ?? "", final: false).Result;
        }
        return new MotionView(motion, settings.SupportNeeded((int)members), amendments, result, ballots.Count);
    }

    /// <summary>The caller's own current ballot, found under their name in this motion's log.</summary>
    public async Task<(MotionBallot Ballot, string Receipt)?> BallotAsync(MotionId id, string voter, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        foreach (var (ballot, receipt) in await c.QueryAsync<(string, string)>(
            "SELECT ballot, receipt FROM ballots WHERE motion_id = @id AND voter = @voter", new { id = id.ToString(), voter }))
        {
            return (Projector.FromJson<MotionBallot>(ballot), receipt);
        }
        return null;
    }

    public byte[] PseudonymKey => Keys.Pseudonyms(database);
}
