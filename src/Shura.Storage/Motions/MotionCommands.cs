using Shura.Core.Motions;
using Shura.Storage.Councils;

namespace Shura.Storage.Motions;

/// <summary>A ballot as acknowledged: the receipt is the hash of its log entry, which the voter can find in the log.</summary>
public sealed record BallotReceipt(string Receipt, MotionBallot Ballot);

/// <summary>The motion lifecycle and voting, each step one transaction with its log entries.</summary>
public static class MotionCommands
{
    public static Result<MotionId> Put(WriteSession s, CouncilId councilId, AccountId actor, MotionRequest request)
    {
        s.Lock(councilId);
        if (CouncilCommands.Load(s, councilId) is not { } council)
        {
            return Refusal.NotFound("This council");
        }
        var id = new MotionId(Guid.CreateVersion7(s.Now));
        var context = Context(s, council, request, actor);
        var verdict = Core.Motions.MotionRules.Put(id, request, VotingCouncil(council), actor, CouncilCommands.IsMember(s, councilId, actor),
            CouncilCommands.MemberCount(s, councilId), context, s.Now);
        return Append(s, verdict, id);
    }

    /// <summary>What the rules of putting a motion need to know from the store: what its subject names, looked up.</summary>
    private static MotionContext Context(WriteSession s, Core.Councils.Council council, MotionRequest request, AccountId actor)
    {
        var c = s.Connection;
        var t = s.Transaction;
        var context = new MotionContext
        {
            IsEligible = candidate => Guid.TryParse(candidate, out var person) && CouncilCommands.IsMember(s, council.Id, new AccountId(person)),
        };
        Core.Mandates.Mandate? MandateHere(MandateId id) => Membership.LoadMandate(c, t, id) is { } m && m.Council == council.Id ? m : null;
        Motion? OfAFederation(MotionId id, out bool member)
        {
            var motion = Load(s, id);
            member = motion is not null && Membership.FederationsOf(c, t, council.Id).Contains(motion.Council);
            return motion;
        }
        switch (request.ReadSubject().Value)
        {
            case MotionSubject.Repeal repeal:
                return context with { Target = Load(s, repeal.Target) };
            case MotionSubject.Election { Mandate: { } filled }:
                return context with { Mandate = MandateHere(filled) };
            case MotionSubject.Recall recall:
                var mandate = MandateHere(recall.Mandate);
                return context with
                {
                    Mandate = mandate,
                    HolderHoldsSeat = mandate is not null && Membership.Holders(c, t, mandate.Id).Any(x => x.Person == recall.Holder),
                };
            case MotionSubject.Federate { Federation: var f }:
                return context with
                {
                    FederationExists = f != council.Id && Membership.IsFederation(c, t, f)
                        // A members-only federation is there only for those who may read it — or, while it has no member council yet, for the first to join.
                        && (CouncilCommands.MayRead(s, f, actor) || Membership.MemberCouncils(c, t, f).Count == 0),
                    AlreadyFederated = Membership.FederationsOf(c, t, council.Id).Contains(f),
                    WouldCycle = Core.Federation.Federations.WouldCycle(council.Id, f, x => Membership.MemberCouncils(c, t, x)),
                };
            case MotionSubject.Secede { Federation: var leaving }:
                return context with { AlreadyFederated = Membership.FederationsOf(c, t, council.Id).Contains(leaving) };
            case MotionSubject.Instruction { FederationMotion: var instructed }:
                return context with { FederationMotion = OfAFederation(instructed, out bool instructedMember), IsMemberOfThatFederation = instructedMember };
            case MotionSubject.Referral { FederationMotion: var referred }:
                return context with { FederationMotion = OfAFederation(referred, out bool referredMember), IsMemberOfThatFederation = referredMember };
            case MotionSubject.Erase erase:
                return context with { Moderated = Moderation.ModerationCommands.Load(s, erase.Text) };
            default:
                return context;
        }
    }

