using Shura.Core.Ballots;

namespace Shura.Core.Tests.Ballots;

public class BallotBoxBuilderTests
{
    [Fact]
    public void A_million_identical_ballots_cost_one_group()
    {
        var builder = new BallotBoxBuilder(["A", "B", "C"]);
        for (int i = 0; i < 1_000; i++)
        {
            builder.Add([2, 0, 1], 1_000);
        }

        var box = builder.Build();

        Assert.Equal(1, box.GroupCount);
        Assert.Equal(1_000_000, box.VoterCount);
    }

    [Fact]
    public void Candidates_inside_a_tie_group_are_stored_in_one_order()
    {
        var builder = new BallotBoxBuilder(["A", "B", "C"]);
        builder.Add([1, 0, 2], [0, 0, 1], 1);
        builder.Add([0, 1, 2], [0, 0, 1], 1);

        var box = builder.Build();

        Assert.Equal(1, box.GroupCount);
        Assert.Equal(2, box.Count(0));
    }

    [Fact]
    public void A_ranking_and_a_tie_are_different_ballots()
    {
        var builder = new BallotBoxBuilder(["A", "B"]);
        builder.Add([0, 1], [0, 1], 1);
        builder.Add([0, 1], [0, 0], 1);

        Assert.Equal(2, builder.Build().GroupCount);
    }

    [Fact]
    public void A_candidate_twice_is_a_broken_precondition()
    {
        var builder = new BallotBoxBuilder(["A", "B"]);

        Assert.Throws<ArgumentException>(() => builder.Add([0, 0], 1));
        builder.Add([0, 1], 1); // the builder is still usable afterwards
        Assert.Equal(1, builder.Build().GroupCount);
    }
}
