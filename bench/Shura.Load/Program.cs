using Shura.Core;
using Shura.Core.Councils;
using Shura.Core.Motions;
using Shura.Storage;
using Shura.Storage.Accounts;
using Shura.Storage.Councils;
using Shura.Storage.Motions;
using Shura.Storage.Schema;
using Shura.Web;

// Seeds a store for the load test: one council of N members, each with a token, and one decision
// open for voting for a day. Writes the tokens (one per line) and prints the motion's id.
//   dotnet run -c Release --project bench/Shura.Load -- DB MEMBERS TOKENS-FILE
if (args.Length != 3 || !int.TryParse(args[1], out int members) || members < 1)
{
    Console.Error.WriteLine("usage: Shura.Load DB MEMBERS TOKENS-FILE");
    return 2;
}
using var database = Database.Open(args[0]);
Migrations.Apply(database, TimeProvider.System.GetUtcNow());
await using var writer = new Writer(database, TimeProvider.System, Keys.Pseudonyms(database));
var tokens = new List<string>();
var accounts = new List<AccountId>();
for (int i = 0; i < members; i++)
{
    string secret = Actors.NewSecret();
    accounts.Add(await writer.RunAsync(s =>
    {
        var id = AccountCommands.Register(s, $"Member {i}", $"member{i}@load.example.org", "no-password").Value;
        AccountCommands.CreateToken(s, id, "load", Actors.HashOf(secret));
        return id;
    }));
    tokens.Add(secret);
}
var settings = CouncilSettings.Default with { SupportThreshold = 1, DeliberationPeriod = TimeSpan.Zero, VotingPeriod = TimeSpan.FromDays(1) };
var council = (await writer.RunAsync(s => CouncilCommands.Create(s, accounts[0], "Load test council", "", settings))).Value;
foreach (var account in accounts.Skip(1))
{
    await writer.RunAsync(s => CouncilCommands.Join(s, council, account, null));
}
var motion = (await writer.RunAsync(s => MotionCommands.Put(s, council, accounts[0], new MotionRequest("decision", "Strike on Monday", "")))).Value;
await File.WriteAllLinesAsync(args[2], tokens);
Console.WriteLine(motion);
return 0;
