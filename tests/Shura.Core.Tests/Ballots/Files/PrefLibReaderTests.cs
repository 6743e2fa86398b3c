using Shura.Core.Ballots;
using Shura.Core.Ballots.Files;

namespace Shura.Core.Tests.Ballots.Files;

public class PrefLibReaderTests
{
    private const string Header = """
        # FILE NAME: test.toi
        # TITLE: A small election
        # DATA TYPE: toi
        # NUMBER ALTERNATIVES: 3
        # NUMBER VOTERS: 6
        # NUMBER UNIQUE ORDERS: 3
        # ALTERNATIVE NAME 1: Alice
        # ALTERNATIVE NAME 2: Bob, "the builder"
        # ALTERNATIVE NAME 3: D''Silva
        """;

    private static BallotFileReading Read(string text, BallotKind kind = BallotKind.Rankings) =>
        BallotFiles.Read(new StringReader(text), "test.toi", BallotFormat.PrefLib, kind);

    private static BallotFileError Error(string text) =>
        Assert.IsType<BallotFileError>(Read(text).Error);

    [Fact]
    public void A_valid_file_gives_grouped_ballots_with_ties_and_verbatim_names()
    {
        var reading = Read(Header + "\n3: 1,2,3\n2: {1, 2},3\n1: 3\n");

        var box = ((RankedBallotFile)reading.File!).Ballots;
        Assert.Equal(["Alice", "Bob, \"the builder\"", "D''Silva"], box.Candidates.ToArray());
        Assert.Equal(6, box.VoterCount);
        Assert.Equal(3, box.GroupCount);
        Assert.True(box.HasTies);
        Assert.Equal([0, 0, 1], box.Ranks(1).ToArray());
    }

    [Theory]
    [InlineData("3: 1,2,3\n2: 1,2,3\n1: 3\n", 2)] // a repeated order merges into one group
    public void Identical_ballots_cost_one_group(string data, int groups)
    {
        var box = ((RankedBallotFile)Read(Header + "\n" + data).File!).Ballots;

        Assert.Equal(groups, box.GroupCount);
        Assert.Equal(5, box.Count(0));
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        var error = Error("");

        Assert.Equal(0, error.Line);
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void An_unknown_data_type_is_refused_at_its_value()
    {
        var error = Error(Header.Replace("DATA TYPE: toi", "DATA TYPE: xyz") + "\n3: 1\n");

        Assert.Equal((3, 14), (error.Line, error.Column));
        Assert.Contains("unknown DATA TYPE \"xyz\"", error.Message);
    }

    [Fact]
    public void A_header_without_the_number_of_alternatives_is_refused()
    {
        var error = Error(Header.Replace("# NUMBER ALTERNATIVES: 3\n", "") + "\n3: 1\n");

        Assert.Contains("NUMBER ALTERNATIVES", error.Message);
    }

    [Fact]
    public void A_missing_candidate_name_is_refused()
    {
        var error = Error(Header.Replace("# ALTERNATIVE NAME 3: D''Silva", "# TITLE: x") + "\n6: 1\n");

        Assert.Contains("ALTERNATIVE NAME 3", error.Message);
    }

    [Fact]
    public void A_count_that_is_not_a_number_is_refused_at_column_1()
    {
        var error = Error(Header + "\n3: 1,2,3\nx: 1\n");

        Assert.Equal((11, 1), (error.Line, error.Column));
        Assert.Contains("count \"x\" is not a whole number", error.Message);
    }

    [Fact]
    public void A_zero_count_is_refused()
    {
        var error = Error(Header + "\n0: 1,2,3\n");

        Assert.Contains("count 0", error.Message);
    }

    [Fact]
    public void A_line_without_a_colon_is_refused()
    {
        var error = Error(Header + "\n3 1,2,3\n");

        Assert.Equal((10, 8), (error.Line, error.Column));
        Assert.Contains("missing ':'", error.Message);
    }

    [Fact]
    public void A_candidate_out_of_range_is_refused_at_its_column()
    {
        var error = Error(Header + "\n3: 1,4,3\n");

        Assert.Equal((10, 6), (error.Line, error.Column));
        Assert.Equal("candidate 4 does not exist; expected a number from 1 to 3", error.Message);
    }

    [Fact]
    public void A_candidate_twice_in_one_ballot_is_refused()
    {
        var error = Error(Header + "\n3: 1,2,{3,1}\n");

        Assert.Equal((10, 11), (error.Line, error.Column));
        Assert.Contains("candidate 1 appears twice in this ballot (first at column 4)", error.Message);
    }

    [Fact]
    public void An_unclosed_brace_is_refused_where_it_opens()
    {
        var error = Error(Header + "\n6: 1,{2,3\n");

        Assert.Equal((10, 6), (error.Line, error.Column));
        Assert.Contains("never closed", error.Message);
    }

    [Fact]
    public void Counts_that_do_not_add_up_to_the_number_of_voters_are_refused_at_that_header_line()
    {
        var error = Error(Header + "\n3: 1,2,3\n2: 3\n");

        Assert.Equal((5, 18), (error.Line, error.Column));
        Assert.Equal("NUMBER VOTERS is 6, but the counts of the data lines add up to 5", error.Message);
    }

    [Fact]
    public void A_wrong_number_of_unique_orders_is_refused()
    {
        var error = Error(Header + "\n6: 1,2,3\n");

        Assert.Contains("NUMBER UNIQUE ORDERS is 3, but the file has 1 data lines", error.Message);
    }

    [Fact]
    public void A_tie_group_in_a_strict_file_is_refused()
    {
        var error = Error(Header.Replace("DATA TYPE: toi", "DATA TYPE: soi") + "\n6: {1,2}\n");

        Assert.Equal((10, 4), (error.Line, error.Column));
        Assert.Contains("allows no ties", error.Message);
    }

    [Fact]
    public void An_incomplete_ballot_in_a_complete_file_is_refused()
    {
        var error = Error(Header.Replace("DATA TYPE: toi", "DATA TYPE: soc") + "\n6: 1,2\n");

        Assert.Contains("ranks 2 of the 3 candidates", error.Message);
    }

    [Fact]
    public void An_empty_order_is_refused()
    {
        var error = Error(Header + "\n6: \n");

        Assert.Contains("expected a candidate number", error.Message);
    }

    [Fact]
    public void Score_ballots_cannot_come_from_a_PrefLib_file()
    {
        var reading = Read(Header + "\n6: 1\n", BallotKind.Scores);

        Assert.Contains("holds rankings", reading.Error!.Message);
    }

    [Fact]
    public void The_error_names_the_file_line_and_column()
    {
        Assert.Equal("test.toi:10:6: candidate 4 does not exist; expected a number from 1 to 3",
            Error(Header + "\n3: 1,4,3\n").ToString());
    }
}
