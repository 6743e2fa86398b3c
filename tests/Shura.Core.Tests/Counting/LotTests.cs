using Shura.Core.Counting;

namespace Shura.Core.Tests.Counting;

public class LotTests
{
    [Fact]
    public void The_lot_orders_candidates_by_the_SHA_256_of_seed_and_position()
    {
        // Computed independently with: printf '%s' 'council-7/N' | sha256sum, for N = 1..4,
        // sorted by digest: 2 (41e0…), 4 (62f7…), 1 (9ff8…), 3 (a516…).
        var lot = new Lot("council-7", 4);

        Assert.Equal([1, 3, 0, 2], lot.Order);
    }

    [Fact]
    public void The_same_seed_draws_the_same_lot()
    {
        Assert.Equal(new Lot("abc", 30).Order, new Lot("abc", 30).Order);
    }

    [Fact]
    public void Another_seed_draws_another_lot()
    {
        Assert.NotEqual(new Lot("abc", 30).Order, new Lot("abd", 30).Order);
    }

    [Fact]
    public void The_favoured_candidate_is_first_in_lot_order_and_the_disfavoured_last()
    {
        var lot = new Lot("council-7", 4);

        Assert.Equal(1, lot.Favoured([0, 1, 2]));
        Assert.Equal(2, lot.Disfavoured([0, 1, 2]));
    }
}
