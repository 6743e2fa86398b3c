namespace Shura.Web.Tests.Support;

/// <summary>The repository the tests run from: the folder above the test binaries that holds Shura.slnx.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Shura.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Shura.slnx above {AppContext.BaseDirectory}: the tests run inside the repository.");
    }
}
