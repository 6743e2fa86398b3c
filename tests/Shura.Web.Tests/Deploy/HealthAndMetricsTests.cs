using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Deploy;

/// <summary>
/// /healthz, /readyz and /metrics as an operator's tools use them: Prometheus scrapes the metrics and
/// finds the ballots counted; readiness follows Redis going away and coming back; a change asked for
/// is logged in one line that names no one and nothing.
/// </summary>
public partial class HealthAndMetricsTests
{
    [Fact]
    public async Task The_metrics_are_scraped_and_count_the_ballots_and_the_writers_batches()
    {
        await using var server = await TestServer.StartAsync(Support.Engines.Sqlite, fakeClock: true);
        var api = server.Api();
        var people = new[] { await api.RegisterAsync("Leyla"), await api.RegisterAsync("Babak"), await api.RegisterAsync("Sara") };
        string council = await api.CreateCouncilAsync(people[0], Api.QuickSettings(voting: "PT1H"));
        await api.JoinAsync(council, people[1], people[2]);
        string motion = await api.PutMotionAsync(council, people[0], new { kind = "decision", title = "Strike on Monday", text = "" });
        double before = Value(await ScrapeAsync(server), "shura_ballots_total");
        foreach (var person in people)
        {
            (await api.CastAsync(motion, person, new { choice = "yes" })).Ok();
        }
        (await api.CastAsync(motion, people[0], new { choice = "no" })).Ok();

        string metrics = await ScrapeAsync(server);
        Assert.True(Value(metrics, "shura_ballots_total") >= before + 4, metrics);
        Assert.Contains("shura_writer_batch_size_bucket", metrics, StringComparison.Ordinal);
        Assert.Contains("shura_writer_commit_duration_seconds_bucket", metrics, StringComparison.Ordinal);
        Assert.Matches("shura_commands_total\\{[^}]*outcome=\"accepted\"", metrics);
        Assert.Contains("shura_live_watchers", metrics, StringComparison.Ordinal);
        Assert.Contains("shura_deadlines_overdue", metrics, StringComparison.Ordinal);
        // Counts only: no id, name or choice in the whole of it.
        Assert.DoesNotContain(motion, metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(council, metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("Leyla", metrics, StringComparison.Ordinal);

        Assert.Equal("alive\n", await server.Client.GetStringAsync("/healthz"));
        using var ready = await server.Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"store\"", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_goes_when_redis_goes_and_comes_back_with_it()
    {
        if (!Support.Engines.PostgresHere || (!File.Exists("/usr/bin/redis-server") && Environment.GetEnvironmentVariable("SHURA_REQUIRE_REDIS") != "1"))
        {
            return; // test.sh provides PostgreSQL and Redis, and requires them
        }
        await using var redis = await OwnRedis.StartAsync();
        string db = Support.Engines.FreshDb(Support.Engines.Postgres);
        await using var server = await ServeProcess.StartAsync(db, "--redis", redis.Address);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/readyz")).StatusCode);
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        string council = await api.CreateCouncilAsync(leyla, Api.QuickSettings(voting: "PT1H"));
        string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Strike on Monday", text = "" });

        await redis.StopAsync();
        await Wait.UntilAsync(async () => (await server.Client.GetAsync("/readyz")).StatusCode == HttpStatusCode.ServiceUnavailable, "/readyz to say Redis is gone");
        string why = await (await server.Client.GetAsync("/readyz")).Content.ReadAsStringAsync();
        Assert.Contains("Redis does not answer", why, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/healthz")).StatusCode);
        // A ballot meanwhile: its rate limit cannot be counted, so it is refused as unavailable, not failed.
        var refused = await api.CastAsync(motion, leyla, new { choice = "yes" });
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "store-unavailable"), (refused.Status, refused.Code));

        await redis.StartAgainAsync();
        await Wait.UntilAsync(async () => (await server.Client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "/readyz to be ready again", seconds: 60);
        (await api.CastAsync(motion, leyla, new { choice = "yes" })).Ok();
    }

    [Fact]
    public async Task A_change_asked_for_is_one_log_line_naming_its_route_not_its_ids_and_reading_is_not_logged()
    {
        string db = Support.Engines.FreshDb(Support.Engines.Sqlite);
        await using var server = await ServeProcess.StartAsync(db);
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        string council = await api.CreateCouncilAsync(leyla, Api.QuickSettings(voting: "PT1H"));
        string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Strike on Monday", text = "" });
        (await api.CastAsync(motion, leyla, new { choice = "yes" })).Ok();
        for (int i = 0; i < 5; i++)
        {
            await server.Client.GetStringAsync($"/motions/{motion}");
        }
        await Wait.UntilAsync(() => Task.FromResult(server.Output.Any(l => l.Contains("/ballot", StringComparison.Ordinal))), "the ballot's log line");

        var lines = server.Output;
        Assert.Contains(lines, l => l.Contains("PUT /api/v1/motions/{id:guid}/ballot 200", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(motion, StringComparison.Ordinal) || l.Contains(council, StringComparison.Ordinal)
            || l.Contains(leyla.Id, StringComparison.Ordinal) || l.Contains(leyla.Email, StringComparison.Ordinal) || l.Contains("Strike", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("GET ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("warn", StringComparison.OrdinalIgnoreCase) || l.Contains("fail", StringComparison.OrdinalIgnoreCase));
        // The banner is still in view: a handful of lines in all.
        Assert.True(lines.Count < 20, string.Join("\n", lines));
    }

    private static async Task<string> ScrapeAsync(TestServer server) => await server.Client.GetStringAsync("/metrics");

    private static double Value(string metrics, string name)
    {
        var found = Regex.Matches(metrics, $"^{name}(?:\\{{[^}}]*\\}})? ([0-9.eE+-]+)", RegexOptions.Multiline);
        return found.Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
    }
}
