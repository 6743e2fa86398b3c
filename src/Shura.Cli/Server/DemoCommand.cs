using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Shura.Storage;
using Shura.Storage.Schema;
using Shura.Web;
using Shura.Web.Demo;

namespace Shura.Cli.Server;

/// <summary>
/// <c>shura demo [--urls URL] [--db PATH] [--smtp URL]</c>: fills an empty store with a demo city (see
/// <see cref="DemoData"/>) and serves it, printing the address to open and how to sign in.
/// </summary>
internal static class DemoCommand
{
    public const string DefaultDb = "data/demo.db";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen (default http://127.0.0.1:5000)",
            DefaultValueFactory = _ => "http://127.0.0.1:5000",
        };
        var db = Shell.DbOption();
        db.Description = $"Where the demo lives (default {DefaultDb}); it is filled only when empty";
        var seedOnly = new Option<bool>("--seed-only") { Description = "Fill the store and stop, without serving" };
        var smtp = ServeCommand.SmtpOption();
        var publicUrl = ServeCommand.PublicUrlOption();
        var command = new Command("demo", "Serve a demo city federation with twelve days of history, to explore Shura") { urls, db, seedOnly, smtp, publicUrl };
        command.SetAction(async (parsed, ct) =>
        {
            string where = parsed.GetValue(db) ?? DefaultDb;
            var database = Database.Open(where);
            try
            {
                Migrations.Apply(database, TimeProvider.System.GetUtcNow());
            }
            catch (StoreTooNewException e)
            {
                await stderr.WriteLineAsync($"shura demo: {e.Message}");
                return Shell.BadInput;
            }
            if (DemoData.IsEmpty(database))
            {
                await stdout.WriteLineAsync($"Filling {database.Description} with the demo city…");
                await DemoData.SeedAsync(database, TimeProvider.System.GetUtcNow());
            }
            if (parsed.GetValue(seedOnly))
            {
                return Shell.Success;
            }
            var app = ShuraServer.Build(new ServerOptions(parsed.GetValue(urls)!, where, Smtp: parsed.GetValue(smtp), PublicUrl: parsed.GetValue(publicUrl)));
            await app.StartAsync(ct);
            foreach (string address in app.Urls)
            {
                await stdout.WriteLineAsync($"Shura demo is running: open {address}/");
            }
            await stdout.WriteLineAsync($"Sign in as anyone in the demo, e.g. {DemoData.EmailOf("leyla")} (in Persian) or {DemoData.EmailOf("sam")} (in English), password \"{DemoData.Password}\".");
            await stdout.WriteLineAsync("Both live in Narmak (شورای محله نارمک): a ranked vote is open there, and one more withdrawal of confidence recalls its delegate.");
            await stdout.WriteLineAsync(database.Engine == Engine.Sqlite
                ? $"To start the demo afresh, stop it and delete {where}: the next start fills it again."
                : $"To start the demo afresh, stop it and give it an empty database instead of {database.Description}.");
            await app.WaitForShutdownAsync(ct);
            return Shell.Success;
        });
        return command;
    }
}
