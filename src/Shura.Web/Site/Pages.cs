using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;

namespace Shura.Web.Site;

/// <summary>
/// The web pages people use (DESIGN §7): server-rendered Razor Pages that work without JavaScript,
/// signed in by a cookie, in English or Persian, with live updates over SignalR when scripts run.
/// </summary>
public static class Pages
{
    public const string CultureCookie = "shura-lang";

    /// <summary>The authentication scheme that picks the token or the cookie for each request.</summary>
    private const string Signed = "Signed";

    public static readonly CultureInfo[] Languages = [new("en"), new("fa")];

    /// <summary>
    /// Scripts, styles, images and connections only from this server; no inline script or style,
    /// no framing, forms post only here. The pages need nothing else.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    public static bool IsApi(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/openapi");

    public static void AddServices(IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("shura");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(s =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new KeysInTheStore(s.GetRequiredService<Storage.Database>())));
        services.AddLocalization();
        // Persian text goes into the pages as it is, not as one numeric entity per letter.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddRazorPages(o => o.RootDirectory = "/Pages")
            .AddMvcOptions(o => o.Filters.Add<ShuraPage.SignedInHandlers>())
            .ConfigureApplicationPartManager(m =>
            {
                var assembly = typeof(Pages).Assembly;
                // The server's entry assembly is the command line program, so the pages' assembly is
                // added by hand, through its factory: that adds the compiled pages as well as the types.
                if (!m.ApplicationParts.OfType<AssemblyPart>().Any(p => p.Assembly == assembly))
                {
                    foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                    {
                        m.ApplicationParts.Add(part);
                    }
                }
            })
            .AddViewLocalization();
        // One person, whichever way they came: a request with "Authorization: Bearer" is known by its
        // token (anywhere: the API, a page, the live hub); otherwise the API knows nobody, and the
        // pages and the hub know the person by the sign-in cookie. The API never reads the cookie,
        // so another site cannot make a signed-in browser act through it (the pages' forms carry
        // antiforgery tokens; the API has none to carry).
        services.AddAuthentication(Signed)
            .AddPolicyScheme(Signed, Signed, o => o.ForwardDefaultSelector = context =>
                BearerTokens.SecretOf(context.Request) is not null || IsApi(context.Request.Path)
                    ? BearerTokens.Scheme
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokens.Scheme, null)
            .AddCookie(o =>
        {
            o.Cookie.Name = "shura";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            // Secure whenever the page came over HTTPS; a server on plain HTTP (127.0.0.1, or behind
            // a proxy that terminates TLS) could not set a Secure cookie at all.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromDays(30);
            o.SlidingExpiration = true;
            o.LoginPath = "/signin";
            o.ReturnUrlParameter = "back";
            o.LogoutPath = "/signout";
            o.AccessDeniedPath = "/signin";
            // The redirect stays relative: behind a proxy the server does not know the address people use.
            o.Events.OnRedirectToLogin = context =>
            {
                context.Response.Redirect(Uri.TryCreate(context.RedirectUri, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : context.RedirectUri);
                return Task.CompletedTask;
            };
            o.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<Accounts.Sessions>().ValidateAsync(context);
        });
        services.AddSingleton<Accounts.Sessions>();
        services.AddSingleton<BearerTokens>();
        services.AddSingleton<Commands>();
        // Passkey ceremonies keep their state between the two requests in Identity's short-lived cookie.
        services.AddAuthentication().AddCookie(IdentityConstants.TwoFactorUserIdScheme, o =>
        {
            o.Cookie.Name = "shura-passkey";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromMinutes(5);
        });
        services.AddIdentityCore<Accounts.PasskeyUser>().AddSignInManager();
        services.AddScoped<Accounts.PasskeyStore>();
        services.AddScoped<IUserStore<Accounts.PasskeyUser>>(s => s.GetRequiredService<Accounts.PasskeyStore>());
        services.AddHttpContextAccessor();
        services.AddAuthorization();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "shura-af";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "__shura";
        });
        // The one-time "it worked" notice (ShuraPage.GoTo with Done): a protected cookie, Secure over HTTPS like the others.
        services.Configure<Microsoft.AspNetCore.Mvc.CookieTempDataProviderOptions>(o =>
        {
            o.Cookie.Name = "shura-done";
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.HttpOnly = true;
            o.Cookie.IsEssential = true;
        });
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture("en");
            o.SupportedCultures = Languages;
            o.SupportedUICultures = Languages;
            o.RequestCultureProviders =
            [
                new CookieRequestCultureProvider { CookieName = CultureCookie },
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        // Scripts and styles are compressed; pages are not, because they carry antiforgery tokens
        // and compressing secrets beside text an attacker can inject leaks them (BREACH).
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.MimeTypes = ["text/css", "text/javascript", "application/javascript"];
        });
        services.AddSignalR();
        services.AddSingleton<Live>();
        services.AddSingleton<PartRenderer>();
        services.AddSingleton<Councils.Visibilities>();
        services.AddSingleton<Throttle>();
        // Per request: the localization middleware has set the culture, and the reader's time zone
        // was looked up (UseReaderTimeZone), by the time a page asks.
        services.AddScoped(sp => new Formats(System.Globalization.CultureInfo.CurrentUICulture,
            sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.Items[typeof(TimeZoneInfo)] as TimeZoneInfo));
        services.AddHttpContextAccessor();
    }

    public static void UseBeforeEndpoints(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (!IsApi(context.Request.Path))
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                headers.XFrameOptions = "DENY";
            }
            await next(context);
        });
        app.UseRequestLocalization();
        app.UseResponseCompression();
        var files = new EmbeddedFileProvider(typeof(Pages).Assembly, "static");
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = "/static",
            OnPrepareResponse = f => f.Context.Response.Headers.CacheControl = "public, max-age=3600",
        });
        app.UseAuthentication();
        app.UseAuthorization();
        Councils.InvisibleCouncils.UseInvisibleCouncils(app);
        // The pages show times in the reader's zone: looked up once per page request (the API speaks UTC).
        app.Use(async (context, next) =>
        {
            if (!IsApi(context.Request.Path))
            {
                context.Items[typeof(TimeZoneInfo)] = await TimeZones.OfReaderAsync(context);
            }
            await next(context);
        });
        app.Services.GetRequiredService<Live>().Start();
    }

    public static void Map(WebApplication app)
    {
        app.MapRazorPages();
        app.MapHub<LiveHub>("/live");
        // Browsers ask for /favicon.ico whether or not a page names an icon: the same small picture the pages name.
        app.MapGet("/favicon.ico", () => Results.Redirect("/static/icon.svg", permanent: true)).ExcludeFromDescription();
        app.MapPasskeys();
        app.MapPost("/language", (HttpContext context, string? language, string? back) =>
        {
            string chosen = Languages.Any(l => l.Name == language) ? language! : "en";
            context.Response.Cookies.Append(CultureCookie, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Lax, HttpOnly = true, IsEssential = true, Secure = context.Request.IsHttps });
            return Results.LocalRedirect(Back(back));
        }).DisableAntiforgery().ExcludeFromDescription();
    }

    /// <summary>
    /// Where to go back to after a form: a path on this server, or the home page. Anything a browser
    /// could read as another site is refused — "//host", "/\host", and paths with tabs, line breaks
    /// or other control characters, which browsers drop (so "/\t/host" would become "//host").
    /// </summary>
    public static string Back(string? back) =>
        back is { Length: > 0 } && back[0] == '/' && (back.Length == 1 || back[1] is not ('/' or '\\'))
            && !back.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\')
            ? back
            : "/";

    /// <summary>The account signed in on this page, if any.</summary>
    public static AccountId? Person(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id && Guid.TryParse(id, out var guid) ? new AccountId(guid) : null;

    public static Task SignInAsync(HttpContext context, AccountId id, string name) =>
        context.RequestServices.GetRequiredService<Accounts.Sessions>().SignInAsync(context, id, name);

    /// <summary>An error page for a path outside the API (the API answers with problem+json).</summary>
    public static async Task StatusPageAsync(HttpContext context)
    {
        // Written on the way out, past the middleware that set the reader's language for the request:
        // set again from what it chose, or a Persian reader would get the English page.
        if (context.Features.Get<Microsoft.AspNetCore.Localization.IRequestCultureFeature>() is { } chosen)
        {
            System.Globalization.CultureInfo.CurrentCulture = chosen.RequestCulture.Culture;
            System.Globalization.CultureInfo.CurrentUICulture = chosen.RequestCulture.UICulture;
        }
        var words = context.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<Words>>();
        var formats = Formats.Current;
        int status = context.Response.StatusCode;
        string message = status == 404 ? words["This page does not exist."] : words["The request failed."];
        context.Response.ContentType = "text/html; charset=utf-8";
        string html = $"""
            <!doctype html><html lang="{formats.Language}" dir="{formats.Direction}"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1"><title>{formats.Number(status)} {words.Separator()} {System.Net.WebUtility.HtmlEncode(words["Shura"])}</title>
            <link rel="stylesheet" href="/static/site.css"></head><body><main class="page"><h1>{formats.Number(status)}</h1>
            <p>{System.Net.WebUtility.HtmlEncode(message)}</p><p><a href="/">{System.Net.WebUtility.HtmlEncode(words["Home"])}</a></p></main></body></html>
            """;
        await context.Response.WriteAsync(html);
    }
}

/// <summary>The marker type of the page texts: Words.resx (English) and Words.fa.resx (Persian).</summary>
public sealed class Words;