    /// <summary>
    /// A federation's motions are voted on by delegates, whose ballots are always open to their base
    /// councils (DESIGN §2): voting there opens with open ballots whatever the federation's setting.
    /// </summary>
    internal static Core.Councils.Council VotingCouncil(Core.Councils.Council council) =>
        council.IsFederation ? council with { Settings = council.Settings with { SecretBallots = false } } : council;

    /// <summary>An election to a mandate takes nominations while it is proposed or in deliberation.</summary>
    public static Result<MotionId> Nominate(WriteSession s, MotionId id, AccountId actor, AccountId candidate) =>
        WithMotion(s, id, actor, (motion, isMember) =>
            Core.Motions.MotionRules.Nominate(motion, actor, isMember, candidate, CouncilCommands.IsMember(s, motion.Council, candidate),
                motion.Mandate is { } mandate && Membership.Holders(s.Connection, s.Transaction, mandate).Any(h => h.Person == candidate)));

    public static Result<MotionId> Propose(WriteSession s, MotionId id, AccountId actor) =>
        WithMotion(s, id, actor, (motion, isMember) =>
            isMember
                ? Core.Motions.MotionRules.Propose(motion, VotingCouncil(CouncilCommands.Load(s, motion.Council)!).Settings, actor, CouncilCommands.MemberCount(s, motion.Council), s.Now)
                : Refusal.Forbidden(Codes.NotAMember, "Only members can propose motions."));

    public static Result<MotionId> Support(WriteSession s, MotionId id, AccountId actor) =>
        WithMotion(s, id, actor, (motion, isMember) =>
        {
            bool supports = s.Scalar<long>("SELECT COUNT(*) FROM supports WHERE motion_id = @id AND account_id = @actor",
                new { id, actor }) > 0;
            var settings = VotingCouncil(CouncilCommands.Load(s, motion.Council)!).Settings;
            return Core.Motions.MotionRules.Support(motion, settings, actor, isMember, supports, CouncilCommands.MemberCount(s, motion.Council), s.Now);
        });

    /// <summary>A holder of a mandate with the schedule-motions power puts a proposal on the agenda.</summary>
    public static Result<MotionId> Schedule(WriteSession s, MotionId id, AccountId actor) =>
        WithMotion(s, id, actor, (motion, isMember) =>
        {
            // A power is held only by a member in a seat: a holder who left the council has neither.
            MandateId? through = !isMember ? null : s.Query<MandateId>("""
                SELECT m.id FROM mandates m JOIN holders h ON h.mandate_id = m.id
                WHERE m.council_id = @council AND h.person = @actor AND m.powers LIKE @power ORDER BY m.created_at
                """, new { council = motion.Council, actor, power = $"%\"{Core.Mandates.Powers.ScheduleMotions}\"%" }).Cast<MandateId?>().FirstOrDefault();
            var settings = VotingCouncil(CouncilCommands.Load(s, motion.Council)!).Settings;
            return Core.Motions.MotionRules.Schedule(motion, settings, actor, through,
                CouncilCommands.MemberCount(s, motion.Council), s.Now);
        });

    public static Result<int> Amend(WriteSession s, MotionId id, AccountId actor, string? text)
    {
        int number = 0;
        var result = WithMotion(s, id, actor, (motion, isMember) =>
        {
            number = (int)s.Scalar<long>("SELECT COUNT(*) FROM amendments WHERE motion_id = @id", new { id }) + 1;
            return Core.Motions.MotionRules.Amend(motion, actor, isMember, number, text);
        });
        return result.Refusal is { } refusal ? refusal : number;
    }

    /// <summary>A member puts a competing text to a decision in deliberation; answered with its number.</summary>
    public static Result<int> CounterPropose(WriteSession s, MotionId id, AccountId actor, string? text)
    {
        int number = 0;
        var result = WithMotion(s, id, actor, (motion, isMember) =>
        {
            number = (int)s.Scalar<long>("SELECT COUNT(*) FROM counter_proposals WHERE motion_id = @id", new { id }) + 1;
            return Core.Motions.MotionRules.CounterPropose(motion, actor, isMember, number, text);
        });
        return result.Refusal is { } refusal ? refusal : number;
    }

