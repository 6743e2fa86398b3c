using Shura.Core.Ballots.Files;
using System.Text;
using Shura.Core.Counting;
using Shura.Core.Delegation;
using Shura.Core.Tests.Support;

namespace Shura.Core.Tests.Ballots.Files;

public class DelegatedBallotsTests
{
    private static (DelegatedBallots? Ballots, Core.Ballots.Files.BallotFileError? Error) Read(string delegations, string ballots) =>
        DelegatedBallots.TryRead(Encoding.UTF8.GetBytes(delegations), "delegations.csv", Encoding.UTF8.GetBytes(ballots), "ballots.csv");

    [Fact]
    public void Direct_voters_carry_the_members_whose_chains_end_at_them()
    {
        var (read, error) = Read(
            "truster,trustee\nBabak,Leyla\nChen,Babak\nDara,Elham\n",
            "voter,first,second\nLeyla,Park,Cafe\nElham,Cafe\nFarid,Park\n");

        Assert.Null(error);
        var graph = DelegationGraph.Resolve(read!.Trustee, read.VotesDirectly);
        var result = Tally.Count(read.Weighted(graph), new TallyRules(TallyMethod.Plurality, 1, new Lot("s", 2)));
        Assert.Equal(6, read.MemberCount);
        Assert.Equal(6, graph.Counted);
        Assert.Equal(4, result.Round<TotalsRound>().Totals["Park"]); // Leyla with Babak and Chen, and Farid
        Assert.Equal(2, result.Round<TotalsRound>().Totals["Cafe"]); // Elham with Dara
    }

    [Fact]
    public void A_chain_into_a_cycle_or_to_a_non_voter_is_lost()
    {
        var (read, _) = Read("A,B\nB,A\nC,A\nD,E\n", "F,X\n");

        var graph = DelegationGraph.Resolve(read!.Trustee, read.VotesDirectly);

        Assert.Equal(1, graph.Counted);
        Assert.Equal(4, graph.Lost); // A, B, C in or behind the cycle; D behind E, who does not vote
    }

    [Fact]
    public void Equal_ranks_and_quoted_names_with_commas_are_read()
    {
        var (read, error) = Read("", "\"Ibn Sina, Hassan\",Park=Cafe,Library\n");

        Assert.Null(error);
        Assert.Equal("Ibn Sina, Hassan", read!.MemberName(0));
        var box = read.Weighted(DelegationGraph.Resolve(read.Trustee, read.VotesDirectly));
        Assert.Equal([0, 0, 1], box.Ranks(0).ToArray());
    }

    [Fact]
    public void Doubled_quotes_and_line_breaks_inside_quotes_read_as_the_ballot_file_reader_reads_them()
    {
        string ballots = "voter,first,second\n\"Sara \"\"the baker\"\"\",\"Park\r\nside\",Cafe\r\n\"Sara \"\"the baker\"\"\"x,Cafe\n";
        var (read, error) = Read("Omid,\"Sara \"\"the baker\"\"\"\n", ballots[..ballots.LastIndexOf("\"Sara", StringComparison.Ordinal)]);

        Assert.Null(error);
        Assert.Equal(["Omid", "Sara \"the baker\""], Enumerable.Range(0, read!.MemberCount).Select(read.MemberName));
        Assert.Equal(["Park\r\nside", "Cafe"], read.Options.ToArray());
        var graph = DelegationGraph.Resolve(read.Trustee, read.VotesDirectly);
        Assert.Equal(2, graph.Counted); // Omid's delegation found Sara, though her name is written with doubled quotes

        // The ballot file reader of `shura tally` (where a line is all candidates) reads the same records with the same fields.
        var same = BallotFiles.Read(new StringReader(ballots[..ballots.LastIndexOf("\"Sara", StringComparison.Ordinal)]), "ballots.csv", BallotFormat.Csv, BallotKind.Rankings);
        Assert.Null(same.Error);
        Assert.Equal(["Sara \"the baker\"", "Park\r\nside", "Cafe"], same.File!.Candidates.ToArray());
        // And both stop at the same place on the same mistake.
        var bad = BallotFiles.Read(new StringReader(ballots), "ballots.csv", BallotFormat.Csv, BallotKind.Rankings);
        Assert.Equal("ballots.csv:4:21: unexpected 'x' after a closing quote; expected ',' or the end of the line", bad.Error!.ToString());
        Assert.Equal(bad.Error.ToString(), Read("", ballots).Error!.ToString());
    }

