using System.Text.Json;

namespace Shura.Cli.Tests.Tally;

public class DelegationsTests
{
    [Fact]
    public void Tally_with_delegations_counts_weights_and_reports_what_was_lost()
    {
        string delegations = Run.File("delegations.csv", "truster,trustee\nBabak,Leyla\nChen,Babak\nDara,Dara2\n");
        string ballots = Run.File("ballots.csv", "voter,first,second\nLeyla,Library,Park\nElham,Park,Library\nFarid,Park\n");

        var run = Run.InProcess("tally", "--method", "schulze", "--json", "--delegations", delegations, ballots);

        Assert.Equal(0, run.ExitCode);
        var json = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal(["Library"], json.GetProperty("winners").EnumerateArray().Select(w => w.GetString())); // 3 to 2
        Assert.Equal(7, json.GetProperty("members").GetInt32());
        Assert.Equal(5, json.GetProperty("weight").GetInt64());
        Assert.Equal(1, json.GetProperty("lost").GetInt64()); // Dara: Dara2 does not vote
    }

    [Fact]
    public void A_bad_delegation_file_exits_2_naming_the_line()
    {
        string delegations = Run.File("delegations.csv", "Babak,Babak\n");
        string ballots = Run.File("ballots.csv", "Leyla,A\n");

        var run = Run.InProcess("tally", "--method", "irv", "--delegations", delegations, ballots);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("delegations.csv:1:7: \"Babak\" delegates to themselves", run.Error, StringComparison.Ordinal);
    }
}