    public static Result<MotionId> Adopt(WriteSession s, MotionId id, AccountId actor, int number) =>
        WithMotion(s, id, actor, (motion, _) =>
        {
            bool exists = s.Scalar<long>("SELECT COUNT(*) FROM amendments WHERE motion_id = @id AND number = @number",
                new { id, number }) > 0;
            return Core.Motions.MotionRules.Adopt(motion, actor, number, exists);
        });

    public static Result<BallotReceipt> Cast(WriteSession s, MotionId id, AccountId actor, MotionBallot ballot)
    {
        BallotCast? cast = null;
        var result = WithMotion(s, id, actor, (motion, isMember) =>
        {
            isMember = MayVote(s, motion, actor, isMember);
            if (isMember && Unverified(s, motion.Council, actor))
            {
                return Refusal.Forbidden(Codes.EmailNotVerified, "This council lets only members with a verified e-mail address vote: verify yours from your account page.");
            }
            var verdict = Core.Motions.MotionRules.Cast(motion, actor, isMember, Core.Motions.MotionRules.Voter(motion, actor, s.PseudonymKey), ballot, s.Now,
                isMember ? InstructedBallot(s, motion, actor) : null);
            cast = verdict.Events.OfType<BallotCast>().FirstOrDefault();
            return verdict;
        }, out var entries);
        return result.Refusal is { } refusal ? refusal : new BallotReceipt(entries[0].Hash, cast!.Ballot);
    }

    /// <summary>What casting or withdrawing a ballot reads, said before its batch runs (<see cref="WriteSession.Prime"/>).</summary>
    public static void Wants(WriteSession s, MotionId id, AccountId actor) => s.Want(id, actor);

    public static Result<MotionId> Withdraw(WriteSession s, MotionId id, AccountId actor) =>
        WithMotion(s, id, actor, (motion, isMember) =>
        {
            isMember = MayVote(s, motion, actor, isMember);
            string voter = Core.Motions.MotionRules.Voter(motion, actor, s.PseudonymKey);
            bool hasBallot = s.Scalar<long>("SELECT COUNT(*) FROM ballots WHERE motion_id = @id AND voter = @voter",
                new { id, voter }) > 0;
            return Core.Motions.MotionRules.Withdraw(motion, isMember, voter, hasBallot, s.Now, isMember && InstructedBallot(s, motion, actor) is not null);
        });

    /// <summary>Whether the council lets only verified members vote (its setting verifiedVoters) and this person's address is not verified.</summary>
    internal static bool Unverified(WriteSession s, CouncilId council, AccountId actor)
    {
        var found = s.Query<(string Settings, string? Verified)>(
            "SELECT c.settings, a.email_verified_at FROM councils c JOIN accounts a ON a.id = @actor WHERE c.id = @council", new { council, actor }).ToList();
        return found.Count == 1 && found[0].Verified is null && Projector.FromJson<Core.Councils.CouncilSettings>(found[0].Settings).VerifiedVoters;
    }

    /// <summary>Who votes on a motion: the members; in a federation the delegates, or after a referral every base member.</summary>
    private static bool MayVote(WriteSession s, Motion motion, AccountId actor, bool isMember) =>
        motion.Referred ? Membership.IsBasePerson(s.Connection, s.Transaction, motion.Council, actor) : isMember;

    /// <summary>The ballot an active instruction of the delegate's council requires on this federation motion, if any (only a federation's motions have instructions).</summary>
    private static MotionBallot? InstructedBallot(WriteSession s, Motion motion, AccountId delegatePerson) =>
        motion.Referred || !s.IsFederation(motion.Council) ? null : s.Scalar<string>("""
            SELECT i.ballot FROM instructions i
            JOIN mandates m ON m.council_id = i.council_id AND m.federation = @federation
            JOIN holders h ON h.mandate_id = m.id AND h.person = @person
            WHERE i.federation_motion = @motion AND i.active = 1
            """, new { federation = motion.Council, person = delegatePerson, motion = motion.Id }) is string json
            ? Projector.FromJson<MotionBallot>(json)
            : null;

