using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests;

/// <summary>
/// The OpenAPI document: the routes early users script against are in it, under the paths and
/// methods they were promised; every route of the API is, with its success body, its problem
/// answers and, where it needs a person, the bearer scheme; and a validator we did not write
/// accepts it.
/// </summary>
public class OpenApiTests
{
    private static readonly (string Method, string Path)[] Promised =
    [
        ("post", "/api/v1/councils/{id}/mandates"),
        ("get", "/api/v1/councils/{id}/mandates"),
        ("get", "/api/v1/mandates/{id}"),
        ("put", "/api/v1/mandates/{id}/holders/{person}/confidence"),
        ("put", "/api/v1/mandates/{id}/ranking"),
        ("delete", "/api/v1/mandates/{id}/ranking"),
        ("post", "/api/v1/motions/{id}/candidates"),
        ("post", "/api/v1/motions/{id}/schedule"),
        ("put", "/api/v1/councils/{id}/delegation"),
        ("delete", "/api/v1/councils/{id}/delegation"),
        ("get", "/api/v1/councils/{id}/delegation"),
        ("post", "/api/v1/motions/{id}/actions"),
        ("get", "/api/v1/actions/{id}"),
        ("post", "/api/v1/actions/{id}/volunteers"),
        ("post", "/api/v1/actions/{id}/reports"),
        ("get", "/api/v1/councils/{id}/actions"),
        ("post", "/api/v1/councils/{id}/motions"),
        ("put", "/api/v1/motions/{id}/ballot"),
    ];

    [Fact]
    public async Task Every_promised_route_is_in_the_document()
    {
        await using var server = await TestServer.StartAsync();
        using var document = JsonDocument.Parse(await server.Client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");
        var missing = Promised.Where(r => !paths.TryGetProperty(r.Path, out var operations) || !operations.TryGetProperty(r.Method, out _))
            .Select(r => $"{r.Method.ToUpperInvariant()} {r.Path}");
        Assert.Empty(missing);
    }

    [Fact]
    public async Task An_independent_validator_accepts_the_document_and_rejects_a_broken_one()
    {
        await using var server = await TestServer.StartAsync();
        string text = await server.Client.GetStringAsync("/openapi/v1.json");
        var (valid, output) = await ValidateAsync(text);
        Assert.True(valid, output);

        // The check can fail: the same document without its version, and with a response that lacks its description, is refused.
        var broken = JsonNode.Parse(text)!;
        broken["info"]!.AsObject().Remove("version");
        broken["paths"]!["/api/v1/me"]!["get"]!["responses"]!["200"]!.AsObject().Remove("description");
        var (accepted, said) = await ValidateAsync(broken.ToJsonString());
        Assert.False(accepted, said);
        Assert.Contains("version", said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_route_of_the_api_documents_its_body_its_problems_and_whether_it_needs_a_person()
    {
        await using var server = await TestServer.StartAsync();
        using var document = JsonDocument.Parse(await server.Client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");
        var routes = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Endpoint: e, Method: m.ToLowerInvariant())))
            .ToList();
        Assert.True(routes.Count >= 35, $"only {routes.Count} API routes were found");
        var problems = new List<string>();
        foreach (var (endpoint, method) in routes)
        {
            string path = System.Text.RegularExpressions.Regex.Replace(endpoint.RoutePattern.RawText!.TrimEnd('/'), @"\{(\w+)(:[^}]*)?\}", "{$1}");
            string name = $"{method.ToUpperInvariant()} {path}";
            if (!paths.TryGetProperty(path, out var operations) || !operations.TryGetProperty(method, out var operation))
            {
                problems.Add($"{name}: not in the document");
                continue;
            }
            var responses = operation.GetProperty("responses").EnumerateObject().ToList();
            var success = responses.Where(r => r.Name.StartsWith('2')).ToList();
            if (success.Count == 0)
            {
                problems.Add($"{name}: no 2xx answer");
            }
            foreach (var answer in success.Where(r => r.Name != "204"))
            {
                // A file (an image) is described as its media types; every other answer is JSON.
                bool described = answer.Value.TryGetProperty("content", out var content) && content.EnumerateObject().Any()
                    && content.EnumerateObject().All(c => c.Value.TryGetProperty("schema", out _))
                    && (content.TryGetProperty("application/json", out _) || content.EnumerateObject().All(c => c.Name.StartsWith("image/", StringComparison.Ordinal)));
                if (!described)
                {
                    problems.Add($"{name}: its {answer.Name} answer has no JSON body described");
                }
            }
            var errors = responses.Where(r => r.Name.StartsWith('4')).ToList();
            if (!errors.Any(r => r.Name == "400"))
            {
                problems.Add($"{name}: no 400 answer");
            }
            foreach (var error in errors)
            {
                if (!error.Value.TryGetProperty("content", out var content) || !content.TryGetProperty("application/problem+json", out var json)
                    || json.GetProperty("schema").GetProperty("$ref").GetString() != "#/components/schemas/Problem")
                {
                    problems.Add($"{name}: its {error.Name} answer is not the Problem as application/problem+json");
                }
            }
            bool needsPerson = endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null;
            bool secured = operation.TryGetProperty("security", out var security)
                && security.EnumerateArray().Any(r => r.TryGetProperty("Bearer", out _));
            if (needsPerson != secured || (needsPerson && !errors.Any(r => r.Name == "401")))
            {
                problems.Add($"{name}: needs a person: {needsPerson}; documented with the bearer scheme and a 401: {secured}");
            }
            if (endpoint.RoutePattern.Parameters.Count > 0 && !errors.Any(r => r.Name == "404"))
            {
                problems.Add($"{name}: names something in its path but documents no 404");
            }
        }
        Assert.Empty(problems);

        var components = document.RootElement.GetProperty("components");
        Assert.Equal(("http", "bearer"), (components.GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("type").GetString(),
            components.GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString()));
        var codes = components.GetProperty("schemas").GetProperty("Problem").GetProperty("properties").GetProperty("code").GetProperty("enum")
            .EnumerateArray().Select(c => c.GetString()!).Order(StringComparer.Ordinal);
        Assert.Equal(Core.Codes.All.Where(c => !Core.Codes.Internal.Contains(c)).Order(StringComparer.Ordinal), codes);
        Assert.False(paths.TryGetProperty("/language", out _), "the pages' language form is not part of the API");
    }

    /// <summary>Runs @seriousme/openapi-schema-validator (from npm, pinned in package-lock.json) on a document.</summary>
    private static async Task<(bool Valid, string Output)> ValidateAsync(string document)
    {
        string validator = Path.Combine(Repository.Root, "tests", "Shura.Web.Tests", "node_modules", "@seriousme", "openapi-schema-validator", "bin", "validate-api-cli.js");
        Assert.True(File.Exists(validator), $"the OpenAPI validator is missing at {validator}: building the tests installs it (npm ci)");
        string file = Path.Combine(Path.GetTempPath(), $"shura-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, document);
        try
        {
            var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(validator);
            start.ArgumentList.Add(file);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            string said = await output + await error;
            return (process.ExitCode == 0 && said.Contains("\"valid\": true", StringComparison.Ordinal), said);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
