using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Shura.Web.Tests.Support;

/// <summary>A real SMTP server on loopback (smtp-server from npm, tests/Shura.Web.Tests/Notifications/smtp-sink.js): what it received, one JSON object per message; a file whose presence makes it refuse.</summary>
public sealed class SmtpSink : IDisposable
{
    private readonly Process _node;
    private readonly ConcurrentQueue<JsonElement> _mails = new();

    public int Port { get; }

    public string RefuseFile { get; }

    private SmtpSink(Process node, int port, string refuseFile)
    {
        _node = node;
        Port = port;
        RefuseFile = refuseFile;
    }

    /// <param name="keep">Which messages to keep (all by default): a test of notices leaves out the verification e-mails of sign-up.</param>
    public static async Task<SmtpSink> StartAsync(Func<JsonElement, bool>? keep = null)
    {
        string directory = Path.Combine(Repository.Root, "tests", "Shura.Web.Tests");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        start.ArgumentList.Add(Path.Combine(directory, "Notifications", "smtp-sink.js"));
        string refuse = Path.Combine(Directory.CreateTempSubdirectory("shura-smtp-").FullName, "refuse");
        start.Environment["REFUSE_FILE"] = refuse;
        var node = Process.Start(start)!;
        string? first = await node.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (first?.StartsWith("listening ", StringComparison.Ordinal) != true)
        {
            node.Kill();
            Assert.Fail($"the SMTP server did not start: {first} {await node.StandardError.ReadToEndAsync()}");
        }
        var sink = new SmtpSink(node, int.Parse(first!["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture), refuse);
        _ = Task.Run(async () =>
        {
            while (await node.StandardOutput.ReadLineAsync() is { } line)
            {
                var mail = JsonDocument.Parse(line).RootElement.Clone();
                if (keep?.Invoke(mail) != false)
                {
                    sink._mails.Enqueue(mail);
                }
            }
        });
        return sink;
    }

    public IReadOnlyList<JsonElement> Mails => [.. _mails];

    /// <summary>Waits until at least <paramref name="count"/> messages arrived (generously: the mailer looks every quarter second).</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitAsync(int count, double seconds = 30)
    {
        var waited = Stopwatch.StartNew();
        while (_mails.Count < count)
        {
            Assert.True(waited.Elapsed.TotalSeconds < seconds, $"{_mails.Count} of {count} e-mails arrived within {seconds} s");
            await Task.Delay(100);
        }
        return Mails;
    }

    public void Dispose()
    {
        _node.Kill(entireProcessTree: true);
        _node.Dispose();
    }
}
