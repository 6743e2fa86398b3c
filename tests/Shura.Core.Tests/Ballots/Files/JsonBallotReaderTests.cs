using Shura.Core.Ballots;
using Shura.Core.Ballots.Files;

namespace Shura.Core.Tests.Ballots.Files;

public class JsonBallotReaderTests
{
    private static BallotFileReading Read(string text, BallotKind kind = BallotKind.Rankings) =>
        BallotFiles.Read(new StringReader(text), "ballots.json", BallotFormat.Json, kind);

    [Fact]
    public void Rankings_take_nested_arrays_as_equal_ranks_and_counts()
    {
        var box = ((RankedBallotFile)Read("""
            {"candidates": ["A", "B", "C"],
             "ballots": [{"ranking": ["A", ["B", "C"]], "count": 3}, {"ranking": ["C"]}]}
            """).File!).Ballots;

        Assert.Equal(4, box.VoterCount);
        Assert.Equal([0, 1, 1], box.Ranks(0).ToArray());
    }

    [Fact]
    public void A_bare_array_of_ballots_is_read_with_candidates_in_order_of_appearance()
    {
        var box = ((RankedBallotFile)Read("""[{"approvals": ["B", "A"]}, {"approvals": []}]""").File!).Ballots;

        Assert.Equal(["B", "A"], box.Candidates.ToArray());
        Assert.Equal(2, box.VoterCount);
    }

    [Fact]
    public void Scores_and_choices_are_read_in_the_API_shapes()
    {
        var scores = ((ScoreBallotFile)Read("""[{"scores": {"A": 5, "B": 2}, "count": 2}]""", BallotKind.Scores).File!).Ballots;
        var choices = ((DecisionBallotFile)Read("""[{"choice": "yes"}, {"choice": "no", "count": 4}]""", BallotKind.Choices).File!).Ballots;

        Assert.Equal([5, 2], scores.Scores(0).ToArray());
        Assert.Equal(new DecisionBallots(1, 4, 0), choices);
    }

    [Fact]
    public void A_name_not_among_the_declared_candidates_is_refused_at_its_position()
    {
        var error = Read("{\"candidates\": [\"A\"],\n \"ballots\": [{\"ranking\": [\"A\", \"Z\"]}]}").Error!;

        Assert.Equal((2, 32), (error.Line, error.Column));
        Assert.Equal("\"Z\" is not one of the \"candidates\"", error.Message);
    }

    [Fact]
    public void A_score_out_of_range_is_refused()
    {
        var error = Read("""[{"scores": {"A": 9}}]""", BallotKind.Scores).Error!;

        Assert.Contains("from 0 to 5", error.Message);
    }

    [Fact]
    public void Mixed_kinds_of_ballot_are_refused()
    {
        var error = Read("""[{"ranking": ["A"]}, {"choice": "yes"}]""").Error!;

        Assert.Contains("all ballots of a file are of one kind", error.Message);
    }

    [Fact]
    public void Ballots_of_the_wrong_kind_for_the_method_are_refused()
    {
        var error = Read("""[{"ranking": ["A"]}]""", BallotKind.Scores).Error!;

        Assert.Contains("this method counts scores", error.Message);
    }

    [Fact]
    public void Malformed_JSON_is_refused_with_its_line_and_column()
    {
        var error = Read("[\n {\"ranking\": [\"A\",]}]").Error!;

        Assert.Equal(2, error.Line);
        Assert.StartsWith("not valid JSON", error.Message);
    }

    [Fact]
    public void A_duplicate_in_a_ranking_is_refused()
    {
        var error = Read("""[{"ranking": ["A", "B", "A"]}]""").Error!;

        Assert.Equal((1, 25), (error.Line, error.Column));
        Assert.Contains("appears twice", error.Message);
    }
}
