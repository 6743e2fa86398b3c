using System.Diagnostics;

namespace Shura.Cli.Tests.Tally;

/// <summary>Runs the <c>shura</c> command in this process, or as a real process, and captures what it prints.</summary>
public sealed record Run(int ExitCode, string Out, string Error)
{
    public static Run InProcess(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Shell.Run(args, stdout, stderr, quietErrors: true);
        return new Run(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Starts the built <c>shura</c> program, as a user would.</summary>
    public static Run AsProcess(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "shura.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new Run(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Writes <paramref name="content"/> to a fresh file named <paramref name="name"/> and returns its path.</summary>
    public static string File(string name, string content)
    {
        string dir = Directory.CreateTempSubdirectory("shura-cli-").FullName;
        string path = Path.Combine(dir, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public static string Election(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "Shura.slnx")))
        {
            dir = dir.Parent;
        }
        string path = Path.GetFullPath(Path.Combine(dir!.FullName, "..", "shared", "data", "elections", name));
        Assert.True(System.IO.File.Exists(path),
            $"The real election file {path} is missing: clone the repository beside ../shared, as CI does.");
        return path;
    }
}
