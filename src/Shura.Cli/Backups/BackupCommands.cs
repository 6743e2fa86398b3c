using System.CommandLine;
using Shura.Storage;
using Shura.Storage.Log;

namespace Shura.Cli.Backups;

/// <summary>
/// <c>shura backup [--db …] FILE</c>: a consistent copy of a SQLite store, taken while the server
/// runs. <c>shura restore FILE [--db …]</c>: the copy put back where no store is, then verified.
/// Neither ever overwrites a file. For PostgreSQL both say the pg_dump and pg_restore commands.
/// </summary>
internal static class BackupCommands
{
    public static Command Backup(TextWriter stdout, TextWriter stderr)
    {
        var db = Shell.DbOption();
        var file = new Argument<string>("FILE") { Description = "The backup file to write (it must not exist)" };
        var command = new Command("backup", "Copy the store to FILE while the server runs (SQLite; for PostgreSQL it says the pg_dump command)") { db, file };
        command.SetAction(parsed =>
        {
            string target = parsed.GetValue(file)!;
            if (Shell.OpenExisting(parsed.GetValue(db), "backup", stderr) is not { } source)
            {
                return Shell.BadInput;
            }
            using (source)
            {
                if (source.Engine == Engine.Postgres)
                {
                    stderr.WriteLine($"shura backup: {source.Description} is backed up with PostgreSQL's own tool, while it runs: pg_dump --format=custom --file {target} DATABASE (docs/deploy.md)");
                    return Shell.BadInput;
                }
                if (File.Exists(target))
                {
                    stderr.WriteLine($"shura backup: {target} exists; a backup never overwrites a file: give a new name");
                    return Shell.BadInput;
                }
                var report = Storage.Backups.Take(source, target);
                stdout.WriteLine($"Backed up {source.Description} to {Path.GetFullPath(target)}: schema version {report.SchemaVersion}, {report.Entries} log entries in {report.Chains} chains. It holds every secret of the server: keep it as safe as the server's disk.");
                return Shell.Success;
            }
        });
        return command;
    }

    public static Command Restore(TextWriter stdout, TextWriter stderr)
    {
        var db = Shell.DbOption();
        var file = new Argument<string>("FILE") { Description = "A backup written by shura backup" };
        var command = new Command("restore", "Put a backup back where no store is, and verify it (SQLite; for PostgreSQL it says the pg_restore command)") { file, db };
        command.SetAction(parsed =>
        {
            string backup = parsed.GetValue(file)!;
            string? where = parsed.GetValue(db);
            if (where is not null && where.Contains("Host=", StringComparison.OrdinalIgnoreCase))
            {
                stderr.WriteLine($"shura restore: a PostgreSQL store is restored with PostgreSQL's own tool, into an empty database: pg_restore --dbname DATABASE {backup} (docs/deploy.md)");
                return Shell.BadInput;
            }
            string target = Path.GetFullPath(where ?? Database.DefaultSqlitePath);
            if (!File.Exists(backup))
            {
                stderr.WriteLine($"shura restore: there is no file {backup}");
                return Shell.BadInput;
            }
            if (File.Exists(target))
            {
                stderr.WriteLine($"shura restore: {target} exists; restore never overwrites a store: stop the server, move that file aside, and restore again");
                return Shell.BadInput;
            }
            try
            {
                Storage.Backups.Report(backup);
            }
            catch (Exception e) when (e is InvalidDataException or Microsoft.Data.Sqlite.SqliteException)
            {
                stderr.WriteLine($"shura restore: {backup}: {e.Message}");
                return Shell.BadInput;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var report = Storage.Backups.Restore(backup, target);
            using var restored = Database.OpenExisting(target);
            // Judged as of its last entry: a deadline that passed since the backup is the server's to run when it starts, not a fault of the copy.
            var verification = Verifier.Run(restored, report.LastEntry ?? TimeProvider.System.GetUtcNow());
            foreach (string problem in verification.Problems)
            {
                stderr.WriteLine($"shura restore: {problem}");
            }
            stdout.WriteLine($"Restored {backup} to {target}: schema version {report.SchemaVersion}, {report.Entries} log entries; " +
                (verification.IsIntact ? $"verified: all intact ({verification.Results} results recounted)." : $"{verification.Problems.Count} problems (listed above)."));
            return verification.IsIntact ? Shell.Success : Shell.Mismatch;
        });
        return command;
    }
}
