using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shura.Web;

namespace Shura.Cli.Server;

/// <summary><c>shura serve [--urls URL] [--db PATH-OR-CONNECTION-STRING]</c>: runs the server.</summary>
internal static class ServeCommand
{
    public static Command Create(TextWriter stdout)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen (default http://127.0.0.1:5000)",
            DefaultValueFactory = _ => "http://127.0.0.1:5000",
        };
        var db = Shell.DbOption();
        var command = new Command("serve", "Run the Shura server (SQLite in ./data unless --db says otherwise)") { urls, db };
        command.SetAction(async (parsed, ct) =>
        {
            var app = ShuraServer.Build(new ServerOptions(parsed.GetValue(urls)!, parsed.GetValue(db)));
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
