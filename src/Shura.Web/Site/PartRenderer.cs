using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Shura.Web.Site;

/// <summary>
/// Renders a partial of the pages outside any request, in a given language: the live parts that
/// are the same for every reader are rendered once here and pushed to all who watch, with exactly
/// the markup the page itself would have.
/// </summary>
public sealed class PartRenderer(IRazorViewEngine views, ITempDataProvider tempData, IServiceScopeFactory scopes)
{
    private long _renders;

    /// <summary>How many partials have been rendered, for tests and measurements.</summary>
    public long Renders => Interlocked.Read(ref _renders);

    public async Task<string> RenderAsync<TModel>(string path, TModel model, CultureInfo language)
    {
        Interlocked.Increment(ref _renders);
        // The words and numbers (IStringLocalizer, Formats) follow the current culture, which an async
        // method sets for itself and what it awaits, never for its caller.
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = language;
        await using var scope = scopes.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var action = new ActionContext(http, new Microsoft.AspNetCore.Routing.RouteData(), new ActionDescriptor());
        var found = views.GetView(executingFilePath: null, viewPath: path, isMainPage: false);
        var view = found.View ?? throw new InvalidOperationException($"No partial at {path}.");
        await using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var data = new ViewDataDictionary<TModel>(new EmptyModelMetadataProvider(), new ModelStateDictionary()) { Model = model };
        var context = new ViewContext(action, view, data, new TempDataDictionary(http, tempData), writer, new HtmlHelperOptions());
        await view.RenderAsync(context);
        return writer.ToString();
    }
}
