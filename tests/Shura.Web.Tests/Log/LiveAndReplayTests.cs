using Microsoft.Extensions.Time.Testing;
using Shura.Core;
using Shura.Core.Councils;
using Shura.Core.Log;
using Shura.Core.Motions;
using Shura.Storage;
using Shura.Storage.Accounts;
using Shura.Storage.Councils;
using Shura.Storage.Delegation;
using Shura.Storage.Log;
using Shura.Storage.Mandates;
using Shura.Storage.Motions;
using Shura.Storage.Schema;

namespace Shura.Web.Tests.Log;

/// <summary>
/// The count from the tables (live results, the close) and the count from the log alone (the
/// replay of <c>shura verify</c>) gather their facts in different ways and share one rule of who
/// votes. For random histories — people joining and leaving, delegations set and revoked, public
/// delegates, councils joining a federation and electing delegates, ballots cast, changed and
/// withdrawn — the two must give the same result for every open motion, after every step.
/// The histories are drawn from a seed (SHURA_HISTORY_SEED sets another), printed on failure.
/// </summary>
public sealed class LiveAndReplayTests : IAsyncLifetime
{
    private static readonly int Histories = int.TryParse(Environment.GetEnvironmentVariable("SHURA_HISTORIES"), out int n) ? n : 1000;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private Database _database = null!;
    private Writer _writer = null!;
    private Recount _recount = null!;
    private MotionQueries _motions = null!;

    public Task InitializeAsync()
    {
        // On a RAM disk where there is one: a thousand histories are tens of thousands of commits.
        string folder = Directory.Exists("/dev/shm") ? Directory.CreateTempSubdirectory("shura-test-").FullName.Replace(Path.GetTempPath(), "/dev/shm/", StringComparison.Ordinal) : Directory.CreateTempSubdirectory("shura-test-").FullName;
        Directory.CreateDirectory(folder);
        _database = Database.Open(Path.Combine(folder, "histories.db"));
        Migrations.Apply(_database, _clock.GetUtcNow());
        byte[] key = Keys.Pseudonyms(_database);
        _recount = new Recount(key);
        _writer = new Writer(_database, _clock, key);
        _writer.Committed += entries =>
        {
            foreach (var entry in entries)
            {
                _recount.Apply(entry);
            }
        };
        _motions = new MotionQueries(_database, liveSpacing: TimeSpan.Zero); // the shared live result, unpaced: every step is compared
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _writer.DisposeAsync();
        _database.Dispose();
    }

