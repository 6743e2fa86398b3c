using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Shura.Core.Log;
using Shura.Web.Motions;

namespace Shura.Web;

/// <summary>
/// <c>GET /healthz</c>: the process is alive (nothing else is asked, so a slow database does not get
/// it restarted). <c>GET /readyz</c>: it can serve — the store answers, Redis answers when several
/// nodes share it (503 when either does not), and what waits on it: deadlines overdue, fediverse
/// deliveries and e-mails stuck (200, "degraded", when they pile up). <c>GET /health</c>: every check,
/// whether the server does its work. It says how many motions or mandates
/// failed to move on at their deadline and since when, never which ones: the ids of a members-only
/// council's motions are not for everyone. The server log names them. Likewise it says how many
/// e-mails the mail server has not taken yet, never to whom.
/// </summary>
public static class Health
{
    public static void AddShuraHealth(this IServiceCollection services)
    {
        services.AddSingleton<DeadlineFailures>();
        services.AddHealthChecks()
            .AddCheck<StoreCheck>("store", tags: ["ready"])
            .AddCheck<RedisCheck>("redis", tags: ["ready"])
            .AddCheck<OverdueCheck>("overdue", tags: ["ready"])
            .AddCheck<OutboxCheck>("outbox", tags: ["ready"])
            .AddCheck<DeadlinesCheck>("deadlines", tags: ["ready"])
            .AddCheck<MailCheck>("mail", tags: ["ready"]);
    }

    public static void MapShuraHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health", Options(_ => true));
        app.MapHealthChecks("/readyz", Options(check => check.Tags.Contains("ready")));
        app.MapGet("/healthz", () => Results.Text("alive\n")).ExcludeFromDescription();
    }

    private static HealthCheckOptions Options(Func<HealthCheckRegistration, bool> which) => new()
    {
        Predicate = which,
        ResponseWriter = WriteAsync,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status200OK,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
    };

    /// <summary>The store answers a query within a few seconds (never its address or password in the answer).</summary>
    private sealed class StoreCheck(Database database) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await using var c = await database.OpenConnectionAsync(timeout.Token);
                await using var ask = c.CreateCommand();
                ask.CommandText = "SELECT COUNT(*) FROM schema_migrations";
                await ask.ExecuteScalarAsync(timeout.Token);
                return HealthCheckResult.Healthy("The store answers.");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return HealthCheckResult.Unhealthy($"The store does not answer ({e.GetType().Name}); writes wait and are refused with 503 until it does.");
            }
        }
    }

    /// <summary>With several nodes, the Redis they share answers.</summary>
    private sealed class RedisCheck(IServiceProvider services) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (services.GetService<Site.Nodes>() is not { } nodes)
            {
                return HealthCheckResult.Healthy("One node alone: no Redis.");
            }
            try
            {
                var took = await nodes.Redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
                return HealthCheckResult.Healthy($"Redis answers ({took.TotalMilliseconds:0} ms).");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return HealthCheckResult.Unhealthy($"Redis does not answer ({e.GetType().Name}): live pages on other nodes miss this node's changes until it does.");
            }
        }
    }

    /// <summary>Motions and standing counts past their deadline by more than a few minutes: the deadline work is behind.</summary>
    private sealed class OverdueCheck(Database database, TimeProvider clock) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var (count, oldest) = await Backlogs.OverdueAsync(database, clock.GetUtcNow(), cancellationToken);
            var data = new Dictionary<string, object> { ["overdue"] = count, ["lagSeconds"] = oldest };
            return count == 0
                ? HealthCheckResult.Healthy("No deadline is overdue.", data)
                : HealthCheckResult.Degraded($"{count} deadlines passed more than five minutes ago and are not processed yet.", data: data);
        }
    }

    /// <summary>Fediverse deliveries due long ago and not attempted: the deliverer is behind (a dead remote server's wait is not).</summary>
    private sealed class OutboxCheck(Database database, TimeProvider clock) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            long stuck = await Backlogs.StuckDeliveriesAsync(database, clock.GetUtcNow(), cancellationToken);
            var data = new Dictionary<string, object> { ["stuck"] = stuck };
            return stuck == 0
                ? HealthCheckResult.Healthy("Fediverse deliveries go out when due.", data)
                : HealthCheckResult.Degraded($"{stuck} fediverse deliveries have waited more than ten minutes past their time.", data: data);
        }
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new Dictionary<string, object?>
        {
            ["status"] = report.Status.ToString().ToLowerInvariant(),
            ["checks"] = report.Entries.ToDictionary(e => e.Key, e => new Dictionary<string, object?>
            {
                ["status"] = e.Value.Status.ToString().ToLowerInvariant(),
                ["description"] = e.Value.Description,
                ["data"] = e.Value.Data,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonOptions));
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private sealed class DeadlinesCheck(DeadlineFailures failures) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var (count, since) = failures.Now();
            var data = new Dictionary<string, object> { ["failing"] = count };
            if (since is { } s)
            {
                data["failingSince"] = LogEntry.FormatTime(s);
            }
            return Task.FromResult(count == 0
                ? HealthCheckResult.Healthy("Every deadline is processed on time.", data)
                : HealthCheckResult.Degraded($"{count} motions or mandates could not be moved on at their deadline; they are retried, and the server log names them.", data: data));
        }
    }

    private sealed class MailCheck(Database database) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            long failing = await Storage.Notifications.MailQueue.FailingAsync(database, cancellationToken);
            var data = new Dictionary<string, object> { ["failing"] = failing };
            return failing == 0
                ? HealthCheckResult.Healthy("Every e-mail due has been taken by the mail server.", data)
                : HealthCheckResult.Degraded($"{failing} e-mails could not be handed to the mail server yet; they are retried, and the server log says why.", data: data);
        }
    }
}
