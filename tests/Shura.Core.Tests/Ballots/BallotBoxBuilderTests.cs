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

    [Fact]
    public void Joined_parts_give_the_box_of_one_builder_fed_everything_in_order()
    {
        // Three parts sharing some ballots; ties appear only in the second part, and the third
        // repeats a ballot first seen in the second, so it must join the group made there.
        (ushort[] Ranking, ushort[] Ranks, int Count)[][] parts =
        [
            [([0, 1, 2], [0, 1, 2], 1), ([2, 1], [0, 1], 2), ([1, 0, 2], [0, 1, 2], 1)],
            [([2, 1], [0, 1], 5), ([1, 0, 2], [0, 0, 1], 3), ([0, 2, 1], [0, 1, 2], 1), ([1, 0, 2], [0, 1, 2], 4)],
            [([0, 1, 2], [0, 0, 1], 2), ([0, 2, 1], [0, 1, 2], 7), ([2], [0], 1), ([0, 1, 2], [0, 1, 2], 1)],
        ];
        var whole = new BallotBoxBuilder(["A", "B", "C"]);
        var builders = new List<BallotBoxBuilder>();
        foreach (var part in parts)
        {
            var builder = new BallotBoxBuilder(["A", "B", "C"], groups: 2, entries: 4);
            foreach (var (ranking, ranks, count) in part)
            {
                whole.Add(ranking, ranks, count);
                builder.Add(ranking, ranks, count);
            }
            builders.Add(builder);
        }

        var expected = whole.Build();
        var joined = BallotBoxBuilder.Join(builders);

        Assert.Equal(6, expected.GroupCount); // "{B,A},C" and "{A,B},C" are one ballot
        Assert.Equal(expected.GroupCount, joined.GroupCount);
        Assert.True(joined.HasTies);
        for (int g = 0; g < expected.GroupCount; g++)
        {
            Assert.Equal(expected.Count(g), joined.Count(g));
            Assert.Equal(expected.Ranking(g).ToArray(), joined.Ranking(g).ToArray());
            Assert.Equal(expected.Ranks(g).ToArray(), joined.Ranks(g).ToArray());
        }
    }
}
