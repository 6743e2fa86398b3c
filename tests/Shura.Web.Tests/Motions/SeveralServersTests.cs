using System.Text.Json;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Motions;

/// <summary>Several server processes on one database, each running the deadline service: every motion closes once.</summary>
public class SeveralServersTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Three_servers_on_one_database_close_each_motion_exactly_once(string engine)
    {
        string db = Support.Engines.FreshDb(engine);
        await using var first = await TestServer.StartAsync(db: db);
        await using var second = await TestServer.StartAsync(db: db);
        await using var third = await TestServer.StartAsync(db: db);
        var api = first.Api();
        var leyla = await api.RegisterAsync("Leyla");
        // Voting stays open 3 s: long enough for the ballot to land on a busy machine, short enough to close soon.
        string council = await api.CreateCouncilAsync(leyla, Api.QuickSettings(voting: "PT3S"));
        var motions = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = $"Question {i}", text = "" });
            (await second.Api().CastAsync(motion, leyla, new { choice = "yes" })).Ok();
            motions.Add(motion);
        }

        foreach (string motion in motions)
        {
            await third.Api().WaitForStateAsync(motion, "in-force");
        }
        await Task.Delay(1500); // every server's deadline service has looked at least once more

        var closed = (await api.LogAsync(council)).Where(e => e.GetProperty("type").GetString() == "motion-closed")
            .Select(e => JsonDocument.Parse(e.GetProperty("payload").GetString()!).RootElement.GetProperty("motion").GetString()).ToList();
        Assert.Equal(motions.Order(), closed.Order());
    }
}
