using Shura.Core.Ballots;
using Shura.Core.Ballots.Files;

namespace Shura.Core.Tests.Ballots.Files;

public class CsvBallotReaderTests
{
    private static BallotFileReading Read(string text, BallotKind kind = BallotKind.Rankings) =>
        BallotFiles.Read(new StringReader(text), "ballots.csv", BallotFormat.Csv, kind);

    [Fact]
    public void Rankings_name_candidates_in_order_and_equal_ranks_with_an_equals_sign()
    {
        var box = ((RankedBallotFile)Read("Alice,Bob,Carol\nBob=Carol,Alice\n\"Dan, Jr.\",,Alice\n").File!).Ballots;

        Assert.Equal(["Alice", "Bob", "Carol", "Dan, Jr."], box.Candidates.ToArray());
        Assert.Equal([0, 0, 1], box.Ranks(1).ToArray());
        Assert.Equal([3, 0], box.Ranking(2).ToArray()); // the empty cell is skipped
    }

    [Fact]
    public void A_count_header_makes_the_first_column_a_count()
    {
        var box = ((RankedBallotFile)Read("count,rank 1,rank 2\n5,A,B\n3,B\n2,A,B\n").File!).Ballots;

        Assert.Equal(10, box.VoterCount);
        Assert.Equal(2, box.GroupCount);
    }

    [Fact]
    public void A_candidate_twice_in_a_line_is_refused_at_its_cell()
    {
        var error = Read("A,B\nB,C,B\n").Error!;

        Assert.Equal((2, 5), (error.Line, error.Column));
        Assert.Contains("appears twice", error.Message);
    }

    [Fact]
    public void A_count_that_is_not_a_number_is_refused()
    {
        var error = Read("count,ranking\n5,A\nfive,B\n").Error!;

        Assert.Equal((3, 1), (error.Line, error.Column));
    }

    [Fact]
    public void An_unclosed_quote_is_refused()
    {
        var error = Read("A,\"B\n").Error!;

        Assert.Equal((1, 3), (error.Line, error.Column));
        Assert.Contains("never closed", error.Message);
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        Assert.Contains("empty", Read("\n\n").Error!.Message);
    }

    [Fact]
    public void Score_ballots_have_a_header_of_candidates_and_scores_from_0_to_5()
    {
        var scores = ((ScoreBallotFile)Read("count,Alice,Bob\n2,5,1\n1,,3\n", BallotKind.Scores).File!).Ballots;

        Assert.Equal(["Alice", "Bob"], scores.Candidates.ToArray());
        Assert.Equal(3, scores.VoterCount);
        Assert.Equal([0, 3], scores.Scores(1).ToArray());
    }

    [Fact]
    public void A_score_above_5_is_refused_at_its_cell()
    {
        var error = Read("Alice,Bob\n5,6\n", BallotKind.Scores).Error!;

        Assert.Equal((2, 3), (error.Line, error.Column));
        Assert.Contains("from 0 to 5", error.Message);
    }

    [Fact]
    public void Choices_are_yes_no_or_abstain()
    {
        var ballots = ((DecisionBallotFile)Read("count,choice\n4,yes\n2,No\n1,abstain\n", BallotKind.Choices).File!).Ballots;

        Assert.Equal(new DecisionBallots(4, 2, 1), ballots);
    }

    [Fact]
    public void An_unknown_choice_is_refused()
    {
        var error = Read("yes\nmaybe\n", BallotKind.Choices).Error!;

        Assert.Equal((2, 1), (error.Line, error.Column));
        Assert.Contains("\"maybe\" is not a choice", error.Message);
    }
}
