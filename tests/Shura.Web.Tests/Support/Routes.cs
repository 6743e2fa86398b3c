using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Shura.Web.Tests.Support;

/// <summary>Every route a client can call: the API's operations from its OpenAPI document, and every page with its handlers.</summary>
public static partial class Routes
{
    /// <summary>What the id of a route names: "councils", "motions", "mandates" or "actions" (null for any other route).</summary>
    public static string? Subject(string template) => SubjectOf().Match(template) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>The template with its parameters filled in: {id}, {person} and {number}.</summary>
    public static string Fill(string template, string id, Func<string> person, Func<string>? number = null)
    {
        string path = IdParameter().Replace(template, id, 1);
        path = PersonParameter().Replace(path, _ => person());
        return NumberParameter().Replace(path, _ => number?.Invoke() ?? "1");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"/(councils|motions|mandates|actions|comments|posts|calls|images)/\{id")]
    private static partial System.Text.RegularExpressions.Regex SubjectOf();

    [System.Text.RegularExpressions.GeneratedRegex(@"\{id(:[a-z]+)?\}")]
    private static partial System.Text.RegularExpressions.Regex IdParameter();

    [System.Text.RegularExpressions.GeneratedRegex(@"\{person(:[a-z]+)?\}")]
    private static partial System.Text.RegularExpressions.Regex PersonParameter();

    [System.Text.RegularExpressions.GeneratedRegex(@"\{number(:[a-z]+)?\}")]
    private static partial System.Text.RegularExpressions.Regex NumberParameter();

    /// <summary>Each API operation: its method and path template ("/api/v1/motions/{id}/ballot").</summary>
    public static async Task<List<(HttpMethod Method, string Template)>> ApiAsync(TestServer server)
    {
        using var document = JsonDocument.Parse(await server.Client.GetStringAsync("/openapi/v1.json"));
        return [.. document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (new HttpMethod(op.Name.ToUpperInvariant()), path.Name)))];
    }

    /// <summary>Each page: its route template ("/motions/{id:guid}") and the names of its POST handlers ("" for the default one).</summary>
    public static List<(string Template, IReadOnlyList<string> PostHandlers)> Pages(TestServer server)
    {
        var models = typeof(ShuraServer).Assembly.GetTypes().Where(t => typeof(PageModel).IsAssignableFrom(t) && !t.IsAbstract)
            .ToDictionary(t => t.FullName!, StringComparer.Ordinal);
        var pages = new List<(string, IReadOnlyList<string>)>();
        foreach (var endpoint in server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>() is not { } page)
            {
                continue;
            }
            // "/Motions/Motion" is Shura.Web.Pages.Motions.MotionModel.
            string model = "Shura.Web.Pages" + page.ViewEnginePath.Replace('/', '.') + "Model";
            var handlers = models.TryGetValue(model, out var type)
                ? type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                    .Where(m => m.Name.StartsWith("OnPost", StringComparison.Ordinal))
                    .Select(m => m.Name["OnPost".Length..].Replace("Async", "", StringComparison.Ordinal)).Distinct().ToList()
                : [];
            pages.Add(("/" + endpoint.RoutePattern.RawText!.TrimStart('/'), handlers));
        }
        return pages;
    }
}
