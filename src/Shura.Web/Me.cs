using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;

namespace Shura.Web;

/// <summary>
/// The signed-in person making the request, as a route's parameter. A route that takes one needs a
/// person: taking the parameter is what marks it (it adds the authorization requirement to the
/// route), so the login check lives here, in one place, and no handler can forget it. The person
/// comes from whichever scheme signed them in — a token on the API, the cookie on the pages.
/// </summary>
public sealed record Me(Core.AccountId Id, string Name) : IEndpointParameterMetadataProvider
{
    public static ValueTask<Me?> BindAsync(HttpContext context) =>
        ValueTask.FromResult(context.User.Person() is { } id ? new Me(id, context.User.Identity?.Name ?? "") : null);

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) => builder.Metadata.Add(new AuthorizeAttribute());
}
