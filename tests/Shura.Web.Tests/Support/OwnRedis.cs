using System.Diagnostics;

namespace Shura.Web.Tests.Support;

/// <summary>A Redis of a test's own (scripts/redis.sh), for a test that stops it: the one test.sh starts is shared.</summary>
public sealed class OwnRedis : IAsyncDisposable
{
    private readonly string _dir;
    private readonly int _port;

    private OwnRedis(string dir, int port) => (_dir, _port) = (dir, port);

    public string Address => $"127.0.0.1:{_port}";

    public static async Task<OwnRedis> StartAsync()
    {
        var redis = new OwnRedis(Directory.CreateTempSubdirectory("shura-own-redis-").FullName, ServeProcess.FreePort());
        await redis.StartAgainAsync();
        return redis;
    }

    public Task StartAgainAsync() => ScriptAsync("start", _dir, _port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public Task StopAsync() => ScriptAsync("stop", _dir);

    public async ValueTask DisposeAsync() => await StopAsync();

    private static async Task ScriptAsync(params string[] args)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Shura.slnx")))
        {
            dir = dir.Parent;
        }
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(dir!.FullName, "scripts", "redis.sh"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        string errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0 || args[0] == "stop", $"redis.sh {string.Join(' ', args)}: {errors}");
    }
}
