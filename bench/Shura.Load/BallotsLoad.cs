using Shura.Core.Councils;
using Shura.Core.Motions;
using Shura.Storage;
using Shura.Storage.Motions;
using Shura.Storage.Schema;

namespace Shura.Load;

/// <summary>The ballots load test's store: one council of N members, each with a token, and one decision open for voting for a day.</summary>
internal static class BallotsLoad
{
    public static async Task<int> SeedAsync(string db, int members, string tokensFile)
    {
        using var database = Database.Open(db);
        Migrations.Apply(database, TimeProvider.System.GetUtcNow());
        await using var writer = new Writer(database, TimeProvider.System, Keys.Pseudonyms(database));
        var (accounts, tokens) = await Seeding.AccountsAsync(writer, members, withTokens: members);
        var settings = CouncilSettings.Default with { SupportThreshold = 1, DeliberationPeriod = TimeSpan.Zero, VotingPeriod = TimeSpan.FromDays(1) };
        var council = await Seeding.CouncilAsync(writer, accounts, settings, "Load test council");
        var motion = (await writer.RunAsync(s => MotionCommands.Put(s, council, accounts[0], new MotionRequest("decision", "Strike on Monday", "")))).Value;
        await File.WriteAllLinesAsync(tokensFile, tokens);
        Console.WriteLine(motion);
        return 0;
    }
}
