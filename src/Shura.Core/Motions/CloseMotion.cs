namespace Shura.Core.Motions;

public static partial class MotionRules
{
    /// <summary>What a passing deadline does: deliberation ends and voting opens. Closing is <see cref="Close"/>.</summary>
    public static Verdict Advance(Motion motion, CouncilSettings settings, DateTimeOffset now)
    {
        if (motion.State == MotionState.Deliberation && motion.DeliberationEndsAt <= now)
        {
            return Verdict.Accept(StartVoting(motion, settings, now, settings.VotingPeriod, "clock"));
        }
        return Refusal.Conflict(Codes.NothingDue, "No deadline of this motion has passed.");
    }

    /// <summary>
    /// Voting has ended: the result is fixed from the current ballots. A passed decision comes into
    /// force (and does what it says: lifts the repealed motion, changes the settings, admits the
    /// applicant); a choice or election is decided; anything else is rejected.
    /// </summary>
    /// <param name="ballots">The ballots that count, each with its weight (1 unless delegation or weighted federation voting applies).</param>
    public static Verdict Close(
        Motion motion, IReadOnlyCollection<(MotionBallot Ballot, long Weight)> ballots, long electorate, string seed, CloseContext context,
        DateTimeOffset now)
    {
        var target = context.Target;
        if (motion.State != MotionState.Voting || motion.VotingEndsAt > now)
        {
            return Refusal.Conflict(Codes.NotDue, "Voting on this motion has not ended.");
        }
        var counted = Counted(motion, context.IsMember, context.Holders);
        var result = MotionTally.Count(counted, ballots, electorate, seed, final: true);
        var outcome = !result.Passed ? MotionState.Rejected : motion.ComesIntoForce ? MotionState.InForce : MotionState.Decided;
        var events = new List<Event> { new MotionClosed(motion.Id, motion.Council, outcome, electorate, seed, result.Write()) };
        if (outcome == MotionState.InForce)
        {
            switch (motion.Subject)
            {
                case MotionSubject.Repeal when target is { State: MotionState.InForce }:
                    events.Add(new MotionRepealed(target.Id, motion.Council, motion.Id));
                    break;
                case MotionSubject.Settings settings:
                    // Only what the motion names changes, over the settings in force now (DESIGN §2).
                    events.Add(new SettingsChanged(motion.Council, settings.Apply(context.Settings), motion.Id));
                    break;
                case MotionSubject.Admission admission when !context.IsMember(admission.Applicant):
                    events.Add(new MemberJoined(motion.Council, admission.Applicant, null, JoinedBy.Admission) { NameHash = context.ApplicantNameHash });
                    break;
                case MotionSubject.Recall recall when context.Mandate is { } mandate && context.Holders.Contains(recall.Holder):
                    events.Add(new Mandates.HolderRecalled(mandate.Id, mandate.Council, recall.Holder, Mandates.RecallCause.Motion, 0, electorate));
                    break;
                case MotionSubject.Federate federate when !context.WouldCycle && !context.AlreadyFederated:
                    events.Add(new CouncilFederated(federate.Federation, motion.Council, motion.Id));
                    break;
                case MotionSubject.Secede secede when context.AlreadyFederated:
                    events.Add(new CouncilSeceded(secede.Federation, motion.Council, motion.Id));
                    break;
                case MotionSubject.Instruction instruction when context.FederationMotionOpen:
                    events.Add(new InstructionGiven(motion.Council, instruction.FederationMotion, instruction.Ballot, motion.Id));
                    break;
                case MotionSubject.Referral referral when context.FederationMotionOpen:
                    events.Add(new ReferralDemanded(context.FederationOfMotion!.Value, referral.FederationMotion, motion.Council, context.Weight, context.TotalWeight));
                    break;
                case MotionSubject.Erase erase:
                    events.Add(new Moderation.TextErased(motion.Council, erase.Text, motion.Id));
                    break;
            }
        }
        if (outcome == MotionState.Rejected && motion.Subject is MotionSubject.Hide hide)
        {
            // The members did not keep it hidden: it shows again.
            events.Add(new Moderation.TextRestored(motion.Council, hide.Text, motion.Id));
        }
        if (outcome == MotionState.Decided && motion.Kind == MotionKind.Election && context.Mandate is { } filled)
        {
            var winners = result.Winners.Select(w => new AccountId(Guid.Parse(w))).ToList();
            events.AddRange(Mandates.MandateRules.Fill(filled, motion.Id, motion.ByElection, context.Holders, winners));
        }
        return Verdict.Accept(events);
    }

    /// <summary>How a by-election's title begins in the log; the pages say it in the reader's language.</summary>
    public const string ByElectionTitle = "By-election: ";

