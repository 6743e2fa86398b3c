using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Shura.Web;

/// <summary>
/// The OpenAPI document at /openapi/v1.json, beyond what the typed results of the routes already
/// say (each 2xx body): the bearer scheme, which routes need it, and each route's error answers —
/// application/problem+json with its stable <c>code</c>, one of <see cref="Codes"/>. Which errors
/// a route can give follows from what it is: any route may get a malformed request (400); a route
/// about something named in its path may find it missing (404); a route that needs a person may
/// get none (401); a change by a person may be refused by the domain (403, 409, 422) or by the
/// person's rate limit (429); a route that reads a body may get one too large or not JSON (413, 415).
/// </summary>
/// <summary>
/// Marks a route whose body is a file (an image), not JSON: the handler reads it itself, so the
/// framework neither binds nor refuses it by its content type, and the document says which types it takes.
/// </summary>
public sealed record RawBody(params string[] ContentTypes);

public static class ApiDocument
{
    public const string Problem = "Problem";

    private const string ProblemJson = "application/problem+json";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Shura",
                Version = "v1",
                Description = "Councils, motions, ballots, mandates and recall, delegation, federation and actions. "
                    + "Every error is application/problem+json with a stable code. Sign in with a personal access token (POST /api/v1/tokens).",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Accounts.BearerTokens.Scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A personal access token from POST /api/v1/tokens, sent as \"Authorization: Bearer <token>\".",
            };
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            document.Components.Schemas[Problem] = ProblemSchema();
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var description = context.Description;
            var metadata = description.ActionDescriptor.EndpointMetadata;
            bool needsPerson = metadata.OfType<IAuthorizeData>().Any();
            bool change = !string.Equals(description.HttpMethod, "GET", StringComparison.OrdinalIgnoreCase);
            bool named = description.ParameterDescriptions.Any(p => p.Source.Id == "Path");
            var raw = metadata.OfType<RawBody>().FirstOrDefault();
            bool body = raw is not null || description.ParameterDescriptions.Any(p => p.Source.Id == "Body");
            if (raw is not null)
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "The file itself, as the body.",
                    Content = raw.ContentTypes.ToDictionary(t => t, _ => new OpenApiMediaType
                    {
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                    }),
                };
            }
            var statuses = new SortedSet<int> { 400 };
            // What the route itself declares (a wrong password, too many sign-ins) comes first.
            foreach (string declared in operation.Responses?.Keys.Where(k => k.StartsWith('4')) ?? [])
            {
                statuses.Add(int.Parse(declared, System.Globalization.CultureInfo.InvariantCulture));
            }
            if (needsPerson)
            {
                statuses.Add(401);
            }
            if (named)
            {
                statuses.Add(404);
            }
            if (change && needsPerson)
            {
                statuses.UnionWith([403, 409, 422, 429]);
            }
            if (body)
            {
                statuses.UnionWith([413, 415]);
            }
            operation.Responses ??= new OpenApiResponses();
            foreach (int status in statuses)
            {
                operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
                {
                    Description = Problems.Title(status),
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [ProblemJson] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(Problem, context.Document) },
                    },
                };
            }
            if (needsPerson)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(Accounts.BearerTokens.Scheme, context.Document)] = [],
                });
            }
            return Task.CompletedTask;
        });
    }

    private static OpenApiSchema ProblemSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An error (RFC 9457). Nothing was changed. code is stable: scripts may rely on it; field names the input at fault, where there is one.",
        Required = new HashSet<string>(StringComparer.Ordinal) { "type", "title", "status", "detail", "code" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "urn:shura:problem:<code>" },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What is wrong, in English." },
            ["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [.. Codes.All.Where(c => !Codes.Internal.Contains(c)).Select(c => (JsonNode)JsonValue.Create(c)!)],
            },
            ["field"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The input at fault (a field of the body, or a query parameter)." },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "To find the request in the server's log." },
        },
    };
}
