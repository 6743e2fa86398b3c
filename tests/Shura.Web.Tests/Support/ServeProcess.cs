using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Shura.Web.Tests.Support;

/// <summary>
/// `shura serve` as a separate process, exactly as a user starts it: for tests that must kill the
/// server (SIGKILL) or that script a session against the real program.
/// </summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private ServeProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    /// <summary>Every line the server wrote to its standard output and error so far (its log).</summary>
    public IReadOnlyList<string> Output => [.. _output];

    public HttpClient Client { get; }

    public Api Api() => new(Client);

    /// <summary>Whether the process still runs.</summary>
    public bool Running => !_process.HasExited;

    /// <param name="more">More options of <c>shura serve</c>, such as <c>--redis</c>.</param>
    public static Task<ServeProcess> StartAsync(string db, params string[] more) => StartCommandAsync("serve", db, more);

    /// <summary><c>shura demo</c>: the demo city, filled on first start and served.</summary>
    public static Task<ServeProcess> StartDemoAsync(string db, params string[] more) => StartCommandAsync("demo", db, more);

    private static async Task<ServeProcess> StartCommandAsync(string verb, string db, string[] more)
    {
        int port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])[Path.Combine(AppContext.BaseDirectory, "shura.dll"), verb, "--urls", $"http://127.0.0.1:{port}", "--db", db, .. more])
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start)!;
        var server = new ServeProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, line) => { if (line.Data is { } text) { server._output.Enqueue(text); } };
        process.ErrorDataReceived += (_, line) => { if (line.Data is { } text) { server._output.Enqueue(text); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await server.Client.GetAsync("/openapi/v1.json");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException) when (waited.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
            {
                await Task.Delay(100);
                continue;
            }
            Assert.Fail($"shura serve did not start (exit code {(process.HasExited ? process.ExitCode : "none")})");
        }
    }

    /// <summary>Kills the process with SIGKILL: no shutdown, no flush, nothing but what is already on disk survives.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>A loopback port nothing listens on now (the system's pick, so no one else's fixed port).</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            Kill();
        }
        _process.Dispose();
        await Task.CompletedTask;
    }
}
