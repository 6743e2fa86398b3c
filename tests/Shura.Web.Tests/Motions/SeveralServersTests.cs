using System.Text.Json;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Motions;

/// <summary>
/// Several servers on one database pass the same deadlines at the same moment: every motion closes
/// once. Each has a fake clock at the same instant, and the test runs their deadline passes
/// concurrently, so the race is certain rather than hoped for.
/// </summary>
public class SeveralServersTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Three_servers_on_one_database_close_each_motion_exactly_once(string engine)
    {
        string db = Support.Engines.FreshDb(engine);
        var at = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());
        await using var first = await TestServer.StartAsync(db: db, fakeClock: true, at: at);
        await using var second = await TestServer.StartAsync(db: db, fakeClock: true, at: at);
        await using var third = await TestServer.StartAsync(db: db, fakeClock: true, at: at);
        TestServer[] servers = [first, second, third];
        var api = first.Api();
        var leyla = await api.RegisterAsync("Leyla");
        string council = await api.CreateCouncilAsync(leyla, Api.QuickSettings(voting: "PT1H"));
        var motions = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = $"Question {i}", text = "" });
            motions.Add(motion);
        }
        // Into voting, every server at once; a ballot through another server; then all close at once.
        await Task.WhenAll(servers.Select(s => s.PassDeadlinesAsync()));
        foreach (string motion in motions)
        {
            (await second.Api().CastAsync(motion, leyla, new { choice = "yes" })).Ok();
        }
        foreach (var server in servers)
        {
            server.Clock!.Advance(TimeSpan.FromHours(1));
        }
        await Task.WhenAll(servers.Select(s => s.PassDeadlinesAsync()));
        await Task.WhenAll(servers.Select(s => s.PassDeadlinesAsync()));

        foreach (string motion in motions)
        {
            await third.StateAsync(motion, "in-force");
        }
        var log = await api.LogAsync(council);
        foreach (string type in new[] { "voting-started", "motion-closed" })
        {
            var once = log.Where(e => e.GetProperty("type").GetString() == type)
                .Select(e => JsonDocument.Parse(e.GetProperty("payload").GetString()!).RootElement.GetProperty("motion").GetString()).ToList();
            Assert.Equal(motions.Order(), once.Order());
        }
        foreach (var server in servers)
        {
            Assert.Empty(server.Errors);
        }
    }
}
