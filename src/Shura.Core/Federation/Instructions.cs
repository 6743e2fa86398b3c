namespace Shura.Core.Federation;

/// <summary>
/// What a base council's instruction does in a federation (DESIGN §4), and what happens to a
/// delegate's ballots when they lose the seat that sent them there.
/// </summary>
public static class Instructions
{
    /// <summary>
    /// The ballots instructions cast on a federation motion open for voting: for each instructing
    /// council, its instructed ballot for each of its delegates sitting in the federation (only
    /// <paramref name="onlyCouncil"/>'s, or only <paramref name="onlyPerson"/>'s, when given).
    /// </summary>
    public static IEnumerable<Event> Cast(
        Motion federationMotion, IEnumerable<(CouncilId Council, MotionBallot Ballot)> instructions,
        IReadOnlyCollection<(AccountId Person, CouncilId Council)> delegates, DateTimeOffset now, CouncilId? onlyCouncil = null, AccountId? onlyPerson = null)
    {
        if (federationMotion is not { State: MotionState.Voting, Referred: false } || !federationMotion.IsOpenAt(now))
        {
            yield break;
        }
        foreach (var (council, instructed) in instructions)
        {
            if (onlyCouncil is { } only && council != only || instructed.Validate(federationMotion).Ballot is not { } ballot)
            {
                continue;
            }
            foreach (var (person, from) in delegates)
            {
                if (from == council && (onlyPerson is null || person == onlyPerson))
                {
                    yield return new BallotCast(federationMotion.Id, federationMotion.Council, person.ToString(), ballot);
                }
            }
        }
    }

    /// <summary>
    /// A delegate lost their seat (recalled, replaced, or gone from their council): their ballots on
    /// the federation's open motions stop counting at once — unless another seat still sends them.
    /// </summary>
    public static IEnumerable<Event> LostSeat(CouncilId federation, AccountId holder, bool stillSits, IEnumerable<MotionId> openMotionsWithTheirBallot) =>
        stillSits ? [] : openMotionsWithTheirBallot.Select(m => (Event)new BallotWithdrawn(m, federation, holder.ToString()));
}
