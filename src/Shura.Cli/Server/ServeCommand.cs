using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Shura.Web;

namespace Shura.Cli.Server;

/// <summary><c>shura serve [--urls URL] [--db PATH-OR-CONNECTION-STRING] [--redis HOST:PORT]</c>: runs the server, alone or as one of several nodes.</summary>
internal static class ServeCommand
{
    /// <summary>The mail server option of <c>serve</c> and <c>demo</c>.</summary>
    public static Option<string?> SmtpOption() => new("--smtp")
    {
        Description = "The mail server notices are sent by: smtp://[user:password@]host:port (or smtps://); without it e-mail is off and notices stay on the site",
    };

    /// <summary>The public address option of <c>serve</c> and <c>demo</c>.</summary>
    public static Option<string?> PublicUrlOption() => new("--public-url")
    {
        Description = "The address people reach this server at (e.g. https://council.example), for the links in its e-mails; by default the first --urls address",
    };

    /// <summary>The reverse proxy option of <c>serve</c> and <c>demo</c>.</summary>
    public static Option<string[]> ProxyOption() => new("--proxy")
    {
        Description = "A reverse proxy in front of this server (an address, or a network like 10.0.0.0/8; give it once for each): only its X-Forwarded-For and X-Forwarded-Proto are believed",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen (default http://127.0.0.1:5000)",
            DefaultValueFactory = _ => "http://127.0.0.1:5000",
        };
        var db = Shell.DbOption();
        var ballots = new Option<int>("--ballots-per-minute")
        {
            Description = "How many ballots one person may cast, change or withdraw a minute, and at once (default 30)",
            DefaultValueFactory = _ => Web.Site.Limits.Default.Ballots.PerMinute,
        };
        ballots.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--ballots-per-minute must be 1 or more.");
            }
        });
        var redis = new Option<string?>("--redis")
        {
            Description = "Redis that joins several servers on one PostgreSQL (e.g. 127.0.0.1:6379): live pages hear every server's changes, rate limits count for all",
        };
        var smtp = SmtpOption();
        var publicUrl = PublicUrlOption();
        var allowPrivate = new Option<bool>("--fediverse-allow-private")
        {
            Description = "For tests and load tests on one machine only: let deliveries to the fediverse reach loopback and private addresses (never in production)",
        };
        var proxy = ProxyOption();
        var command = new Command("serve", "Run the Shura server (SQLite in ./data unless --db says otherwise)") { urls, db, ballots, redis, smtp, publicUrl, allowPrivate, proxy };
        command.SetAction(async (parsed, ct) =>
        {
            int perMinute = parsed.GetValue(ballots);
            var limits = Web.Site.Limits.Default with { Ballots = (perMinute, perMinute) };
            WebApplication app;
            try
            {
                app = ShuraServer.Build(new ServerOptions(parsed.GetValue(urls)!, parsed.GetValue(db), Limits: limits, Redis: parsed.GetValue(redis), Smtp: parsed.GetValue(smtp), PublicUrl: parsed.GetValue(publicUrl),
                    FediverseAllowPrivate: parsed.GetValue(allowPrivate), Proxies: parsed.GetValue(proxy) is { Length: > 0 } proxies ? proxies : null));
            }
            catch (Exception e) when (e is ArgumentException or Storage.StoreTooNewException)
            {
                await stderr.WriteLineAsync($"shura serve: {e.Message}");
                return Shell.BadInput;
            }
            var database = app.Services.GetRequiredService<Storage.Database>();
            await app.StartAsync(ct);
            foreach (string address in app.Urls)
            {
                await stdout.WriteLineAsync($"Shura is running: open {address}/ (data: {database.Description}; API at {address}/api/v1, described at {address}/openapi/v1.json)");
            }
            await app.WaitForShutdownAsync(ct);
            return Shell.Success;
        });
        return command;
    }
}
