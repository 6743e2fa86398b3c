namespace Shura.Cli.Tests.Tally;

/// <summary>Every kind of bad input ends with exit code 2 and one clear line on standard error, and nothing on standard output.</summary>
public class BadInputTests
{
    private const string Header = "# DATA TYPE: soi\n# NUMBER ALTERNATIVES: 3\n# NUMBER VOTERS: 4\n# NUMBER UNIQUE ORDERS: 2\n" +
        "# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n# ALTERNATIVE NAME 3: C\n";

    private static Run Tally(string fileName, string content, params string[] options)
    {
        string file = Run.File(fileName, content);
        return Run.InProcess(["tally", .. options, file]);
    }

    private static void AssertRefused(Run run, string expected)
    {
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
        Assert.Contains(expected, run.Error);
    }

    [Fact]
    public void A_bad_header_is_refused()
    {
        AssertRefused(Tally("e.soi", Header.Replace("soi", "sox") + "3: 1,2\n1: 3\n", "--method", "irv"),
            ".soi:1:14: unknown DATA TYPE \"sox\"; expected soc, soi, toc or toi");
    }

    [Fact]
    public void A_count_that_is_not_a_number_is_refused()
    {
        AssertRefused(Tally("e.soi", Header + "three: 1,2\n1: 3\n", "--method", "irv"),
            ".soi:8:1: count \"three\" is not a whole number");
    }

    [Fact]
    public void A_candidate_out_of_range_is_refused()
    {
        AssertRefused(Tally("e.soi", Header + "3: 1,2\n1: 7\n", "--method", "irv"),
            ".soi:9:4: candidate 7 does not exist; expected a number from 1 to 3");
    }

    [Fact]
    public void A_duplicate_candidate_in_a_ranking_is_refused()
    {
        AssertRefused(Tally("e.soi", Header + "3: 1,2,1\n1: 3\n", "--method", "irv"),
            ".soi:8:8: candidate 1 appears twice in this ballot (first at column 4)");
    }

    [Fact]
    public void A_wrong_number_voters_total_is_refused()
    {
        AssertRefused(Tally("e.soi", Header + "3: 1,2\n2: 3\n", "--method", "irv"),
            ".soi:3:18: NUMBER VOTERS is 4, but the counts of the data lines add up to 5");
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        AssertRefused(Tally("e.soi", "", "--method", "irv"), "e.soi: the file is empty");
    }

    [Fact]
    public void An_unknown_method_is_refused()
    {
        AssertRefused(Tally("e.soi", Header + "3: 1,2\n1: 3\n", "--method", "borda"),
            "unknown method \"borda\"; expected one of decision, plurality, approval, score, irv, stv, meek, schulze, ranked-pairs");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    public void Seats_below_1_are_refused(string seats)
    {
        AssertRefused(Tally("e.soi", Header + "3: 1,2\n1: 3\n", "--method", "stv", "--seats", seats),
            $"--seats must be at least 1, not {seats}");
    }

    [Fact]
    public void Seats_that_are_not_a_number_are_refused()
    {
        AssertRefused(Tally("e.soi", Header + "3: 1,2\n1: 3\n", "--method", "stv", "--seats", "two"), "two");
    }

    [Fact]
    public void Several_seats_for_a_single_seat_method_are_refused()
    {
        AssertRefused(Tally("e.soi", Header + "3: 1,2\n1: 3\n", "--method", "irv", "--seats", "2"),
            "irv fills one seat; for 2 seats use stv or meek");
    }

    [Fact]
    public void A_missing_method_is_refused()
    {
        AssertRefused(Tally("e.soi", Header + "3: 1,2\n1: 3\n"), "--method");
    }

    [Fact]
    public void A_missing_file_is_refused()
    {
        AssertRefused(Run.InProcess("tally", "--method", "irv", "/nonexistent/ballots.soi"), "/nonexistent/ballots.soi: no such file");
    }

    [Fact]
    public void An_unknown_file_type_is_refused()
    {
        AssertRefused(Tally("e.txt", "A,B\n", "--method", "irv"), "unknown file type; expected .soc, .soi, .toc, .toi, .csv or .json");
    }

    [Fact]
    public void A_pairwise_method_on_scores_is_refused_with_the_kind_of_ballot_it_needs()
    {
        AssertRefused(Tally("s.json", """[{"scores": {"A": 5}}]""", "--method", "schulze"),
            "s.json:1:2: the ballots hold \"scores\", but this method counts rankings");
    }

    [Fact]
    public void An_absolute_majority_without_an_electorate_is_refused()
    {
        AssertRefused(Tally("d.csv", "yes\nno\n", "--method", "decision", "--threshold", "absolute"),
            "an absolute majority needs the size of the electorate");
    }

    [Fact]
    public void A_malformed_quorum_is_refused()
    {
        AssertRefused(Tally("d.csv", "yes\n", "--method", "decision", "--electorate", "5", "--quorum", "half"),
            "--quorum \"half\" is not a fraction such as 1/3");
    }
}
