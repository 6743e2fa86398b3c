using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Shura.Web.Tests.Support;

/// <summary>
/// A peer the tests did not write, run by Node from tests/Shura.Web.Tests: it prints
/// "listening PORT" first, then one JSON object per line for each thing that happens, and takes
/// one JSON command per line on its input.
/// </summary>
public sealed class NodePeer : IDisposable
{
    private readonly Process _node;
    private readonly ConcurrentQueue<JsonElement> _lines = new();
    private readonly ConcurrentQueue<string> _errors = new();

    public string Base { get; }

    private NodePeer(Process node, string @base) => (_node, Base) = (node, @base);

    /// <param name="script">The script, relative to tests/Shura.Web.Tests.</param>
    public static async Task<NodePeer> StartAsync(string script, IReadOnlyDictionary<string, string>? environment = null)
    {
        string directory = Path.Combine(Repository.Root, "tests", "Shura.Web.Tests");
        var start = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        start.ArgumentList.Add(Path.Combine(directory, script));
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var node = Process.Start(start)!;
        string? first = await node.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (first?.StartsWith("listening ", StringComparison.Ordinal) != true)
        {
            node.Kill(entireProcessTree: true);
            Assert.Fail($"{script} did not start: {first} {await node.StandardError.ReadToEndAsync()}");
        }
        var peer = new NodePeer(node, $"http://127.0.0.1:{first!["listening ".Length..]}");
        _ = Task.Run(async () =>
        {
            while (await node.StandardOutput.ReadLineAsync() is { } line)
            {
                if (Environment.GetEnvironmentVariable("SHURA_PEER_LOG") is { } log)
                {
                    File.AppendAllText(log, line + "\n");
                }
                peer._lines.Enqueue(JsonDocument.Parse(line).RootElement.Clone());
            }
        });
        _ = Task.Run(async () =>
        {
            while (await node.StandardError.ReadLineAsync() is { } line)
            {
                peer._errors.Enqueue(line);
            }
        });
        return peer;
    }

    public IReadOnlyList<JsonElement> Lines => [.. _lines];

    /// <summary>What it wrote to standard error, the latest lines: for a failing test to show.</summary>
    public string Errors => string.Join("\n", _errors.TakeLast(40));

    public Task SayAsync(object ask) => _node.StandardInput.WriteLineAsync(JsonSerializer.Serialize(ask));

    /// <summary>The first line <paramref name="wanted"/> takes, waiting for it (generously: the machine may be busy).</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> wanted, double seconds = 60)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (_lines.FirstOrDefault(wanted) is { ValueKind: JsonValueKind.Object } found)
            {
                return found;
            }
            Assert.True(waited.Elapsed.TotalSeconds < seconds,
                $"not within {seconds} s; the peer said: {string.Join(" | ", _lines)}; its errors: {string.Join(" | ", _errors.TakeLast(20))}");
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        _node.Kill(entireProcessTree: true);
        _node.Dispose();
    }
}
