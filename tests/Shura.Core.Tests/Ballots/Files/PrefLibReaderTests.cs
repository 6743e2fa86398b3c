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

    [Fact]
    public void Windows_and_old_Mac_line_ends_and_a_byte_order_mark_read_as_plain_lines()
    {
        string unix = Header + "\n3: 1,2,3\n2: {1, 2},3\n\n1: 3\n";
        var expected = ((RankedBallotFile)Read(unix).File!).Ballots;

        foreach (string text in new[] { unix.Replace("\n", "\r\n"), unix.Replace("\n", "\r"), "\uFEFF" + unix })
        {
            var reading = BallotFiles.Read(System.Text.Encoding.UTF8.GetBytes(text), "test.toi", BallotFormat.PrefLib, BallotKind.Rankings);

            AssertSameBox(expected, ((RankedBallotFile)reading.File!).Ballots);
        }
    }

    [Fact]
    public void Unusual_spacing_reads_as_the_ordinary_line()
    {
        var plain = ((RankedBallotFile)Read(Header + "\n3: 1,2,3\n2: {1,2},3\n1: 3\n").File!).Ballots;
        var spaced = ((RankedBallotFile)Read(Header + "\n 3 :\t1 , 2,3 \n2:{ 2 ,1 } ,3\n1\u00A0: 3\n").File!).Ballots;

        AssertSameBox(plain, spaced);
    }

    /// <summary>A file of a few megabytes, so it is read in parts on every core.</summary>
    private static (string Text, List<(string Order, int Count)> Expected) LargeFile(int lines, Func<int, string?>? lineAt = null)
    {
        // 200 distinct orders of 8 candidates, repeated in a fixed pattern; the expected box is
        // counted here by a dictionary, in order of first appearance.
        var random = new Random(11);
        var orders = Enumerable.Range(0, 200)
            .Select(_ => string.Join(',', Enumerable.Range(1, 8).OrderBy(_ => random.Next())))
            .ToArray();
        var text = new System.Text.StringBuilder();
        var expected = new List<(string Order, int Count)>();
        var index = new Dictionary<string, int>();
        long voters = 0;
        var data = new System.Text.StringBuilder();
        for (int line = 0; line < lines; line++)
        {
            string order = orders[(line * 7 + line / 1000) % orders.Length];
            int count = 1 + line % 3;
            data.Append(lineAt?.Invoke(line) ?? $"{count}: {order}").Append('\n');
            if (!index.TryGetValue(order, out int at))
            {
                index[order] = at = expected.Count;
                expected.Add((order, 0));
            }
            expected[at] = (order, expected[at].Count + count);
            voters += count;
        }
        text.Append("# DATA TYPE: soc\n# NUMBER ALTERNATIVES: 8\n")
            .Append($"# NUMBER VOTERS: {voters}\n# NUMBER UNIQUE ORDERS: {lines}\n");
        for (int i = 1; i <= 8; i++)
        {
            text.Append($"# ALTERNATIVE NAME {i}: c{i}\n");
        }
        return (text.Append(data).ToString(), expected);
    }

    private static BallotFileReading ReadBytes(string text) =>
        BallotFiles.Read(System.Text.Encoding.UTF8.GetBytes(text), "big.soc", BallotFormat.PrefLib, BallotKind.Rankings);

    [Fact]
    public void A_file_read_in_parts_on_every_core_gives_the_box_of_one_reading_in_file_order()
    {
        var (text, expected) = LargeFile(200_000);
        Assert.True(text.Length > 2 << 20, "the file must be large enough to be read in parts");

        var box = ((RankedBallotFile)ReadBytes(text.Replace("# NUMBER UNIQUE ORDERS: 200000\n", "")).File!).Ballots;

        Assert.Equal(expected.Count, box.GroupCount);
        for (int g = 0; g < expected.Count; g++)
        {
            Assert.Equal(expected[g].Order, string.Join(',', box.Ranking(g).ToArray().Select(c => c + 1)));
            Assert.Equal(expected[g].Count, box.Count(g));
        }
    }

    [Fact]
    public void In_a_file_read_in_parts_the_first_error_is_reported_with_its_line_in_the_whole_file()
    {
        // Header lines: 4 + 8 names, so data line k (from 0) is line 13 + k. Errors near the end,
        // in the last part, and the first one in the middle.
        var (late, _) = LargeFile(200_000, line => line == 190_000 ? "1: 1,2,3,4,5,6,7,9" : null);
        var lateError = ReadBytes(late).Error!;
        Assert.Equal((13 + 190_000, 18), (lateError.Line, lateError.Column));
        Assert.Contains("candidate 9 does not exist", lateError.Message);

        var (both, _) = LargeFile(200_000, line => line is 120_000 or 190_000 ? "1: 1,2,3,4,5,6,7,7" : null);
        var first = ReadBytes(both).Error!;
        Assert.Equal((13 + 120_000, 18), (first.Line, first.Column));
        Assert.Contains("appears twice", first.Message);
    }

    private static void AssertSameBox(BallotBox expected, BallotBox actual)
    {
        Assert.Equal(expected.Candidates.ToArray(), actual.Candidates.ToArray());
        Assert.Equal(expected.GroupCount, actual.GroupCount);
        for (int g = 0; g < expected.GroupCount; g++)
        {
            Assert.Equal(expected.Count(g), actual.Count(g));
            Assert.Equal(expected.Ranking(g).ToArray(), actual.Ranking(g).ToArray());
            Assert.Equal(expected.Ranks(g).ToArray(), actual.Ranks(g).ToArray());
        }
    }
}
