using System.CommandLine;
using System.Text.Json;
using Shura.Storage;
using Shura.Storage.Log;
using Shura.Web;
using Shura.Web.Councils;

namespace Shura.Cli.Log;

/// <summary>
/// <c>shura export --council ID [--db …]</c>: writes a council's log as JSON Lines, one entry per
/// line, with the payload as the exact text that was hashed, so anyone can re-check the chain.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var council = new Option<string>("--council") { Description = "The council's id", Required = true };
        var db = Shell.DbOption();
        var command = new Command("export", "Write a council's public log as JSON Lines") { council, db };
        command.SetAction(async (parsed, ct) =>
        {
            if (!Guid.TryParse(parsed.GetValue(council), out var id))
            {
                await stderr.WriteLineAsync($"shura export: --council \"{parsed.GetValue(council)}\" is not a council id");
                return Shell.BadInput;
            }
            using var database = Database.Open(parsed.GetValue(db));
            Storage.Schema.Migrations.Apply(database, TimeProvider.System.GetUtcNow());
            var log = new LogQueries(database);
            var options = new JsonSerializerOptions();
            ShuraServer.Configure(options);
            long after = 0;
            int written = 0;
            while (true)
            {
                var entries = await log.EntriesAsync(id.ToString(), after, 5000, ct);
                foreach (var entry in entries)
                {
                    await stdout.WriteLineAsync(JsonSerializer.Serialize(CouncilsApi.View(entry), options));
                    written++;
                }
                if (entries.Count < 5000)
                {
                    break;
                }
                after = entries[^1].Sequence;
            }
            if (written == 0)
            {
                await stderr.WriteLineAsync($"shura export: council {id} has no log entries");
                return Shell.BadInput;
            }
            return Shell.Success;
        });
        return command;
    }
}
