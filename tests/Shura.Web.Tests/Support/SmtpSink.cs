using System.Diagnostics;
using System.Text.Json;

namespace Shura.Web.Tests.Support;

/// <summary>
/// A real SMTP server on loopback (smtp-server from npm, tests/Shura.Web.Tests/Notifications/smtp-sink.js):
/// what it received, one JSON object per message; a file whose presence makes it refuse, and one
/// whose presence makes it hold each sender mid-send, answering nothing.
/// </summary>
public sealed class SmtpSink : IDisposable
{
    private readonly NodePeer _node;
    private readonly Func<JsonElement, bool> _keep;

    public int Port { get; }

    public string RefuseFile { get; }

    public string HoldFile { get; }

    private SmtpSink(NodePeer node, string directory, Func<JsonElement, bool> keep)
    {
        _node = node;
        Port = new Uri(node.Base).Port;
        RefuseFile = Path.Combine(directory, "refuse");
        HoldFile = Path.Combine(directory, "hold");
        _keep = keep;
    }

    /// <param name="keep">Which messages to keep (all by default): a test of notices leaves out the verification e-mails of sign-up.</param>
    public static async Task<SmtpSink> StartAsync(Func<JsonElement, bool>? keep = null)
    {
        string directory = Directory.CreateTempSubdirectory("shura-smtp-").FullName;
        var node = await NodePeer.StartAsync(Path.Combine("Notifications", "smtp-sink.js"), new Dictionary<string, string>
        {
            ["REFUSE_FILE"] = Path.Combine(directory, "refuse"),
            ["HOLD_FILE"] = Path.Combine(directory, "hold"),
        });
        return new SmtpSink(node, directory, keep ?? (_ => true));
    }

    public IReadOnlyList<JsonElement> Mails => [.. _node.Lines.Where(l => !l.TryGetProperty("held", out _)).Where(_keep)];

    /// <summary>The recipients a sender was held on, mid-send (while <see cref="HoldFile"/> exists).</summary>
    public IReadOnlyList<string> Held => [.. _node.Lines.Where(l => l.TryGetProperty("held", out _)).Select(l => l.GetProperty("held").GetString()!)];

    /// <summary>Waits until at least <paramref name="count"/> messages arrived (generously: the mailer looks every quarter second).</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitAsync(int count, double seconds = 30)
    {
        var waited = Stopwatch.StartNew();
        while (Mails.Count < count)
        {
            Assert.True(waited.Elapsed.TotalSeconds < seconds, $"{Mails.Count} of {count} e-mails arrived within {seconds} s");
            await Task.Delay(100);
        }
        return Mails;
    }

    public void Dispose() => _node.Dispose();
}