    [Fact]
    public async Task For_random_histories_the_live_count_and_the_replay_agree_on_every_open_motion()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("SHURA_HISTORY_SEED"), out int s) ? s : 20261201;
        int compared = 0;
        for (int history = 0; history < Histories; history++)
        {
            var random = new Random(HashCode.Combine(seed, history));
            compared += await HistoryAsync(random, $"history {history} of seed {seed}");
        }
        Assert.Empty(_recount.Problems);
        Assert.True(compared > Histories * 5, $"only {compared} counts compared");
    }

    private async Task<int> HistoryAsync(Random random, string name)
    {
        var people = new List<AccountId>();
        for (int i = 0; i < random.Next(4, 9); i++)
        {
            people.Add((await Must(s => AccountCommands.Register(s, $"Person {i}", $"{Guid.NewGuid():N}@example.org", "not a real hash"))).Value);
        }
        bool secret = random.Next(2) == 0;
        var settings = CouncilSettings.Default with
        {
            SupportThreshold = 1, DeliberationPeriod = TimeSpan.Zero, VotingPeriod = TimeSpan.FromHours(1), SecretBallots = secret,
            Delegation = random.Next(3) > 0, LiveResults = true,
        };
        var council = (await Must(s => CouncilCommands.Create(s, people[0], "Council", "", settings))).Value;
        foreach (var person in people.Skip(1).Where(_ => random.Next(4) > 0))
        {
            await Must(s => CouncilCommands.Join(s, council, person, null));
        }
        var open = new List<(MotionId Motion, IReadOnlyList<AccountId> Voters, string[] Options)>();
        if (random.Next(3) == 0)
        {
            open.AddRange(await FederationAsync(random, council, people));
        }
        string[] options = random.Next(2) == 0 ? [] : ["Red", "Green", "Blue", "Black"];
        var request = options.Length == 0
            ? new MotionRequest("decision", "A decision", "")
            : new MotionRequest("choice", "A choice", "", options, random.Next(2) == 0 ? "schulze" : "irv");
        var motion = (await Must(s => MotionCommands.Put(s, council, people[0], request))).Value;
        open.Add((motion, people, options));
        var councils = new List<MotionId> { motion };
        if (random.Next(2) == 0)
        {
            // A second motion in the same council: a delegation for one of them must not count on the other.
            var second = (await Must(s => MotionCommands.Put(s, council, people[0], new MotionRequest("decision", "Another decision", "")))).Value;
            open.Add((second, people, []));
            councils.Add(second);
        }

        int compared = 0;
        for (int step = 0; step < random.Next(10, 30); step++)
        {
            var person = people[random.Next(people.Count)];
            var other = people[random.Next(people.Count)];
            var (target, voters, choices) = open[random.Next(open.Count)];
            string did = random.Next(10) switch
            {
                0 => await Did("join", Run(s => CouncilCommands.Join(s, council, person, null))),
                1 => await Did("leave", Run(s => CouncilCommands.Leave(s, council, person))),
                2 => await Did("delegate", Run(s => DelegationCommands.Set(s, council, person, other, random.Next(3) == 0 ? null : councils[random.Next(councils.Count)]))),
                3 => await Did("revoke", Run(s => DelegationCommands.Revoke(s, council, person, random.Next(2) == 0 ? null : councils[random.Next(councils.Count)]))),
                4 => await Did("public", Run(s => DelegationCommands.DeclarePublic(s, council, person, random.Next(3) > 0))),
                5 => await Did("withdraw", Run(s => MotionCommands.Withdraw(s, target, voters[random.Next(voters.Count)]))),
                _ => await Did("cast", Run(s => MotionCommands.Cast(s, target, voters[random.Next(voters.Count)], Ballot(random, choices)))),
            };
            foreach (var (m, _, _) in open)
            {
                await CompareAsync(m, $"{name}, step {step} ({did})");
                compared++;
            }
        }
        return compared;
    }

    /// <summary>A federation of this council and another, each electing a delegate; returns the federation's motion its delegates vote on.</summary>
    private async Task<IEnumerable<(MotionId, IReadOnlyList<AccountId>, string[])>> FederationAsync(Random random, CouncilId council, List<AccountId> people)
    {
        var quick = CouncilSettings.Default with
        {
            SupportThreshold = 1, DeliberationPeriod = TimeSpan.Zero, VotingPeriod = TimeSpan.FromHours(1), LiveResults = true,
            WeightedVoting = random.Next(2) == 0, SeatRatio = random.Next(1, 4),
        };
        var federation = (await Must(s => CouncilCommands.Create(s, people[0], "Federation", "", quick, federation: true))).Value;
        var other = (await Must(s => CouncilCommands.Create(s, people[^1], "Other council", "", quick))).Value;
        var delegates = new List<AccountId>();
        foreach (var (base_, founder) in new[] { (council, people[0]), (other, people[^1]) })
        {
            var joining = (await Must(s => MotionCommands.Put(s, base_, founder, new MotionRequest("federate", "Join", "") { Federation = federation }))).Value;
            await Must(s => MotionCommands.Cast(s, joining, founder, new MotionBallot(Choice: "yes")));
            await PassHourAsync();
            var mandate = (await Must(s => MandateCommands.Create(s, base_, founder, "Delegates", "delegate", null, federation, null))).Value;
            var election = (await Must(s => MotionCommands.Put(s, base_, founder,
                new MotionRequest("election", "Delegates", "", [founder.ToString()]) { Mandate = mandate }))).Value;
            await Must(s => MotionCommands.Cast(s, election, founder, new MotionBallot(Ranking: [founder.ToString()])));
            await PassHourAsync();
            delegates.Add(founder);
        }
        var motion = (await Must(s => MotionCommands.Put(s, federation, delegates[0], new MotionRequest("decision", "A federation decision", "")))).Value;
        return [(motion, delegates.Concat(people).ToList(), [])];
    }

    private async Task PassHourAsync()
    {
        _clock.Advance(TimeSpan.FromHours(1));
        await _writer.RunAsync(s => MotionCommands.AdvanceDue(s));
    }

    private async Task CompareAsync(MotionId motion, string when)
    {
        var view = await _motions.GetAsync(motion, CancellationToken.None);
        var replayed = _recount.Count(motion);
        Assert.NotNull(view);
        Assert.NotNull(replayed);
        string live = view.Result?.Write() ?? "";
        string log = replayed.Value.Result.Write();
        Assert.True(live == log, $"{when}: the live count and the replay differ on motion {motion}\n  live:   {live}\n  replay: {log}");
    }

    private static MotionBallot Ballot(Random random, string[] options) => options.Length == 0
        ? new MotionBallot(Choice: new[] { "yes", "no", "abstain" }[random.Next(3)])
        : new MotionBallot(Ranking: [.. options.OrderBy(_ => random.Next()).Take(random.Next(1, options.Length + 1))]);

    private static async Task<string> Did<T>(string what, Task<Result<T>> step) => (await step).Refusal is { } refused ? $"{what}: {refused.Code}" : what;

    /// <summary>A step of the history's setting up, which must be accepted.</summary>
    private async Task<Result<T>> Must<T>(Func<WriteSession, Result<T>> command)
    {
        var result = await Run(command);
        Assert.True(result.IsOk, $"refused while setting up: {result.Refusal}");
        return result;
    }

    private async Task<Result<T>> Run<T>(Func<WriteSession, Result<T>> command)
    {
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        return await _writer.RunAsync(command);
    }
}
