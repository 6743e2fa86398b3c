using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Shura.Web;

/// <summary>
/// Every error the API returns is application/problem+json with a stable <c>code</c> (and the
/// <c>field</c> at fault where there is one). A refusal from the domain maps to one status by its
/// kind; malformed requests are caught before they reach a command.
/// </summary>
public static class Problems
{
    public static ProblemHttpResult From(Refusal refusal) => Problem(Status(refusal.Kind), refusal.Code, refusal.Message, refusal.Field);

    public static int Status(RefusalKind kind) => kind switch
    {
        RefusalKind.Invalid => StatusCodes.Status400BadRequest,
        RefusalKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        RefusalKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        RefusalKind.Forbidden => StatusCodes.Status403Forbidden,
        RefusalKind.NotFound => StatusCodes.Status404NotFound,
        RefusalKind.TooMany => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status409Conflict,
    };

    public static ProblemHttpResult Problem(int status, string code, string detail, string? field = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (field is not null)
        {
            extensions["field"] = field;
        }
        return TypedResults.Problem(detail: detail, statusCode: status, title: Title(status), type: $"urn:shura:problem:{code}", extensions: extensions);
    }

    /// <summary>A field of the request that is missing or wrong, before any command runs.</summary>
    public static ProblemHttpResult Invalid(string field, string detail) => From(Refusal.Invalid(Codes.InvalidField, detail, field));

    /// <summary>A new answer each time: writing a problem may add to it (a trace id), so one instance is never shared between requests.</summary>
    public static ProblemHttpResult Unauthenticated =>
        Problem(StatusCodes.Status401Unauthorized, Codes.Unauthenticated, "Send a personal access token: Authorization: Bearer <token>.");

    public static string Title(int status) => status switch
    {
        400 => "Bad request",
        401 => "Not signed in",
        403 => "Not allowed",
        404 => "Not found",
        405 => "Method not allowed",
        409 => "Conflict",
        413 => "Request too large",
        415 => "Unsupported media type",
        422 => "Unprocessable request",
        429 => "Too many requests",
        _ => "Server error",
    };

