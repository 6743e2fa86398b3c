using System.CommandLine;
using Dapper;
using Shura.Storage;
using Shura.Storage.Log;
using Shura.Storage.Schema;

namespace Shura.Cli.Log;

/// <summary>
/// <c>shura verify [--db …]</c>: recomputes every chain of the log and every result from it, and
/// compares them with the store. It only reads: the store is opened read-only, a path where no
/// store is is refused (never created), and a read-only copy can be checked. Exit code 0 when all
/// agree, 1 on any mismatch (each listed), 2 when there is nothing to verify.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var db = Shell.DbOption();
        var command = new Command("verify", "Recompute the log's hash chains and every result, and compare them with the store (read-only)") { db };
        command.SetAction(parsed =>
        {
            Database database;
            try
            {
                database = Database.OpenExisting(parsed.GetValue(db));
            }
            catch (StoreNotFoundException e)
            {
                stderr.WriteLine($"shura verify: {e.Message}");
                return Shell.BadInput;
            }
            using (database)
            {
                using (var c = database.OpenConnection())
                {
                    long schema = c.ExecuteScalar<long?>("SELECT MAX(version) FROM schema_migrations") ?? 0;
                    if (schema != Migrations.Latest)
                    {
                        stderr.WriteLine($"shura verify: {database.Description} has schema version {schema}, this shura reads version {Migrations.Latest}" +
                            (schema < Migrations.Latest ? " (start shura serve on it once to bring it up to date)" : " (use the shura that wrote it)"));
                        return Shell.BadInput;
                    }
                }
                var verification = Verifier.Run(database, TimeProvider.System.GetUtcNow());
                foreach (string problem in verification.Problems)
                {
                    stderr.WriteLine($"shura verify: {problem}");
                }
                stdout.WriteLine(verification.IsIntact
                    ? $"Verified {verification.Entries} log entries in {verification.Chains} chains and recounted {verification.Results} results: all intact."
                    : $"{verification.Problems.Count} problems in {verification.Entries} log entries ({verification.Chains} chains, {verification.Results} results recounted).");
                return verification.IsIntact ? Shell.Success : Shell.Mismatch;
            }
        });
        return command;
    }
}
