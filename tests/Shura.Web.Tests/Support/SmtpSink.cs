using System.Diagnostics;
using System.Text.Json;

namespace Shura.Web.Tests.Support;

/// <summary>A real SMTP server on loopback (smtp-server from npm, tests/Shura.Web.Tests/Notifications/smtp-sink.js): what it received, one JSON object per message; a file whose presence makes it refuse.</summary>
public sealed class SmtpSink : IDisposable
{
    private readonly NodePeer _node;
    private readonly Func<JsonElement, bool> _keep;

    public int Port { get; }

    public string RefuseFile { get; }

    private SmtpSink(NodePeer node, string refuseFile, Func<JsonElement, bool> keep)
    {
        _node = node;
        Port = new Uri(node.Base).Port;
        RefuseFile = refuseFile;
        _keep = keep;
    }

    /// <param name="keep">Which messages to keep (all by default): a test of notices leaves out the verification e-mails of sign-up.</param>
    public static async Task<SmtpSink> StartAsync(Func<JsonElement, bool>? keep = null)
    {
        string refuse = Path.Combine(Directory.CreateTempSubdirectory("shura-smtp-").FullName, "refuse");
        var node = await NodePeer.StartAsync(Path.Combine("Notifications", "smtp-sink.js"), new Dictionary<string, string> { ["REFUSE_FILE"] = refuse });
        return new SmtpSink(node, refuse, keep ?? (_ => true));
    }

    public IReadOnlyList<JsonElement> Mails => [.. _node.Lines.Where(_keep)];

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
