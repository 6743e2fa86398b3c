using System.Text.Json;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests;

/// <summary>The routes early users script against are in the OpenAPI document, under the paths and methods they were promised.</summary>
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
}