    /// <summary>
    /// Motions whose deadline has passed, the earliest first: deliberation due to end, or voting due
    /// to close. Those in <paramref name="skip"/> (waiting to be retried after a failure) are left
    /// out, so a motion that cannot be closed never holds up the ones behind it.
    /// </summary>
    public static IReadOnlyList<MotionId> Due(WriteSession s, IReadOnlyCollection<MotionId> skip, int max = 100)
    {
        var skipped = skip.ToHashSet();
        return [.. s.Query<MotionId>("""
            SELECT id FROM motions
            WHERE (state = 'deliberation' AND deliberation_ends_at <= @now) OR (state = 'voting' AND voting_ends_at <= @now)
            ORDER BY COALESCE(voting_ends_at, deliberation_ends_at), id LIMIT @limit
            """, new { now = s.Time, limit = max + skipped.Count })
            .Where(id => !skipped.Contains(id)).Take(max)];
    }

    /// <summary>
    /// Moves one motion on if its deadline has passed: deliberation to voting, voting to its result.
    /// The motion is re-read under its council's lock, so it moves exactly once even when several
    /// server processes share one database. False when there was nothing (left) to do.
    /// </summary>
    public static bool MoveOn(WriteSession s, MotionId id)
    {
        if (s.CouncilOf(id) is not { } councilId)
        {
            return false;
        }
        s.Lock(councilId);
        var motion = Load(s, id)!;
        var council = CouncilCommands.Load(s, motion.Council)!;
        Verdict verdict = motion.State switch
        {
            MotionState.Deliberation => Core.Motions.MotionRules.Advance(motion, VotingCouncil(council).Settings, s.Now),
            MotionState.Voting => Close(s, motion),
            _ => Refusal.Conflict(Codes.NothingDue, "Already moved on."),
        };
        if (!verdict.IsAccepted)
        {
            return false;
        }
        s.Append(verdict);
        return true;
    }

    /// <summary>Moves on every motion that is due (tests and tools; the deadline service takes them one at a time).</summary>
    public static IReadOnlyList<MotionId> AdvanceDue(WriteSession s, int max = 100) =>
        [.. Due(s, [], max).Where(id => MoveOn(s, id))];

    private static Verdict Close(WriteSession s, Motion motion)
    {
        var c = s.Connection;
        var t = s.Transaction;
        var council = CouncilCommands.Load(s, motion.Council)!;
        var counted = Counting.For(c, t, motion, council, s.PseudonymKey);
        var mandate = motion.Mandate is { } m ? Membership.LoadMandate(c, t, m) : null;
        var federationMotion = motion.FederationMotion is { } fm ? Load(s, fm) : null;
        var context = new CloseContext
        {
            Target = motion.Subject is MotionSubject.Repeal repeal ? Load(s, repeal.Target) : null,
            ApplicantNameHash = motion.Subject is MotionSubject.Admission admission ? CouncilCommands.NameInLog(s, admission.Applicant) : "",
            IsMember = person => CouncilCommands.IsMember(s, motion.Council, person),
            Settings = council.Settings,
            Mandate = mandate is null ? null : Seated(s, mandate),
            Holders = mandate is null ? [] : [.. Membership.Holders(c, t, mandate.Id).Select(h => h.Person)],
            WouldCycle = motion.Subject is MotionSubject.Federate joining && Core.Federation.Federations.WouldCycle(motion.Council, joining.Federation, x => Membership.MemberCouncils(c, t, x)),
            AlreadyFederated = motion.Subject switch { MotionSubject.Federate f => f.Federation, MotionSubject.Secede l => l.Federation, _ => (CouncilId?)null } is { } named
                && Membership.FederationsOf(c, t, motion.Council).Contains(named),
            FederationMotionOpen = federationMotion is { State: MotionState.Voting } && (motion.Kind == MotionKind.Instruction || !federationMotion.Referred),
            FederationOfMotion = federationMotion?.Council,
            Weight = Membership.Weight(c, t, motion.Council),
            TotalWeight = federationMotion is null ? 0 : Membership.MemberCouncils(c, t, federationMotion.Council).Sum(x => Membership.Weight(c, t, x)),
        };
        return Core.Motions.MotionRules.Close(motion, counted.Weighted, counted.Electorate, counted.Seed, context, s.Now);
    }

