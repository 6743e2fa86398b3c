using System.Diagnostics;

namespace Shura.Web.Tests.Support;

/// <summary>
/// A PostgreSQL of a test's own (scripts/postgres.sh), for a test that kills it: the one test.sh
/// starts is shared by every test.
/// </summary>
public sealed class OwnPostgres : IAsyncDisposable
{
    private readonly string _dir;
    private readonly int _port;

    private OwnPostgres(string dir, int port, string server) => (_dir, _port, Server) = (dir, port, server);

    /// <summary>The connection string without a database.</summary>
    public string Server { get; }

    public static async Task<OwnPostgres> StartAsync()
    {
        // A port free when asked can be taken by an outgoing connection before PostgreSQL binds
        // it: a second and third try on a fresh port and folder, and the server's log if all fail.
        for (int attempt = 1; ; attempt++)
        {
            // Its own top folder: the postgres user must be able to reach it.
            string dir = Directory.CreateTempSubdirectory("shura-own-pg-").FullName;
            int port = ServeProcess.FreePort();
            var (exitCode, output, errors) = await Run("start", dir, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (exitCode == 0)
            {
                return new OwnPostgres(dir, port, output.Trim());
            }
            await Run("stop", dir);
            Assert.True(attempt < 3, $"postgres.sh start failed three times; the last: {errors}");
        }
    }

    /// <summary>
    /// SIGKILL to the postmaster and to every process it started, all at once: what the machine
    /// losing PostgreSQL looks like, with no shutdown and no checkpoint.
    /// </summary>
    public void Kill()
    {
        int postmaster = int.Parse(File.ReadLines(Path.Combine(_dir, "data", "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
        var children = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out int pid) ? pid : 0)
            .Where(pid => pid > 0 && ParentOf(pid) == postmaster).ToList();
        foreach (int pid in children.Prepend(postmaster))
        {
            try
            {
                Process.GetProcessById(pid).Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Already gone.
            }
        }
        foreach (int pid in children.Prepend(postmaster))
        {
            while (File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal))
            {
                Thread.Sleep(20);
            }
        }
    }

    /// <summary>Starts it again on its data, which recovers from its write-ahead log.</summary>
    public Task RestartAsync() => Script("restart", _dir, _port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static int ParentOf(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static async Task<string> Script(params string[] args)
    {
        var (exitCode, output, errors) = await Run(args);
        Assert.True(exitCode == 0, $"postgres.sh {string.Join(' ', args)} failed: {errors}");
        return output;
    }

    private static async Task<(int ExitCode, string Output, string Errors)> Run(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Repository.Root, "scripts", "postgres.sh"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        string output = await process.StandardOutput.ReadToEndAsync();
        string errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output, errors);
    }

    public async ValueTask DisposeAsync() => await Script("stop", _dir);
}
