using System.CommandLine;
using System.Text.Json;
using Shura.Core.Log;
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
/// <c>shura verify --log FILE</c> checks a council's log as downloaded from its log page (or written
/// by <c>shura export</c>) without any store: its chain, and every result recounted from it.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var db = Shell.DbOption();
        var file = new Option<string?>("--log") { Description = "A council's log as JSON Lines (downloaded from its log page, or from shura export): check it and recount every result, without a store" };
        var command = new Command("verify", "Recompute the log's hash chains and every result, and compare them with the store (read-only)") { db, file };
        command.SetAction(parsed =>
        {
            if (parsed.GetValue(file) is { } path)
            {
                if (parsed.GetValue(db) is not null)
                {
                    stderr.WriteLine("shura verify: give --log or --db, not both");
                    return Shell.BadInput;
                }
                return VerifyFile(path, stdout, stderr);
            }
            if (Shell.OpenExisting(parsed.GetValue(db), "verify", stderr) is not { } database)
            {
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

    /// <summary>One entry of a downloaded log, as the log page and <c>shura export</c> write it.</summary>
    private sealed record Line(string Chain, long Seq, string Time, string Actor, string Type, string Payload, string PreviousHash, string Hash);

    private static readonly JsonSerializerOptions Strict = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    private static int VerifyFile(string path, TextWriter stdout, TextWriter stderr)
    {
        if (!File.Exists(path))
        {
            stderr.WriteLine($"shura verify: --log {path}: no such file");
            return Shell.BadInput;
        }
        var entries = new List<LogEntry>();
        int number = 0;
        foreach (string text in File.ReadLines(path))
        {
            number++;
            if (text.Length == 0)
            {
                continue;
            }
            try
            {
                var line = JsonSerializer.Deserialize<Line>(text, Strict)!;
                entries.Add(new LogEntry(line.Chain, line.Seq, LogEntry.ParseTime(line.Time), line.Actor, line.Type, line.Payload, line.PreviousHash, line.Hash));
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                long column = e is JsonException { BytePositionInLine: { } at } ? at + 1 : 1;
                stderr.WriteLine($"shura verify: {path}, line {number}, column {column}: not a log entry ({e.Message})");
                return Shell.BadInput;
            }
        }
        if (entries.Count == 0)
        {
            stderr.WriteLine($"shura verify: {path} holds no log entry");
            return Shell.BadInput;
        }
        var verification = Verifier.RunOnLog(entries);
        foreach (string problem in verification.Problems)
        {
            stderr.WriteLine($"shura verify: {path}: {problem}");
        }
        stdout.WriteLine(verification.IsIntact
            ? $"Verified {verification.Entries} log entries of chain {entries[0].Chain} and recounted {verification.Results} results: all intact."
            : $"{verification.Problems.Count} problems in {verification.Entries} log entries ({verification.Results} results recounted).");
        return verification.IsIntact ? Shell.Success : Shell.Mismatch;
    }
}
