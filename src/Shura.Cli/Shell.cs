using System.CommandLine;
using Shura.Cli.Tally;

namespace Shura.Cli;

/// <summary>The <c>shura</c> command: parses arguments and runs one subcommand.</summary>
public static class Shell
{
    public const int Success = 0;

    /// <summary>Returned for bad input or bad usage, with a one-line reason on standard error.</summary>
    public const int BadInput = 2;

    /// <summary>Returned by verify when the store does not match its log.</summary>
    public const int Mismatch = 1;

    /// <summary>The --db option every command that opens the store takes.</summary>
    public static Option<string?> DbOption() => new("--db")
    {
        Description = "A SQLite file path (default data/shura.db) or a PostgreSQL connection string (Host=...;Database=...)",
    };

    /// <summary>
    /// The store a command works on, which must exist already; null when it does not, once the
    /// reason is said on standard error as "shura COMMAND: …" (the command then returns <see cref="BadInput"/>).
    /// </summary>
    public static Storage.Database? OpenExisting(string? db, string command, TextWriter stderr)
    {
        try
        {
            return Storage.Database.OpenExisting(db);
        }
        catch (Storage.StoreNotFoundException e)
        {
            stderr.WriteLine($"shura {command}: {e.Message}");
            return null;
        }
    }

    /// <param name="quietErrors">True when standard error is not a terminal: no progress display.</param>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool quietErrors)
    {
        var root = new RootCommand("Shura — council democracy: count, decide, recall.");
        root.Subcommands.Add(TallyCommand.Create(stdout, stderr, quietErrors));
        root.Subcommands.Add(Server.ServeCommand.Create(stdout, stderr));
        root.Subcommands.Add(Server.DemoCommand.Create(stdout, stderr));
        root.Subcommands.Add(Log.VerifyCommand.Create(stdout, stderr));
        root.Subcommands.Add(Log.ExportCommand.Create(stdout, stderr));
        root.Subcommands.Add(Backups.BackupCommands.Backup(stdout, stderr));
        root.Subcommands.Add(Backups.BackupCommands.Restore(stdout, stderr));
        root.Subcommands.Add(Councils.ImportCommand.Create(stdout, stderr));
        root.Subcommands.Add(Fediverse.RotateKeysCommand.Create(stdout, stderr));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            stderr.WriteLine($"shura: {parsed.Errors[0].Message} (see shura --help)");
            return BadInput;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
