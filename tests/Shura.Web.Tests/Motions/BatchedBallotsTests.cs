using Dapper;
using Shura.Core;
using Shura.Core.Motions;
using Shura.Storage;
using Shura.Storage.Councils;
using Shura.Storage.Motions;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Motions;

/// <summary>
/// A batch of ballots reads their motions and voters once, before its first command runs
/// (WriteSession.Prime), and sends its writes with its reads (PostgreSQL). What a command in the
/// batch changes must still be seen by the commands after it: someone who leaves and then votes in
/// the same batch is refused, someone who joins and then votes is counted, and a refusal writes nothing.
/// </summary>
public class BatchedBallotsTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Commands_in_one_batch_see_what_the_commands_before_them_changed(string engine)
    {
        string db = Support.Engines.FreshDb(engine);
        var council = await Seed.CouncilAsync(db, members: 4, motionKind: null!);
        var councilId = new CouncilId(Guid.Parse(council.Id));
        var motion = new MotionId(Guid.Parse(council.Motion));
        AccountId Id(int i) => new(Guid.Parse(council.Members[i].Id));
        using var database = Database.Open(db);
        await using var writer = new Writer(database, TimeProvider.System, Keys.Pseudonyms(database));
        Assert.Null((await writer.RunAsync(s => CouncilCommands.Leave(s, councilId, Id(3)))).Refusal); // Member 3 is outside, to join below

        // The writer is held inside one command while the next ones queue: they then run as one batch.
        var holding = new TaskCompletionSource();
        using var release = new SemaphoreSlim(0);
        var held = writer.RunAsync(_ =>
        {
            holding.SetResult();
            release.Wait();
            return 0;
        });
        await holding.Task;
        Task<Result<BallotReceipt>> Cast(int member, string choice) =>
            writer.RunAsync(s => MotionCommands.Cast(s, motion, Id(member), new MotionBallot(Choice: choice)), s => MotionCommands.Wants(s, motion, Id(member)));
        var before = Cast(1, "yes");                                        // a member: counted
        var leaving = writer.RunAsync(s => CouncilCommands.Leave(s, councilId, Id(1)));
        var afterLeaving = Cast(1, "no");                                   // no longer a member: refused
        var joining = writer.RunAsync(s => CouncilCommands.Join(s, councilId, Id(3), null));
        var afterJoining = Cast(3, "yes");                                  // a member now: counted
        var other = Cast(2, "abstain");
        release.Release();
        await held;

        Assert.Null((await before).Refusal);
        Assert.Null((await leaving).Refusal);
        Assert.Equal(Codes.NotAMember, (await afterLeaving).Refusal?.Code);
        Assert.Null((await joining).Refusal);
        Assert.Null((await afterJoining).Refusal);
        Assert.Null((await other).Refusal);
        using var c = database.OpenConnection();
        var ballots = c.Query<(string Voter, string Ballot)>("SELECT voter, ballot FROM ballots WHERE motion_id = @id", new { id = motion.ToString() })
            .ToDictionary(b => b.Voter, b => System.Text.Json.JsonDocument.Parse(b.Ballot).RootElement.GetProperty("choice").GetString());
        // Member 1's ballot left with them, and the refused one never came.
        Assert.Equal(new Dictionary<string, string?> { [Id(2).ToString()] = "abstain", [Id(3).ToString()] = "yes" }, ballots);
    }
}
