using Shura.Web.Feed;
using Shura.Web.Discussion;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Shura.Storage.Log;
using Shura.Storage.Motions;
using Shura.Storage.Schema;
using Shura.Web.Councils;
using Shura.Web.Motions;
using Shura.Web.Mandates;
using Shura.Web.Delegation;
using Shura.Web.Actions;

namespace Shura.Web;

/// <summary>How to start a server: where to listen, where the data is, which clock to use.</summary>
/// <param name="Limits">The rate limits; <see cref="Site.Limits.Default"/> when not given.</param>
/// <param name="Deadlines">Run the deadline service (off for tests with a fake clock, which pass deadlines themselves).</param>
/// <param name="Redis">Redis joining several nodes on one database (<see cref="Site.Nodes"/>); none for a node alone.</param>
/// <param name="PublicUrl">The address people reach this server at (<c>https://council.example</c>), for the links of its e-mails; by default the first address it listens on, which behind a reverse proxy is not the public one.</param>
/// <param name="Smtp">The mail server notices are sent by (<c>smtp://[user:password@]host:port</c>); without one, e-mail is off and notices stay on the site.</param>
/// <param name="Proxies">The reverse proxies in front of the server (addresses, or networks as <c>10.0.0.0/8</c>): only their
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed (<see cref="ReverseProxies"/>).</param>
public sealed record ServerOptions(
    string Urls = "http://127.0.0.1:5000", string? Db = null, TimeProvider? Clock = null, Site.Limits? Limits = null, bool Deadlines = true, string? Redis = null,
    string? Smtp = null, string? PublicUrl = null, bool FediverseAllowPrivate = false, IReadOnlyList<string>? Proxies = null);

/// <summary>The Shura server: the web pages, the JSON API under /api/v1, its OpenAPI document, the deadline service.</summary>
public static class ShuraServer
{
    /// <summary>
    /// Strings without the NUL character and without lone surrogates: PostgreSQL cannot store
    /// either and SQLite would, so both refuse them here, before anything reads them, and answer alike.
    /// </summary>
    private sealed class NoNulStrings : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            string? value = reader.GetString();
            if (value is not null && value.Contains('\0', StringComparison.Ordinal))
            {
                throw new JsonException("A string contains the character U+0000 (NUL), which is not allowed.");
            }
            return value is not null && !Core.Text.IsWellFormed(value)
                ? throw new JsonException("A string contains half of a surrogate pair: it is not well-formed text.")
                : value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    public const long MaxRequestBody = 256 * 1024;

