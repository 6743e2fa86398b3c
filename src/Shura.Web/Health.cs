using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Shura.Core.Log;
using Shura.Web.Motions;

namespace Shura.Web;

/// <summary>
/// <c>GET /health</c>: whether the server does its work. It says how many motions or mandates
/// failed to move on at their deadline and since when, never which ones: the ids of a members-only
/// council's motions are not for everyone. The server log names them. Likewise it says how many
/// e-mails the mail server has not taken yet, never to whom.
/// </summary>
public static class Health
{
    public static void AddShuraHealth(this IServiceCollection services)
    {
        services.AddSingleton<DeadlineFailures>();
        services.AddHealthChecks().AddCheck<DeadlinesCheck>("deadlines").AddCheck<MailCheck>("mail");
    }

    public static void MapShuraHealth(this WebApplication app) =>
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });

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
