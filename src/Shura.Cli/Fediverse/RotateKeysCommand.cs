using System.CommandLine;
using Shura.Storage;
using Shura.Storage.Fediverse;

namespace Shura.Cli.Fediverse;

/// <summary>
/// <c>shura rotate-keys [--council ID] [--db …]</c>: retires the signing keys of the councils on the
/// federated social web (one, or all), after the server or a copy of its store was exposed. The
/// running server makes each council a new key when it next needs one and tells the council's
/// followers by an <c>Update</c> of its actor, so their servers stop trusting the old key.
/// It is the operator's care for the server, like renewing its certificate: the keys are the
/// server's, kept in its store; no council's log, setting or decision changes.
/// </summary>
internal static class RotateKeysCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var council = new Option<string?>("--council") { Description = "Only this council's key (default: every council's)" };
        var db = Shell.DbOption();
        var command = new Command("rotate-keys", "Retire the councils' fediverse signing keys; new ones are made and announced to their followers") { council, db };
        command.SetAction(async (parsed, ct) =>
        {
            CouncilId? only = null;
            if (parsed.GetValue(council) is { } given)
            {
                if (!Guid.TryParse(given, out var id))
                {
                    await stderr.WriteLineAsync($"shura rotate-keys: --council \"{given}\" is not a council id");
                    return Shell.BadInput;
                }
                only = new CouncilId(id);
            }
            using var database = Database.Open(parsed.GetValue(db));
            Storage.Schema.Migrations.Apply(database, TimeProvider.System.GetUtcNow());
            var keyed = await ActorKeys.KeyedAsync(database, ct);
            if (only is { } one && !keyed.Contains(one))
            {
                await stderr.WriteLineAsync($"shura rotate-keys: council {one} has no key (it is not public, or no server has asked for its actor yet)");
                return Shell.BadInput;
            }
            await using var writer = new Writer(database, TimeProvider.System, Keys.Pseudonyms(database));
            int rotated = 0;
            foreach (var id in only is { } o ? [o] : keyed)
            {
                if ((await writer.RunAsync(s => ActorKeys.Rotate(s, id), ct)).Value)
                {
                    rotated++;
                }
            }
            await stdout.WriteLineAsync($"Retired the key of {rotated} council{(rotated == 1 ? "" : "s")}; the server makes new ones and tells their followers.");
            return Shell.Success;
        });
        return command;
    }
}
