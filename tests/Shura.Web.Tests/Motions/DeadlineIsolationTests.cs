using System.Text.Json;
using Dapper;
using Shura.Storage.Log;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Motions;

/// <summary>
/// Deadline work is isolated per motion (DESIGN §8): a motion that cannot be closed — here its row
/// is broken on purpose, so that closing it throws — is retried and shown in health, and never
/// holds up another council's motion, due after it, from closing on time.
/// </summary>
public class DeadlineIsolationTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_motion_whose_close_fails_does_not_delay_another_councils_motion(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var world = new World(server);
        var api = world.Api;
        var (leyla, babak) = (await api.RegisterAsync("Leyla"), await api.RegisterAsync("Babak"));
        string broken = await api.PutMotionAsync(await world.CouncilAsync("Stuck council", [leyla]), leyla, new { kind = "decision", title = "Buy a kettle", text = "" });
        (await api.CastAsync(broken, leyla, new { choice = "yes" })).Ok();
        await server.AdvanceAsync(TimeSpan.FromMinutes(1));
        string onTime = await api.PutMotionAsync(await world.CouncilAsync("Other council", [babak]), babak, new { kind = "decision", title = "Paint the door", text = "" });
        (await api.CastAsync(onTime, babak, new { choice = "yes" })).Ok();
        using (var c = server.Database.OpenConnection())
        {
            Assert.Equal(1, c.Execute("UPDATE motions SET options = 'not json' WHERE id = @broken", new { broken }));
        }

        await server.AdvanceAsync(TimeSpan.FromHours(1));

        await server.StateAsync(onTime, "in-force");
        Assert.Equal("voting", State(server, broken));
        var health = await HealthAsync(server);
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Equal(1, health.GetProperty("checks").GetProperty("deadlines").GetProperty("data").GetProperty("failing").GetInt32());
        Assert.DoesNotContain(broken, health.ToString(), StringComparison.Ordinal); // health names no motion

        await server.AdvanceAsync(TimeSpan.FromMinutes(10));
        var problems = Verifier.Run(server.Database, server.Clock!.GetUtcNow()).Problems;
        Assert.Contains(problems, p => p.StartsWith($"motion {broken}: voting was due to end", StringComparison.Ordinal));

        // Once repaired, the retry closes it.
        using (var c = server.Database.OpenConnection())
        {
            c.Execute("UPDATE motions SET options = '[]' WHERE id = @broken", new { broken });
        }
        for (int i = 0; i < 60 && State(server, broken) == "voting"; i++)
        {
            await server.AdvanceAsync(TimeSpan.FromMinutes(1));
        }
        Assert.Equal("in-force", State(server, broken));
        Assert.Equal("healthy", (await HealthAsync(server)).GetProperty("status").GetString());
        world.Verify();
    }

    private static string State(TestServer server, string motion)
    {
        using var c = server.Database.OpenConnection();
        return c.ExecuteScalar<string>("SELECT state FROM motions WHERE id = @motion", new { motion })!;
    }

    private static async Task<JsonElement> HealthAsync(TestServer server) =>
        JsonDocument.Parse(await server.Client.GetStringAsync("/health")).RootElement.Clone();
}
