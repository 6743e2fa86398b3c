using System.CommandLine;
using Shura.Storage;
using Shura.Storage.Log;
using Shura.Storage.Schema;

namespace Shura.Cli.Log;

/// <summary>
/// <c>shura verify [--db …]</c>: recomputes every chain of the log and every result from it, and
/// compares them with the store. Exit code 0 when all agree, 1 on any mismatch (each listed).
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var db = Shell.DbOption();
        var command = new Command("verify", "Recompute the log's hash chains and every result, and compare them with the store") { db };
        command.SetAction(parsed =>
        {
            using var database = Database.Open(parsed.GetValue(db));
            Migrations.Apply(database, TimeProvider.System.GetUtcNow());
            var verification = Verifier.Run(database);
            foreach (string problem in verification.Problems)
            {
                stderr.WriteLine($"shura verify: {problem}");
            }
            stdout.WriteLine(verification.IsIntact
                ? $"Verified {verification.Entries} log entries in {verification.Chains} chains and recounted {verification.Results} results: all intact."
                : $"{verification.Problems.Count} problems in {verification.Entries} log entries ({verification.Chains} chains, {verification.Results} results recounted).");
            return verification.IsIntact ? Shell.Success : Shell.Mismatch;
        });
        return command;
    }
}
