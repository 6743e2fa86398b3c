using System.Diagnostics;

namespace Shura.Web;

/// <summary>
/// One line for every request that asks for a change (POST, PUT, PATCH, DELETE): what was asked,
/// by its route's pattern, not its address (<c>PUT /api/v1/motions/{id}/ballot</c>, a page and its
/// handler), the answer's status and how long it took. Never an id, a person, an address or
/// anything written: the log tells an operator what the server does, not who voted on what when.
/// Reading pages is not logged at all, so the start banner stays in view.
/// </summary>
public static partial class RequestLog
{
    public static void Use(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Shura.Requests");
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method))
            {
                await next(context);
                return;
            }
            long started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                Written(logger, context.Request.Method, What(context), context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
    }

    /// <summary>The route's pattern (and a page's handler, a word of the server's own), or "unrouted".</summary>
    internal static string What(HttpContext context)
    {
        if (context.GetEndpoint() is not RouteEndpoint { RoutePattern.RawText: { } pattern })
        {
            return "unrouted";
        }
        string handler = context.Request.Query["handler"].ToString();
        return handler.Length is > 0 and <= 40 && handler.All(char.IsAsciiLetterOrDigit) ? $"{pattern} ({handler})" : pattern;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Route} {Status} {Milliseconds:0} ms")]
    private static partial void Written(ILogger logger, string method, string route, int status, double milliseconds);
}
