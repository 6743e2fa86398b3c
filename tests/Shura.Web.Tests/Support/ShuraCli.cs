namespace Shura.Web.Tests.Support;

/// <summary>Runs the <c>shura</c> command in this process, as `shura verify`, `shura export` or `shura tally` would run, and captures what it prints.</summary>
public static class ShuraCli
{
    public static (int Code, string Out, string Error) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Shura.Cli.Shell.Run(args, stdout, stderr, quietErrors: true);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
