using Shura.Core.Federation;

namespace Shura.Core.Tests.Federation;

/// <summary>
/// A person may hold seats for two member councils of one federation (someone who belongs to both).
/// Their one ballot then carries both seats — and the live count, the close and the replay list the
/// delegates in different orders, so the weights must not depend on the order.
/// </summary>
public class DelegateWeightsTests
{
    private static readonly CouncilId Narmak = new(Guid.Parse("00000000-0000-0000-0000-00000000000a"));
    private static readonly CouncilId Tajrish = new(Guid.Parse("00000000-0000-0000-0000-00000000000b"));
    private static readonly AccountId Leyla = new(Guid.Parse("00000000-0000-0000-0000-000000000001"));
    private static readonly AccountId Sam = new(Guid.Parse("00000000-0000-0000-0000-000000000002"));

    // Narmak: 300 members, 3 seats; Tajrish: 100 members, 1 seat. Weighted, each seat carries 100
    // members, counted in thirds (the least common multiple of the seats) so it stays whole: 300.
    private static readonly (CouncilId, long, int)[] Councils = [(Narmak, 300, 3), (Tajrish, 100, 1)];

    private static readonly (AccountId, CouncilId)[] Seats = [(Leyla, Narmak), (Sam, Narmak), (Leyla, Tajrish)];

    [Theory]
    [InlineData(false, 2, 1, 4)]
    [InlineData(true, 600, 300, 1200)]
    public void A_person_holding_seats_for_two_councils_carries_both_in_any_order(bool weighted, long leyla, long sam, long electorate)
    {
        var forward = Federations.DelegateWeights(Councils, Seats, weighted);
        var backward = Federations.DelegateWeights(Councils, Seats.Reverse(), weighted);

        Assert.Equal(leyla, forward.Weights[Leyla]);
        Assert.Equal(sam, forward.Weights[Sam]);
        Assert.Equal(electorate, forward.Electorate);
        Assert.Equal(forward.Weights.OrderBy(w => w.Key.Value), backward.Weights.OrderBy(w => w.Key.Value));
    }
}