    /// <summary>
    /// A recall, or a holder leaving the council, left seats vacant: a by-election opens at once. It takes nominations until the end of
    /// its nomination period (the council's deliberation period, at least an hour), then votes for
    /// the vacant seats. No support is needed: the seats must be filled.
    /// </summary>
    public static IEnumerable<Event> ByElection(MotionId id, Mandates.Mandate mandate, int vacant, CouncilSettings settings, DateTimeOffset now)
    {
        var put = MotionPut.Of(id, mandate.Council, AccountId.TheCouncil, new MotionSubject.Election(mandate.Id, ByElection: true), ByElectionTitle + mandate.Name,
            $"{vacant} seat{(vacant == 1 ? " of " + mandate.Name + " is" : "s of " + mandate.Name + " are")} vacant until this election is decided.",
            [], vacant == 1 ? Counting.TallyMethod.Irv : Counting.TallyMethod.Stv, vacant, Counting.Threshold.Simple, urgent: false, draft: false);
        yield return put;
        var nominations = settings.DeliberationPeriod < TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : settings.DeliberationPeriod;
        yield return new DeliberationStarted(id, mandate.Council, now + nominations, "clock");
    }

    /// <summary>
    /// The motion as its count takes it. An election to a mandate counts only the candidates who may
    /// take a seat when it closes: members of the council and, in a by-election, not holding a seat of
    /// the mandate already (a by-election fills vacant seats). A candidate who left is passed over,
    /// and the ballots that ranked them go on to their next choice. Other motions count as they are.
    /// </summary>
    public static Motion Counted(Motion motion, Func<AccountId, bool> isMember, IReadOnlyCollection<AccountId> holders)
    {
        if (motion.Kind != MotionKind.Election || motion.Mandate is null)
        {
            return motion;
        }
        bool MayStand(string option) =>
            Guid.TryParse(option, out var id) && isMember(new AccountId(id)) && !(motion.ByElection && holders.Contains(new AccountId(id)));
        return motion.Options.All(MayStand) ? motion : motion with { Options = [.. motion.Options.Where(MayStand)] };
    }

    /// <summary>
    /// During an election's deliberation, members put candidates forward (themselves or others who
    /// are members). A holder of the mandate does not stand in its by-election: they have a seat.
    /// </summary>
    public static Verdict Nominate(Motion motion, AccountId actor, bool isMember, AccountId candidate, bool candidateIsMember, bool candidateHoldsSeat = false)
    {
        if (!isMember)
        {
            return Refusal.Forbidden(Codes.NotAMember, "Only members can nominate candidates.");
        }
        if (motion.Kind != MotionKind.Election || motion.Mandate is null)
        {
            return Refusal.Conflict(Codes.NotAnElection, "Candidates are nominated for elections to a mandate.");
        }
        if (motion.State is not (MotionState.Proposed or MotionState.Deliberation))
        {
            return Refusal.Conflict(Codes.NominationsClosed, "Nominations close when voting opens.");
        }
        if (!candidateIsMember)
        {
            return Refusal.Unprocessable(Codes.NotEligible, "Candidates are members of the council.", "candidate");
        }
        if (motion.Options.Contains(candidate.ToString()))
        {
            return Refusal.Conflict(Codes.AlreadyNominated, "This person is a candidate already.");
        }
        if (motion.ByElection && candidateHoldsSeat)
        {
            return Refusal.Conflict(Codes.HoldsSeat, "This person holds a seat of this mandate already; a by-election fills the vacant seats.");
        }
        return Verdict.Accept(new CandidateNominated(motion.Id, motion.Council, candidate, actor));
    }
}

/// <summary>What the store knows that closing a motion needs.</summary>
public sealed record CloseContext
{
    public static readonly CloseContext None = new();

    /// <summary>For a repeal: the motion it lifts, as it is now.</summary>
    public Motion? Target { get; init; }

    /// <summary>The applicant's name as the log holds it: sealed (<see cref="Accounts.AccountRegistered.NameHash"/>).</summary>
    public string ApplicantNameHash { get; init; } = "";

    /// <summary>The council's settings in force now: a settings motion's changes are laid over them.</summary>
    public CouncilSettings Settings { get; init; } = CouncilSettings.Default;

    /// <summary>Whether a person is a member of the motion's council now: an applicant who is one already is not admitted twice, and candidates who are not one are passed over.</summary>
    public Func<AccountId, bool> IsMember { get; init; } = _ => false;

    /// <summary>For an election or a recall: the mandate, and who holds its seats now.</summary>
    public Mandates.Mandate? Mandate { get; init; }

    public IReadOnlyList<AccountId> Holders { get; init; } = [];

    public bool WouldCycle { get; init; }

    public bool AlreadyFederated { get; init; }

    /// <summary>For an instruction or a referral: whether the federation's motion is still open.</summary>
    public bool FederationMotionOpen { get; init; }

    public CouncilId? FederationOfMotion { get; init; }

    /// <summary>For a referral: the weight of this council in the federation, and the federation's total.</summary>
    public long Weight { get; init; }

    public long TotalWeight { get; init; }
}