    [Theory]
    [InlineData("Babak,Babak\n", "", "delegations.csv:1:7: \"Babak\" delegates to themselves")]
    [InlineData("Babak\n", "", "delegations.csv:1:1: expected \"truster,trustee\"")]
    [InlineData("Babak,Leyla\nBabak,Chen\n", "Leyla,A\n", "delegations.csv: \"Babak\" delegates twice")]
    [InlineData("", "Leyla,A\nLeyla,B\n", "ballots.csv: \"Leyla\" has two ballots")]
    [InlineData("", "Leyla,A,B,A\n", "ballots.csv:1:11: option \"A\" appears twice in this ballot")]
    [InlineData("", ",A\n", "ballots.csv:1:1: expected a voter's name first")]
    [InlineData("", "\"Leyla,A\n", "ballots.csv:1:1: this quoted field is never closed; expected '\"'")]
    [InlineData("", "\"Leyla\"x,A\n", "ballots.csv:1:8: unexpected 'x' after a closing quote; expected ',' or the end of the line")]
    public void Bad_input_names_the_file_line_and_column(string delegations, string ballots, string expected)
    {
        var (read, error) = Read(delegations, ballots);

        Assert.Null(read);
        Assert.Equal(expected, error!.ToString());
    }

    [Theory]
    [InlineData("truster,trustee\r\n", "voter,r1,r2,r3\r\n", "\r\n")]
    [InlineData("", "\uFEFF", "\n")]
    public void Members_named_by_numbers_read_as_the_general_reading_reads_them(string delegationsHeader, string ballotsHeader, string newline)
    {
        // A register's export: numbered members, some delegating in chains, rankings of up to four
        // of five options with empty cells at the end, blank lines between; large enough to be read
        // in two halves, with an option first named in the second.
        var random = new Random(5);
        var delegations = new StringBuilder(delegationsHeader);
        var ballots = new StringBuilder(ballotsHeader);
        string[] labels = ["0", "12", "a", "Park", "x9"];
        for (int member = 0; member < 12_000; member++)
        {
            int number = member * 7 + 1;
            if (member % 4 == 3)
            {
                delegations.Append(number).Append(',').Append((member - 1 - random.Next(Math.Min(member, 5))) * 7 + 1).Append(newline);
            }
            else
            {
                var ranking = labels.OrderBy(_ => random.Next()).Take(random.Next(5)).ToList();
                if (member > 10_000 && member % 5 == 0)
                {
                    ranking.Insert(0, "late");
                }
                ballots.Append(number).Append(string.Concat(ranking.Select(label => "," + label))).Append(member % 9 == 0 ? ",," : "").Append(newline);
            }
            if (member % 500 == 0)
            {
                ballots.Append(newline);
            }
        }
        byte[] d = Encoding.UTF8.GetBytes(delegations.ToString()), b = Encoding.UTF8.GetBytes(ballots.ToString());

        Assert.True(b.Length > 1 << 16, "the ballots must be long enough to be read in two halves");
        Assert.NotNull(NumberedMembers.TryRead(d, b)); // the quick reading takes this file
        var (quick, quickError) = DelegatedBallots.TryRead(d, "d.csv", b, "b.csv");
        var (general, generalError) = DelegatedBallots.TryReadAnyNames(d, "d.csv", b, "b.csv");

        Assert.Null(quickError);
        Assert.Null(generalError);
        Assert.Equal(general!.MemberCount, quick!.MemberCount);
        Assert.Equal(Enumerable.Range(0, general.MemberCount).Select(general.MemberName), Enumerable.Range(0, quick.MemberCount).Select(quick.MemberName));
        Assert.Equal(general.Trustee, quick.Trustee);
        Assert.Equal(general.VotesDirectly, quick.VotesDirectly);
        Assert.Equal(general.Options.ToArray(), quick.Options.ToArray());
        Assert.Equal("late", quick.Options[^1]);
        var graph = DelegationGraph.Resolve(general.Trustee, general.VotesDirectly);
        var (expected, actual) = (general.Weighted(graph), quick.Weighted(graph));
        Assert.Equal(expected.GroupCount, actual.GroupCount);
        for (int g = 0; g < expected.GroupCount; g++)
        {
            Assert.Equal(expected.Count(g), actual.Count(g));
            Assert.Equal(expected.Ranking(g).ToArray(), actual.Ranking(g).ToArray());
        }
    }

    [Theory]
    [InlineData("1,2\n", "007,a\n")] // a number with a leading zero is a name, not a number
    [InlineData("1,2\n", "2, a\n")] // a space around a cell
    [InlineData("1,2\n", "2,a=b\n")] // a tie
    [InlineData("1,2\n", "2,\"a\"\n")] // a quote
    [InlineData("1,2\n", "2,a,b,c,d,e,f,g,h,i\n")] // a ranking of nine
    [InlineData("1,Sara\n", "Sara,a\n")] // a name
    [InlineData("1,1\n", "2,a\n")] // a mistake: the general reading names it
    public void Other_files_are_left_to_the_general_reading(string delegations, string ballots)
    {
        Assert.Null(NumberedMembers.TryRead(Encoding.UTF8.GetBytes(delegations), Encoding.UTF8.GetBytes(ballots)));
    }
}
