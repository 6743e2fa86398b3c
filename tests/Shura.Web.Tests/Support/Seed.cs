using Shura.Core;
using Shura.Core.Motions;
using Shura.Storage;
using Shura.Storage.Accounts;
using Shura.Storage.Councils;
using Shura.Storage.Motions;
using Shura.Storage.Schema;

namespace Shura.Web.Tests.Support;

/// <summary>
/// Fills a store directly through the writer, for tests that need many people: it skips the
/// deliberately slow password hashing of registration, which other tests cover through the API.
/// </summary>
public static class Seed
{
    public sealed record Council(string Id, Person[] Members, string Motion);

    /// <summary>A council of <paramref name="members"/> people and one motion in voting (open ballots unless <paramref name="secret"/>).</summary>
    public static async Task<Council> CouncilAsync(string db, int members, object motionKind, bool secret = false, string votingPeriod = "P1D")
    {
        using var database = Database.Open(db);
        Migrations.Apply(database, TimeProvider.System.GetUtcNow());
        await using var writer = new Writer(database, TimeProvider.System, Keys.Pseudonyms(database));
        var people = new List<Person>();
        for (int i = 0; i < members; i++)
        {
            string secretToken = Shura.Web.Accounts.BearerTokens.NewSecret();
            string email = $"member{i}.{Guid.NewGuid():N}@example.org";
            var person = await writer.RunAsync(s =>
            {
                var id = AccountCommands.Register(s, $"Member {i}", email, "not-a-real-hash").Value;
                AccountCommands.CreateToken(s, id, "seed", Shura.Web.Accounts.BearerTokens.HashOf(secretToken));
                return new Person(id.ToString(), $"Member {i}", email, secretToken);
            });
            people.Add(person);
        }
        var founder = new AccountId(Guid.Parse(people[0].Id));
        var settings = Core.Councils.CouncilSettings.Default with
        {
            SupportThreshold = 1,
            DeliberationPeriod = TimeSpan.Zero,
            VotingPeriod = System.Xml.XmlConvert.ToTimeSpan(votingPeriod),
            SecretBallots = secret,
        };
        var council = (await writer.RunAsync(s => CouncilCommands.Create(s, founder, "A big council", "", settings))).Value;
        foreach (var person in people.Skip(1))
        {
            await writer.RunAsync(s => CouncilCommands.Join(s, council, new AccountId(Guid.Parse(person.Id)), null));
        }
        var request = motionKind as MotionRequest ?? new MotionRequest("decision", "Strike on Monday", "");
        var motion = (await writer.RunAsync(s => MotionCommands.Put(s, council, founder, request))).Value;
        return new Council(council.ToString(), [.. people], motion.ToString());
    }
}