    /// <summary>A delegate mandate's seats follow its council's size (one per started block of the federation's ratio).</summary>
    internal static Core.Mandates.Mandate Seated(WriteSession s, Core.Mandates.Mandate mandate)
    {
        if (mandate.Kind != Core.Mandates.MandateKind.Delegate || mandate.Federation is not { } federation)
        {
            return mandate;
        }
        var settings = CouncilCommands.Load(s, federation)!.Settings;
        return mandate with { Seats = Membership.Seats(s.Connection, s.Transaction, mandate.Council, settings) };
    }

    /// <summary>The earliest deadline still ahead, so the deadline service knows when to wake.</summary>
    /// <param name="skip">Ids of motions and mandates whose work waits for a retry: their deadlines do not count.</param>
    public static DateTimeOffset? NextDeadline(WriteSession s, IReadOnlyCollection<Guid>? skip = null)
    {
        var ids = (skip ?? []).Select(g => g.ToString()).ToArray();
        string notSkipped = $"NOT ({s.Database.OneOf("id", "@ids")})";
        string? next = s.Scalar<string>($"""
            SELECT MIN(t) FROM (
                SELECT deliberation_ends_at AS t FROM motions WHERE state = 'deliberation' AND {notSkipped}
                UNION ALL SELECT voting_ends_at AS t FROM motions WHERE state = 'voting' AND {notSkipped}
                UNION ALL SELECT settles_at AS t FROM mandates WHERE settles_at IS NOT NULL AND {notSkipped}) AS deadlines
            """, new { ids });
        return next is null ? null : WriteSession.Parse(next);
    }

    internal static IReadOnlyList<Motion> OpenMotions(WriteSession s, CouncilId council) =>
        [.. s.Query<Rows.MotionRow>($"SELECT {Rows.MotionColumns} FROM motions WHERE council_id = @council AND state = 'voting'",
            new { council }).Select(r => r.ToMotion())];

    internal static Motion? Load(WriteSession s, MotionId id) =>
        s.Single<Rows.MotionRow>($"SELECT {Rows.MotionColumns} FROM motions WHERE id = @id", new { id })?.ToMotion();

    private static Result<MotionId> WithMotion(WriteSession s, MotionId id, AccountId actor, Func<Motion, bool, Verdict> decide) =>
        WithMotion(s, id, actor, decide, out _);

    private static Result<MotionId> WithMotion(
        WriteSession s, MotionId id, AccountId actor, Func<Motion, bool, Verdict> decide, out IReadOnlyList<Core.Log.LogEntry> entries)
    {
        entries = [];
        if (s.CouncilOf(id) is not { } council)
        {
            return Refusal.NotFound("This motion");
        }
        // Lock first, then read what the decision rests on (see WriteSession.Lock).
        s.Lock(council);
        var (motion, isMember) = s.IsFederation(council)
            ? (Load(s, id)!, Membership.IsMember(s.Connection, s.Transaction, council, actor, federation: true))
            : s.MotionAndMember(id, actor);
        var verdict = decide(motion, isMember);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        entries = s.Append(verdict);
        return id;
    }

    private static Result<MotionId> Append(WriteSession s, Verdict verdict, MotionId id)
    {
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        s.Append(verdict);
        return id;
    }
}
