using System.Text.RegularExpressions;
using Shura.Core;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests;

/// <summary>The stable codes are one list (<see cref="Codes"/>), and the API's documentation lists exactly those.</summary>
public partial class CodesTests
{
    [Fact]
    public void The_API_documentation_lists_every_code_and_no_other()
    {
        string docs = File.ReadAllText(Path.Combine(Repository.Root, "docs", "api.md"));
        int table = docs.IndexOf("| status | codes |", StringComparison.Ordinal);
        var documented = Code().Matches(docs[table..docs.IndexOf("\n\n", table, StringComparison.Ordinal)])
            .Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var answered = Codes.All.Where(c => !Codes.Internal.Contains(c)).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(answered.Except(documented));
        Assert.Empty(documented.Except(answered));
    }

    [GeneratedRegex(@"`([a-z]+(?:-[a-z]+)*)`")]
    private static partial Regex Code();
}