    public static WebApplication Build(ServerOptions options, string[]? args = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args ?? [] });
        builder.WebHost.UseUrls(options.Urls);
        if (options.Urls.Contains("https://", StringComparison.OrdinalIgnoreCase))
        {
            // Served over HTTPS itself (usually a reverse proxy does that): Kestrel's certificate settings apply.
            builder.WebHost.UseKestrelHttpsConfiguration();
        }
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBody);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        // ASP.NET Core's six lines per request cost a tenth of a core under a ballot load, and tell
        // whoever reads the server's output which motion received a ballot when. Its warnings and
        // errors stay, as do the server's own lines. A default below every other source, so that
        // Logging__LogLevel__Microsoft.AspNetCore=Information can bring them back for debugging.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData =
            [
                new("Logging:LogLevel:Microsoft.AspNetCore", "Warning"),
                new("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning"),
                // The data-protection keys (sign-in cookies) are kept in the store, protected as the store is
                // (docs/deploy.md): its warning that they are not encrypted by another key greets every start.
                new("Logging:LogLevel:Microsoft.AspNetCore.DataProtection", "Error"),
            ],
        });

        var clock = options.Clock ?? TimeProvider.System;
        var database = Database.Open(options.Db);
        Migrations.Apply(database, clock.GetUtcNow());

        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton(options.Limits ?? Site.Limits.Default);
        builder.Services.AddSingleton(database);
        if (Site.Nodes.Connect(options.Redis, Keys.Pseudonyms(database)) is { } nodes)
        {
            builder.Services.AddSingleton(nodes);
        }
        builder.Services.AddSingleton(_ => new Writer(database, clock, Keys.Pseudonyms(database)));
        builder.Services.AddSingleton<AccountQueries>();
        builder.Services.AddSingleton<CouncilQueries>();
        builder.Services.AddSingleton<MotionQueries>();
        builder.Services.AddSingleton<Shura.Storage.Discussion.DiscussionQueries>();
        builder.Services.AddSingleton<Shura.Storage.Feed.FeedQueries>();
        builder.Services.AddSingleton<Shura.Storage.Moderation.ModerationQueries>();
        builder.Services.AddSingleton<Shura.Storage.Notifications.NoticeQueries>();
        builder.Services.AddSingleton<LogQueries>();
        builder.Services.AddSingleton<Storage.Mandates.MandateQueries>();
        builder.Services.AddSingleton<Storage.Actions.ActionQueries>();
        builder.Services.AddSingleton<Deadlines>();
        if (options.Deadlines)
        {
            builder.Services.AddHostedService<DeadlineService>();
        }
        builder.Services.AddSingleton<Notifications.Unsubscribing>();
        string? publicUrl = options.PublicUrl ?? builder.Configuration["PublicUrl"];
        if (publicUrl is not null && (!Uri.TryCreate(publicUrl, UriKind.Absolute, out var site) || site.Scheme is not ("http" or "https")))
        {
            throw new ArgumentException($"--public-url \"{publicUrl}\" is not an http:// or https:// address");
        }
        builder.Services.AddSingleton(services => new Notifications.SiteAddress(
            services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>(), publicUrl));
        builder.Services.AddSingleton<Accounts.AccountMails>();
        builder.Services.AddSingleton<Councils.MemberInvitations>();
        builder.Services.AddSingleton<Storage.Fediverse.Actors>();
        // Reaching loopback and private addresses is for tests on one machine only: production never does.
        builder.Services.AddSingleton(new Fediverse.FediverseOptions(options.FediverseAllowPrivate));
        builder.Services.AddSingleton<Fediverse.FediverseClient>();
        builder.Services.AddSingleton<Fediverse.Inbox>();
        builder.Services.AddSingleton<Fediverse.Activities>();
        builder.Services.AddHostedService<Fediverse.Deliverer>();
        builder.Services.AddSingleton<Storage.Accounts.PersonalData>();
        var smtp = options.Smtp ?? builder.Configuration["Smtp"];
        if (Notifications.MailSettings.Parse(smtp, out string? smtpProblem) is { } mail)
        {
            builder.Services.AddSingleton(mail);
            builder.Services.AddHostedService<Notifications.Mailer>();
        }
        else if (smtpProblem is not null)
        {
            throw new ArgumentException(smtpProblem);
        }
        var proxies = ReverseProxies.Parse(options.Proxies ?? builder.Configuration["Proxies"]?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? []);
        ReverseProxies.AddServices(builder.Services, proxies);
        builder.Services.AddShuraHealth();
        ServerMetrics.AddServices(builder.Services);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(ApiDocument.Configure);
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o => Configure(o.SerializerOptions));
        Site.Pages.AddServices(builder.Services);

        var app = builder.Build();
        ReverseProxies.Use(app, proxies, publicUrl);
        ServerMetrics.Use(app);
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = Problems.HandleExceptionAsync });
        app.UseStatusCodePages(Problems.StatusCodePageAsync);
        app.UseClientMistakes();
        RequestLog.Use(app);
        Site.Pages.UseBeforeEndpoints(app);
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapShuraHealth();
        app.MapAtomFeed();
        app.MapCallCalendar();
        app.MapImages();
        Notifications.Unsubscribing.Map(app);
        Fediverse.ActorDocuments.Map(app);
        Fediverse.Inbox.Map(app);

        var api = app.MapGroup("/api/v1");
        api.MapAccountsApi();
        api.MapOwnAccountApi();
        api.MapCouncilsApi();
        api.MapMotionsApi();
        api.MapMandatesApi();
        api.MapDelegationApi();
        api.MapActionsApi();
        api.MapDiscussionApi();
        Moderation.ModerationApi.MapModerationApi(api);
        api.MapFeedApi();
        Site.Pages.Map(app);
        return app;
    }

    /// <summary>
    /// The API's JSON: camelCase, and strict — an unknown field, a field given twice, a number where
    /// a string belongs, a NUL character in a string or a trailing comma is refused with a problem
    /// naming where, rather than guessed at.
    /// </summary>
    public static void Configure(JsonSerializerOptions o)
    {
        o.AllowDuplicateProperties = false;
        o.Converters.Add(new NoNulStrings());
        o.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        o.NumberHandling = JsonNumberHandling.Strict;
        o.AllowTrailingCommas = false;
        o.ReadCommentHandling = JsonCommentHandling.Disallow;
        o.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
    }
}
