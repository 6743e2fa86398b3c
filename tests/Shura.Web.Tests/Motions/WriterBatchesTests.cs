using Dapper;
using Shura.Core;
using Shura.Core.Motions;
using Shura.Storage;
using Shura.Storage.Log;
using Shura.Storage.Motions;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Motions;

/// <summary>
/// Batches follow one another through the writer; on PostgreSQL a batch's COMMIT goes with the next
/// batch's BEGIN and reads in one round trip. A batch that ran well is answered once committed; in
/// a batch where one command fails or is refused after writing, that command keeps nothing and the
/// others everything, whichever batch came before.
/// </summary>
public class WriterBatchesTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Batches_in_a_row_keep_what_succeeded_and_nothing_of_what_failed(string engine)
    {
        string db = Support.Engines.FreshDb(engine);
        var council = await Seed.CouncilAsync(db, members: 4, motionKind: null!);
        var motion = new MotionId(Guid.Parse(council.Motion));
        AccountId Id(int i) => new(Guid.Parse(council.Members[i].Id));
        using var database = Database.Open(db);
        await using var writer = new Writer(database, TimeProvider.System, Keys.Pseudonyms(database));
        Task<Result<BallotReceipt>> Cast(int member, string choice) =>
            writer.RunAsync(s => MotionCommands.Cast(s, motion, Id(member), new MotionBallot(Choice: choice)), s => MotionCommands.Wants(s, motion, Id(member)));
        (Task<int> Held, TaskCompletionSource Running, SemaphoreSlim Release) Hold()
        {
            var running = new TaskCompletionSource();
            var release = new SemaphoreSlim(0);
            return (writer.RunAsync(_ =>
            {
                running.SetResult();
                release.Wait();
                return 0;
            }), running, release);
        }
        string NameOf(int member)
        {
            using var c = database.OpenConnection();
            return c.ExecuteScalar<string>("SELECT name FROM accounts WHERE id = @id", new { id = Id(member).ToString() })!;
        }
        string name0 = NameOf(0);

        // Batch A is held while batch B queues; B is held while batch C queues.
        var a = Hold();
        await a.Running.Task;
        var b = Hold();
        var castB1 = Cast(1, "yes");
        var castB2 = Cast(2, "no");
        a.Release.Release();
        await b.Running.Task;
        var castC3 = Cast(3, "yes");
        var failing = writer.RunAsync<int>(s =>
        {
            s.Execute("UPDATE accounts SET name = 'failed' WHERE id = @id", new { id = Id(0).ToString() });
            throw new InvalidOperationException("a command that fails after writing");
        });
        var refused = writer.RunAsync<object>(s =>
        {
            s.Execute("UPDATE accounts SET name = 'refused' WHERE id = @id", new { id = Id(0).ToString() });
            return Refusal.NotFound("Something");
        });
        var castC0 = Cast(0, "abstain");
        b.Release.Release();

        await Task.WhenAll(a.Held, b.Held);
        Assert.Null((await castB1).Refusal);
        Assert.Null((await castB2).Refusal);
        Assert.Null((await castC3).Refusal);
        Assert.Null((await castC0).Refusal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal(Codes.NotFound, Assert.IsType<Refusal>(await refused).Code);
        Assert.Equal(name0, NameOf(0)); // neither the failed nor the refused command kept its write

        using var c = database.OpenConnection();
        var ballots = c.Query<(string Voter, string Ballot)>("SELECT voter, ballot FROM ballots WHERE motion_id = @id", new { id = motion.ToString() })
            .ToDictionary(row => row.Voter, row => System.Text.Json.JsonDocument.Parse(row.Ballot).RootElement.GetProperty("choice").GetString());
        Assert.Equal(new Dictionary<string, string?>
        {
            [Id(0).ToString()] = "abstain", [Id(1).ToString()] = "yes", [Id(2).ToString()] = "no", [Id(3).ToString()] = "yes",
        }, ballots);
        Assert.True(Verifier.Run(database, TimeProvider.System.GetUtcNow()).IsIntact);

        // And the writer goes on: a batch after all that is taken as ever.
        Assert.Null((await Cast(1, "no")).Refusal);
    }
}
