using System.Text.Json;

namespace Shura.Cli.Tests.Tally;

public class TallyCommandTests
{
    [Fact]
    public void Json_output_is_exactly_one_object_with_the_contract_fields()
    {
        var run = Run.InProcess("tally", "--method", "stv", "--seats", "3", "--json", Run.Election("00008-00000018.soi"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.Equal("stv", root.GetProperty("method").GetString());
        Assert.Equal(3, root.GetProperty("seats").GetInt32());
        Assert.Equal(9567, root.GetProperty("ballots").GetInt64());
        Assert.Equal(9, root.GetProperty("candidates").GetArrayLength());
        Assert.Equal(["Irfan Rabbani", "Khalil Malik", "David Meikle"],
            root.GetProperty("winners").EnumerateArray().Select(w => w.GetString()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("ranking").ValueKind);
        Assert.True(root.GetProperty("rounds").GetArrayLength() > 1);
    }

    [Fact]
    public void Json_output_of_schulze_has_the_ranking_and_the_matrices()
    {
        var run = Run.InProcess("tally", "--method", "schulze", "--json", Run.Election("00002-00000005.soi"));

        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.Equal("Sam Hocevar", root.GetProperty("ranking")[0].GetString());
        var round = root.GetProperty("rounds")[0];
        Assert.Equal(9, round.GetProperty("pairwise").GetArrayLength());
        Assert.Equal(9, round.GetProperty("strongestPaths").GetArrayLength());
    }

    [Fact]
    public void Text_output_shows_every_round_and_the_winner()
    {
        var run = Run.InProcess("tally", "--method", "irv", Run.Election("00005-00000002.toi"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Round 5", run.Out);
        Assert.Contains("excluded: James Simpson (fewest votes)", run.Out);
        Assert.Contains("Bob Kiss     4,313", run.Out);
        Assert.Contains("Winners:    Bob Kiss", run.Out);
    }

    [Fact]
    public void Text_output_of_ranked_pairs_lists_the_locked_pairs_in_order()
    {
        var run = Run.InProcess("tally", "--method", "ranked-pairs", Run.Election("00002-00000003.soi"));

        Assert.Contains("Majorities, strongest first:", run.Out);
        Assert.Matches(@"locked\s+Branden Robinson over", run.Out);
    }

    [Fact]
    public void A_decision_is_counted_from_a_csv_of_choices()
    {
        string file = Run.File("votes.csv", "count,choice\n12,yes\n5,no\n3,abstain\n");

        var run = Run.InProcess("tally", "--method", "decision", "--threshold", "absolute", "--electorate", "30",
            "--quorum", "1/2", "--json", file);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("rejected", json.RootElement.GetProperty("outcome").GetString()); // 12 is not more than 15
        Assert.Equal(12, json.RootElement.GetProperty("counts").GetProperty("yes").GetInt64());
        Assert.True(json.RootElement.GetProperty("quorumMet").GetBoolean());
    }

    [Fact]
    public void Score_is_counted_from_a_csv_grid()
    {
        string file = Run.File("scores.csv", "Alice,Bob\n5,1\n2,4\n");

        var run = Run.InProcess("tally", "--method", "score", file);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Winners:    Alice", run.Out);
    }

    [Fact]
    public void The_seed_defaults_to_the_SHA_256_of_the_file_and_can_be_given()
    {
        string file = Run.Election("00005-00000002.toi");

        var byDefault = JsonDocument.Parse(Run.InProcess("tally", "--method", "irv", "--json", file).Out);
        var given = JsonDocument.Parse(Run.InProcess("tally", "--method", "irv", "--seed", "motion-42", "--json", file).Out);

        Assert.Equal("e229686d5c74152028974f0626172c95b08175fc3660dfd3bfccb096ebc2c1fb",
            byDefault.RootElement.GetProperty("lot").GetProperty("seed").GetString());
        Assert.Equal("motion-42", given.RootElement.GetProperty("lot").GetProperty("seed").GetString());
    }

    [Fact]
    public void The_real_program_prints_json_and_exits_0()
    {
        var run = Run.AsProcess("tally", "--method", "meek", "--seats", "3", "--json", Run.Election("00001-00000002.soi"));

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(3, json.RootElement.GetProperty("winners").GetArrayLength());
    }

    [Fact]
    public void The_real_program_exits_2_with_one_line_on_stderr_for_bad_input()
    {
        string file = Run.File("bad.soi", "# DATA TYPE: soi\n# NUMBER ALTERNATIVES: 2\n# NUMBER VOTERS: 1\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n1: 1,3\n");

        var run = Run.AsProcess("tally", "--method", "irv", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal($"shura tally: {file}:6:6: candidate 3 does not exist; expected a number from 1 to 2", run.Error.TrimEnd('\n'));
    }
}