    /// <summary>
    /// The last resort: anything that reached the exception handler is a bug. It is logged and
    /// answered with a 500 problem, which the test suite makes sure never happens. (What clients
    /// get wrong never gets here: see <see cref="UseClientMistakes"/>.)
    /// </summary>
    public static async Task HandleExceptionAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (Mistake(error) is { } mistake)
        {
            await Problem(mistake.Status, mistake.Code, mistake.Detail).ExecuteAsync(context);
            return;
        }
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Shura.Web");
        if (StoreFault(error) is { } fault)
        {
            // The writer rolled the batch back and opens a fresh connection next time: when the fault
            // goes, writes go through again by themselves. Nobody was told a change was made.
            logger.LogWarning("The store could not take a change ({Method} {Route}): {Fault}. {Remedy}", context.Request.Method, RequestLog.What(context), fault.What, fault.Remedy);
            context.Response.Headers.RetryAfter = "5";
            await Problem(503, Codes.StoreUnavailable, $"The store cannot take changes just now ({fault.What}); nothing was changed. Try again in a moment.").ExecuteAsync(context);
            return;
        }
        logger.LogError(error, "Unhandled error on {Method} {Route}", context.Request.Method, RequestLog.What(context));
        await Problem(500, Codes.InternalError, "Something went wrong on the server; nothing was changed.").ExecuteAsync(context);
    }

    /// <summary>
    /// A fault of the store rather than of the request — unreachable, restarting, its disk full, its
    /// file or database read-only — said plainly, with what the operator can do.
    /// </summary>
    internal static (string What, string Remedy)? StoreFault(Exception? error) => error switch
    {
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 13 } => ("the disk holding the store is full", "Free space on that disk; writes resume by themselves."),
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 8 or 10 or 14 } => ("the store's file cannot be written (read-only, or an input/output error)",
            "Make the store's file and its folder writable again (check the disk and the mount); writes resume by themselves."),
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 } => ("the store is busy", "Another program holds the store locked; writes resume when it lets go."),
        Npgsql.PostgresException { SqlState: "53100" } => ("the disk holding the database is full", "Free space for PostgreSQL; writes resume by themselves."),
        Npgsql.PostgresException { SqlState: "25006" } => ("the database is read-only", "Point --db at the primary, or make the database writable; writes resume by themselves."),
        StackExchange.Redis.RedisConnectionException or StackExchange.Redis.RedisTimeoutException =>
            ("Redis, which counts the rate limits of all the nodes, cannot be reached", "Check that Redis runs and is reachable; the server reconnects by itself."),
        System.Data.Common.DbException { IsTransient: true } or TimeoutException or Npgsql.NpgsqlException { InnerException: System.Net.Sockets.SocketException or IOException or EndOfStreamException } =>
            ("the database cannot be reached", "Check that PostgreSQL runs and is reachable; the server reconnects by itself."),
        _ => null,
    };

    /// <summary>
    /// A client's mistake — malformed JSON, wrong types, unknown or repeated fields, an oversize body,
    /// a NUL character in a query or a form — is answered as one: a 4xx problem (or error page) that
    /// says what is wrong, logged at debug level only. It is caught here, before ASP.NET Core's
    /// exception handler, which would write each one to the log as an error with its stack trace.
    /// </summary>
    public static void UseClientMistakes(this WebApplication app) => app.Use(async (context, next) =>
    {
        var nul = context.Request.QueryString.HasValue && context.Request.Query.Any(q => q.Value.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true));
        if (!nul && context.Request.HasFormContentType)
        {
            try
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                nul = form.Any(f => f.Value.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true));
            }
            catch (InvalidDataException e)
            {
                await AnswerAsync(context, (400, Codes.InvalidForm, $"The form could not be read: {e.Message}"));
                return;
            }
        }
        if (nul)
        {
            await AnswerAsync(context, (400, Codes.InvalidCharacter, "The request contains the character U+0000 (NUL), which is not allowed."));
            return;
        }
        try
        {
            await next(context);
        }
        catch (Exception e) when (Mistake(e) is { } mistake && !context.Response.HasStarted)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Shura.Web")
                .LogDebug("Refused {Method} {Path}: {Code}", context.Request.Method, context.Request.Path, mistake.Code);
            context.Response.Clear();
            await AnswerAsync(context, mistake);
        }
    });

    private static async Task AnswerAsync(HttpContext context, (int Status, string Code, string Detail) mistake)
    {
        if (Site.Pages.IsApi(context.Request.Path))
        {
            await Problem(mistake.Status, mistake.Code, mistake.Detail).ExecuteAsync(context);
            return;
        }
        context.Response.StatusCode = mistake.Status;
        await Site.Pages.StatusPageAsync(context);
    }

    /// <summary>What the framework throws for a malformed request, as a problem; null for anything else (a bug).</summary>
    private static (int Status, string Code, string Detail)? Mistake(Exception? error) => error switch
    {
        BadHttpRequestException { StatusCode: 413 } => (413, Codes.BodyTooLarge, "The request body is larger than the server accepts."),
        BadHttpRequestException { InnerException: JsonException json } => (400, JsonCode(json), JsonDetail(json)),
        BadHttpRequestException { StatusCode: 415 } bad => (415, Codes.UnsupportedMediaType, bad.Message),
        BadHttpRequestException bad when bad.Message.Contains("body", StringComparison.Ordinal) =>
            (400, Codes.InvalidJson, "The body must be a JSON object; it was empty or null."),
        BadHttpRequestException bad when bad.Message.StartsWith("Failed to bind parameter", StringComparison.Ordinal) =>
            (400, Codes.InvalidParameter, bad.Message),
        BadHttpRequestException bad => (bad.StatusCode, Codes.BadRequest, bad.Message),
        JsonException json => (400, JsonCode(json), JsonDetail(json)),
        _ => null,
    };

    /// <summary>A field given twice is a problem of its own: which of the two was meant cannot be guessed.</summary>
    private static string JsonCode(JsonException json) =>
        json.Message.Contains("uplicate", StringComparison.Ordinal) ? Codes.DuplicateKey : Codes.InvalidJson;

    private static string JsonDetail(JsonException json)
    {
        string where = json.Path is { Length: > 1 } path ? $" at {path}" : "";
        string position = json.LineNumber is long line ? $" (line {line + 1}, position {json.BytePositionInLine + 1})" : "";
        string message = json.Message.Split(". Path:")[0].Split(" Path:")[0];
        return $"The body is not the JSON this route expects{where}{position}: {message}";
    }

    /// <summary>Empty error responses (unknown route, wrong method) get a problem body too.</summary>
    public static async Task StatusCodePageAsync(StatusCodeContext context)
    {
        int status = context.HttpContext.Response.StatusCode;
        if (!Site.Pages.IsApi(context.HttpContext.Request.Path))
        {
            await Site.Pages.StatusPageAsync(context.HttpContext);
            return;
        }
        string code = status switch
        {
            404 => Codes.NotFound,
            405 => Codes.MethodNotAllowed,
            401 => Codes.Unauthenticated,
            413 => Codes.BodyTooLarge,
            415 => Codes.UnsupportedMediaType,
            400 => Codes.BadRequest,
            _ => Codes.Error,
        };
        string detail = status switch
        {
            404 => "No such route or resource.",
            405 => "This route does not take that method.",
            413 => "The request body is larger than the server accepts.",
            415 => "Send the body as JSON: Content-Type: application/json.",
            _ => "The request failed.",
        };
        await Problem(status, code, detail).ExecuteAsync(context.HttpContext);
    }
}
