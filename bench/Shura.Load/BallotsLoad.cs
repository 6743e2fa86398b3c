using Shura.Core.Councils;
using Shura.Core.Motions;
using Shura.Storage;
using Shura.Storage.Motions;
using Shura.Storage.Schema;

namespace Shura.Load;

/// <summary>
/// The ballots load test's store: one council of N members, each with a token, and one motion open
/// for voting for a day — a decision, or (stv) an election of 20 seats among 200 of the members,
/// whose ids go to TOKENS-FILE.options for the load to rank.
/// </summary>
internal static class BallotsLoad
{
    public static async Task<int> SeedAsync(string db, int members, string tokensFile, bool stv = false)
    {
        using var database = Database.Open(db);
        Migrations.Apply(database, TimeProvider.System.GetUtcNow());
        await using var writer = new Writer(database, TimeProvider.System, Keys.Pseudonyms(database));
        var (accounts, tokens, council) = await CouncilAsync(writer, members);
        string[] candidates = stv ? [.. accounts.Take(200).Select(a => a.ToString())] : [];
        var request = stv
            ? new MotionRequest("election", "Strike committee", "", candidates, "stv", Seats: 20)
            : new MotionRequest("decision", "Strike on Monday", "");
        var motion = (await writer.RunAsync(s => MotionCommands.Put(s, council, accounts[0], request))).Value;
        if (stv)
        {
            await File.WriteAllLinesAsync(tokensFile + ".options", candidates);
        }
        await File.WriteAllLinesAsync(tokensFile, tokens);
        Console.WriteLine(motion);
        return 0;
    }

    /// <summary>The load tests' council: <paramref name="members"/> members, each with a token, whose motions open for a day at once.</summary>
    public static async Task<(List<AccountId> Accounts, List<string> Tokens, CouncilId Council)> CouncilAsync(Writer writer, int members)
    {
        var (accounts, tokens) = await Seeding.AccountsAsync(writer, members, withTokens: members);
        var settings = CouncilSettings.Default with { SupportThreshold = 1, DeliberationPeriod = TimeSpan.Zero, VotingPeriod = TimeSpan.FromDays(1) };
        return (accounts, tokens, await Seeding.CouncilAsync(writer, accounts, settings, "Load test council"));
    }
}
