using System.Net;
using OpenTelemetry.Metrics;

namespace Shura.Web;

/// <summary>
/// OpenTelemetry metrics, scraped by Prometheus at <c>/metrics</c>: requests (ASP.NET Core's own),
/// commands and ballots, the writer's batch sizes and commit times (<see cref="Storage.Metrics"/>),
/// pages watching live, fediverse deliveries waiting, deadlines overdue and by how long. Counts
/// only, no ids. <c>/metrics</c> answers only requests from this machine (a Prometheus beside it,
/// or one reached through an SSH tunnel); to anyone else it does not exist. Behind a reverse proxy
/// the client is the one the proxy names, so the public cannot reach it through the proxy either.
/// </summary>
public static class ServerMetrics
{
    public static void AddServices(IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(Storage.Metrics.MeterName)
            .AddAspNetCoreInstrumentation()
            // Each scrape reads the figures of that moment (no cached answer).
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
    }

    public static void Use(WebApplication app)
    {
        var live = app.Services.GetRequiredService<Site.Live>();
        var database = app.Services.GetRequiredService<Database>();
        var clock = app.Services.GetRequiredService<TimeProvider>();
        // This server's gauges, on a meter of its own that ends with it (several servers in one test process each have theirs).
        var meter = new System.Diagnostics.Metrics.Meter(Storage.Metrics.MeterName);
        app.Lifetime.ApplicationStopped.Register(meter.Dispose);
        meter.CreateObservableGauge("shura.live.watchers", () => live.Watching, "{page}", "Pages watching a council or motion live");
        meter.CreateObservableGauge("shura.fediverse.deliveries", () => Read(() => Backlogs.DeliveriesAsync(database, CancellationToken.None).GetAwaiter().GetResult()), "{delivery}", "Fediverse deliveries waiting to go out");
        meter.CreateObservableGauge("shura.deadlines.overdue", () => Read(() => Backlogs.OverdueAsync(database, clock.GetUtcNow(), CancellationToken.None).GetAwaiter().GetResult().Count),
            "{deadline}", "Deadlines passed more than five minutes ago and not processed");
        meter.CreateObservableGauge("shura.deadlines.lag", () => Read(() => Backlogs.OverdueAsync(database, clock.GetUtcNow(), CancellationToken.None).GetAwaiter().GetResult().LagSeconds),
            "s", "How long ago the oldest overdue deadline passed");
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path == "/metrics" && context.Connection.RemoteIpAddress is { } from && IPAddress.IsLoopback(from));
    }

    /// <summary>A gauge that reads the store reports nothing while the store does not answer (/readyz says why).</summary>
    private static IEnumerable<System.Diagnostics.Metrics.Measurement<T>> Read<T>(Func<T> value) where T : struct
    {
        T read;
        try
        {
            read = value();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return [];
        }
        return [new(read)];
    }
}
