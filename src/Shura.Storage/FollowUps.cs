using Dapper;
using Shura.Core.Mandates;
using Shura.Core.Motions;
using Shura.Storage.Councils;
using Shura.Storage.Motions;

namespace Shura.Storage;

/// <summary>
/// What some events set in motion at once, in the same transaction, so the log tells it in order:
/// <list type="bullet">
/// <item>a recall withdraws the holder's open ballots in the federation (if the seat was a delegate's)
/// and opens a by-election for the vacant seats (DESIGN §3); any other lost seat withdraws them too,
/// and a seat left by a holder who left the council opens a by-election as well (DESIGN §2); a
/// council leaving a federation withdraws its delegates' open ballots there;</item>
/// <item>a member joining or leaving moves the electorate, which can settle a continuous election;
/// a person becoming a member ends their applications still before the members;</item>
/// <item>a council turning to secret ballots ends the delegations to members who are not public delegates;</item>
/// <item>an instruction — and voting opening on an instructed motion, and a new delegate taking a
/// seat — casts the instructed ballot for each of the council's delegates (DESIGN §4);</item>
/// <item>a referral demand that brings the demanding councils to a third of the federation's weight
/// sends the decision to a direct vote of every base member.</item>
/// </list>
/// </summary>
internal static class FollowUps
{
    public static void After(WriteSession s, IReadOnlyList<Event> events)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case HolderRecalled recalled:
                    WithdrawFederationBallots(s, recalled.Mandate, recalled.Holder);
                    OpenByElection(s, recalled.Mandate);
                    break;
                case InstructionGiven instruction:
                    CastInstructed(s, instruction.FederationMotion, onlyCouncil: instruction.CouncilId, onlyPerson: null);
                    break;
                case VotingStarted voting when Membership.IsFederation(s.Connection, s.Transaction, voting.CouncilId):
                    CastInstructed(s, voting.Motion, onlyCouncil: null, onlyPerson: null);
                    break;
                case SeatFilled filled:
                    var mandate = Membership.LoadMandate(s.Connection, s.Transaction, filled.Mandate);
                    if (mandate?.Federation is { } federation)
                    {
                        foreach (var motion in s.Query<MotionId>("SELECT id FROM motions WHERE council_id = @f AND state = 'voting' AND referred = 0",
                            new { f = federation }))
                        {
                            CastInstructed(s, motion, onlyCouncil: mandate.Council, onlyPerson: filled.Holder);
                        }
                    }
                    break;
                case CouncilSeceded seceded:
                    foreach (var holder in s.Query<Core.AccountId>("""
                        SELECT DISTINCT h.person FROM holders h JOIN mandates m ON m.id = h.mandate_id
                        WHERE m.council_id = @member AND m.federation = @federation ORDER BY h.person
                        """, new { member = seceded.Member, federation = seceded.Federation }))
                    {
                        WithdrawFederationBallots(s, seceded.Federation, holder);
                    }
                    break;
                case ReferralDemanded demanded:
                    AfterDemand(s, demanded);
                    break;
                case SeatVacated vacated:
                    WithdrawFederationBallots(s, vacated.Mandate, vacated.Holder);
                    if (vacated.Election is null)
                    {
                        OpenByElection(s, vacated.Mandate);
                    }
                    break;
                case Core.Councils.MemberJoined joined:
                    Mandates.MandateCommands.SettleCouncil(s, joined.CouncilId);
                    EndApplications(s, joined);
                    break;
                case Core.Councils.MemberLeft left:
                    Mandates.MandateCommands.SettleCouncil(s, left.CouncilId);
                    break;
                case Core.Councils.SettingsChanged changed when changed.Settings.SecretBallots:
                    Delegation.DelegationCommands.AfterSecrecy(s, changed.CouncilId);
                    break;
            }
        }
    }

    /// <summary>
    /// Seats fell vacant (a recall, or a holder who left the council): a by-election opens at once,
    /// unless one is open already. A continuously elected mandate needs none: its standing ballots
    /// fill the seat.
    /// </summary>
    private static void OpenByElection(WriteSession s, MandateId id)
    {
        var c = s.Connection;
        var t = s.Transaction;
        var mandate = Membership.LoadMandate(c, t, id)!;
        if (mandate.Continuous)
        {
            return;
        }
        var seated = MotionCommands.Seated(s, mandate);
        int vacant = seated.Seats - Membership.Holders(c, t, mandate.Id).Count;
        bool byElectionOpen = s.Scalar<long>("""
            SELECT COUNT(*) FROM motions WHERE mandate = @mandate AND by_election = 1 AND state IN ('proposed', 'deliberation', 'voting')
            """, new { mandate = mandate.Id }) > 0;
        if (vacant > 0 && !byElectionOpen)
        {
            var settings = CouncilCommands.Load(s, mandate.Council)!.Settings;
            s.Append(Verdict.Accept(Core.Motions.MotionRules.ByElection(new MotionId(Guid.CreateVersion7(s.Now)), seated, vacant, settings, s.Now)));
        }
    }

    /// <summary>A person became a member: their applications to the council lapse (nothing is left to decide).</summary>
    private static void EndApplications(WriteSession s, Core.Councils.MemberJoined joined)
    {
        var applications = s.Query<Rows.MotionRow>($"""
            SELECT {Rows.MotionColumns} FROM motions
            WHERE council_id = @council AND kind = 'admission' AND applicant = @person AND state IN ('draft', 'proposed', 'deliberation', 'voting')
            """, new { council = joined.CouncilId, person = joined.Member }).Select(r => r.ToMotion()).ToList();
        var events = Core.Motions.MotionRules.EndApplications(applications, joined.Member).ToList();
        if (events.Count > 0)
        {
            s.Append(Verdict.Accept(events));
        }
    }

    /// <summary>
    /// A delegate who lost their seat (recalled, replaced, or gone from the council): their open
    /// ballots in the federation stop counting at once — unless another seat still sends them there.
    /// </summary>
    private static void WithdrawFederationBallots(WriteSession s, MandateId mandateId, AccountId holder)
    {
        if (Membership.LoadMandate(s.Connection, s.Transaction, mandateId)?.Federation is { } federation)
        {
            WithdrawFederationBallots(s, federation, holder);
        }
    }

    /// <summary>A delegate who no longer sits for a council in <paramref name="federation"/> (it left): the same.</summary>
    private static void WithdrawFederationBallots(WriteSession s, Core.CouncilId federation, AccountId holder)
    {
        s.Lock(federation);
        bool stillSits = Membership.Delegates(s.Connection, s.Transaction, federation).Any(d => d.Person == holder);
        var open = s.Query<MotionId>("""
            SELECT b.motion_id FROM ballots b JOIN motions m ON m.id = b.motion_id
            WHERE m.council_id = @federation AND m.state = 'voting' AND m.referred = 0 AND b.voter = @voter
            """, new { federation, voter = holder }).ToList();
        var events = Core.Federation.Instructions.LostSeat(federation, holder, stillSits, open).ToList();
        if (events.Count > 0)
        {
            s.Append(Verdict.Accept(events));
        }
    }

    /// <summary>Casts instructed ballots on a federation motion for the delegates of the instructing councils.</summary>
    private static void CastInstructed(WriteSession s, MotionId federationMotion, CouncilId? onlyCouncil, AccountId? onlyPerson)
    {
        if (MotionCommands.Load(s, federationMotion) is not { } motion)
        {
            return;
        }
        s.Lock(motion.Council);
        var instructions = s.Query<(CouncilId Council, string Ballot)>(
            "SELECT council_id, ballot FROM instructions WHERE federation_motion = @id AND active = 1", new { id = motion.Id })
            .Select(i => (i.Council, Projector.FromJson<MotionBallot>(i.Ballot)));
        var events = Core.Federation.Instructions.Cast(motion, instructions, Membership.Delegates(s.Connection, s.Transaction, motion.Council), s.Now, onlyCouncil, onlyPerson).ToList();
        if (events.Count > 0)
        {
            s.Append(Verdict.Accept(events));
        }
    }

    private static void AfterDemand(WriteSession s, ReferralDemanded demanded)
    {
        var c = s.Connection;
        var t = s.Transaction;
        var motion = MotionCommands.Load(s, demanded.FederationMotion);
        if (motion is not { State: MotionState.Voting, Referred: false })
        {
            return;
        }
        var demanders = s.Query<CouncilId>("SELECT council_id FROM referral_demands WHERE federation_motion = @id", new { id = motion.Id })
            ;
        var members = Membership.MemberCouncils(c, t, demanded.Federation);
        long demanding = demanders.Where(members.Contains).Sum(x => Membership.Weight(c, t, x));
        long total = members.Sum(x => Membership.Weight(c, t, x));
        if (Core.Federation.Federations.ShouldRefer(demanding, total))
        {
            var settings = CouncilCommands.Load(s, demanded.Federation)!.Settings;
            s.Append(Verdict.Accept(new MotionReferred(demanded.Federation, motion.Id, s.Now + settings.VotingPeriod, settings.SecretBallots)));
        }
    }
}
