namespace Shura.Core.Motions;

/// <summary>
/// What a motion is about, one case per kind, each carrying exactly what its kind needs and nothing
/// else: a recall always names a mandate and a holder, a repeal the decision it lifts. The kind of a
/// motion is its subject's kind, so the two cannot disagree. The log keeps its flat fields
/// (<see cref="MotionPut"/>); <see cref="FromFields"/> and <see cref="MotionPut.Of"/> map between them.
/// </summary>
public abstract record MotionSubject
{
    private protected MotionSubject()
    {
    }

    public abstract MotionKind Kind { get; }

    /// <summary>The checks that belong to this kind alone, against what the store knows (<paramref name="context"/>).</summary>
    internal virtual Refusal? Check(Council council, MotionContext context) => null;

    /// <summary>Yes / no / abstain on the motion's text, and nothing happens by itself when it passes.</summary>
    public sealed record Decision : MotionSubject
    {
        public static readonly Decision Plain = new();

        public override MotionKind Kind => MotionKind.Decision;
    }

    /// <summary>Pick among options with a counting method.</summary>
    public sealed record Choice : MotionSubject
    {
        public static readonly Choice Plain = new();

        public override MotionKind Kind => MotionKind.Choice;
    }

    /// <summary>Fill seats among candidates; with a mandate, its seats (a by-election fills only the vacant ones).</summary>
    public sealed record Election(MandateId? Mandate = null, bool ByElection = false) : MotionSubject
    {
        public override MotionKind Kind => MotionKind.Election;

        /// <summary>The seats an election to the mandate fills: the mandate's, never more than there are candidates.</summary>
        internal Result<int> Seats(int? asked, IReadOnlyList<string> candidates, MotionContext context)
        {
            if (context.Mandate is not { } mandate)
            {
                return Refusal.Unprocessable(Codes.UnknownMandate, "The mandate to fill does not exist in this council.", "mandate");
            }
            if (mandate.Continuous)
            {
                return Refusal.Conflict(Codes.ContinuousElection, "This mandate is held by continuous election: its holders follow the electors' standing ballots.");
            }
            if (candidates.FirstOrDefault(o => !context.IsEligible(o)) is string ineligible)
            {
                return Refusal.Unprocessable(Codes.NotEligible, $"Candidate \"{ineligible}\" is not a member of the council (candidates are account ids).", "candidates");
            }
            if ((asked ?? mandate.Seats) != mandate.Seats)
            {
                return Refusal.Invalid(Codes.InvalidField, $"an election fills the mandate's {mandate.Seats} seats.", "seats");
            }
            return Math.Min(mandate.Seats, candidates.Count);
        }
    }

    /// <summary>Lifts <paramref name="Target"/>, a decision in force, if it passes.</summary>
    public sealed record Repeal(MotionId Target) : MotionSubject
    {
        public override MotionKind Kind => MotionKind.Repeal;

        internal override Refusal? Check(Council council, MotionContext context)
        {
            if (context.Target is not { } target || target.Council != council.Id)
            {
                return Refusal.Unprocessable(Codes.UnknownMotion, "The motion to repeal does not exist in this council.", "repeals");
            }
            return target.State == MotionState.InForce ? null : Refusal.Unprocessable(Codes.NotInForce, "Only a decision in force can be repealed.", "repeals");
        }
    }

    /// <summary>
    /// Changes the council's settings if it passes: the named <paramref name="Changes"/>, laid over those in
    /// force then; motions put before settings were named carry the <paramref name="Whole"/> settings instead.
    /// </summary>
    public sealed record Settings(SettingsChange? Changes, CouncilSettings? Whole = null) : MotionSubject
    {
        public override MotionKind Kind => MotionKind.Settings;

        public CouncilSettings Apply(CouncilSettings inForce) => Changes?.Apply(inForce) ?? Whole ?? inForce;

        internal override Refusal? Check(Council council, MotionContext context)
        {
            if (Changes is null || Changes.IsEmpty)
            {
                return Refusal.Invalid(Codes.InvalidField, "the proposed settings are those in force already: name at least one setting to change.", "settings");
            }
            return Changes.Apply(council.Settings).Problem();
        }
    }

    /// <summary>Admits <paramref name="Applicant"/> to the council if it passes; put by the applicant's application.</summary>
    public sealed record Admission(AccountId Applicant) : MotionSubject
    {
        public override MotionKind Kind => MotionKind.Admission;
    }

    /// <summary>Recalls <paramref name="Holder"/> from a seat of <paramref name="Mandate"/> if it passes.</summary>
    public sealed record Recall(MandateId Mandate, AccountId Holder) : MotionSubject
    {
        public override MotionKind Kind => MotionKind.Recall;

        internal override Refusal? Check(Council council, MotionContext context)
        {
            if (context.Mandate is null)
            {
                return Refusal.Unprocessable(Codes.UnknownMandate, "The mandate does not exist in this council.", "mandate");
            }
            if (context.Mandate.Continuous)
            {
                return Refusal.Conflict(Codes.ContinuousElection, "This mandate is held by continuous election: change your standing ballot instead of recalling.");
            }
            return context.HolderHoldsSeat ? null : Refusal.Conflict(Codes.NotAHolder, "This person holds no seat of this mandate.");
        }
    }

    /// <summary>Makes the council a member of <paramref name="Federation"/> if it passes.</summary>
    public sealed record Federate(CouncilId Federation) : MotionSubject
    {
        public override MotionKind Kind => MotionKind.Federate;

        internal override Refusal? Check(Council council, MotionContext context)
        {
            if (!context.FederationExists)
            {
                return Refusal.Unprocessable(Codes.UnknownFederation, "No federation has this id.", "federation");
            }
            if (context.AlreadyFederated)
            {
                return Refusal.Conflict(Codes.AlreadyFederated, "The council is a member of this federation already.");
            }
            return context.WouldCycle
                ? Refusal.Unprocessable(Codes.FederationCycle,
                    "Joining would make the council a member of itself through the federations it belongs to; the graph of councils has no cycles.", "federation")
                : null;
        }
    }

    /// <summary>
    /// Takes the council out of <paramref name="Federation"/> if it passes. From then its delegates
    /// sit there no more: their ballots on the federation's open motions stop counting, and its weight
    /// and seats leave the federation's electorate.
    /// </summary>
    public sealed record Secede(CouncilId Federation) : MotionSubject
    {
        public override MotionKind Kind => MotionKind.Secede;

        internal override Refusal? Check(Council council, MotionContext context) =>
            context.AlreadyFederated ? null : Refusal.Conflict(Codes.NotFederated, "The council is not a member of this federation.");
    }

    /// <summary>Binds the council's delegates to cast <paramref name="Ballot"/> on <paramref name="FederationMotion"/> if it passes.</summary>
    public sealed record Instruction(MotionId FederationMotion, MotionBallot Ballot) : MotionSubject
    {
        public override MotionKind Kind => MotionKind.Instruction;

        internal override Refusal? Check(Council council, MotionContext context)
        {
            if (OpenFederationMotion(context) is { Refusal: { } refusal })
            {
                return refusal;
            }
            return Ballot.Validate(context.FederationMotion!).Refusal is Refusal bad ? bad with { Field = "ballot." + bad.Field } : null;
        }
    }

    /// <summary>Demands that <paramref name="FederationMotion"/>, a federation decision, go to a direct vote of all base members if it passes.</summary>
    public sealed record Referral(MotionId FederationMotion) : MotionSubject
    {
        public override MotionKind Kind => MotionKind.Referral;

        internal override Refusal? Check(Council council, MotionContext context)
        {
            var open = OpenFederationMotion(context);
            if (open.Refusal is { } refusal)
            {
                return refusal;
            }
            return open.Value!.ComesIntoForce ? null : Refusal.Unprocessable(Codes.NotADecision, "Only a federation decision can be referred to a direct vote.", "federationMotion");
        }
    }

    /// <summary>Opened when flags reach the threshold: keeps <paramref name="Text"/> hidden if it passes, shows it again if not.</summary>
    public sealed record Hide(Moderation.Moderated Text) : MotionSubject
    {
        public override MotionKind Kind => MotionKind.Hide;
    }

    /// <summary>Erases <paramref name="Text"/>, a comment or a post of the council, if it passes.</summary>
    public sealed record Erase(Moderation.Moderated Text) : MotionSubject
    {
        public override MotionKind Kind => MotionKind.Erase;

        internal override Refusal? Check(Council council, MotionContext context) =>
            context.Moderated is not { } text || text.Council != council.Id
                ? Refusal.Unprocessable(Codes.UnknownText, $"No {(Text.Comment is null ? "post" : "comment")} of this council has this id.", Text.Comment is null ? "post" : "comment")
                : text.Gone ? Refusal.Conflict(Text.Comment is null ? Codes.PostDeleted : Codes.CommentDeleted, "This text was taken back or erased already.")
                : null;
    }

    private static Result<Motion> OpenFederationMotion(MotionContext context)
    {
        if (context.FederationMotion is not { } target || !context.IsMemberOfThatFederation)
        {
            return Refusal.Unprocessable(Codes.UnknownMotion, "No motion of a federation this council belongs to has this id.", "federationMotion");
        }
        return target.State is MotionState.Proposed or MotionState.Deliberation or MotionState.Voting
            ? target
            : Refusal.Conflict(Codes.MotionClosed, "The federation's motion is no longer open.");
    }

    /// <summary>
    /// The subject of a motion of <paramref name="kind"/> from the flat fields the log and the store keep.
    /// A field the kind needs and the entry lacks means the log is damaged.
    /// </summary>
    public static MotionSubject FromFields(
        MotionKind kind, MotionId? repeals, SettingsChange? changes, CouncilSettings? whole, AccountId? applicant, MandateId? mandate,
        bool byElection, AccountId? holder, CouncilId? federation, MotionId? federationMotion, MotionBallot? instruction,
        Moderation.Moderated? moderates = null)
    {
        T Needed<T>(T? value, string name) where T : struct =>
            value ?? throw new InvalidDataException($"A {kind.Name()} motion without its {name}.");
        return kind switch
        {
            MotionKind.Decision => Decision.Plain,
            MotionKind.Choice => Choice.Plain,
            MotionKind.Election => new Election(mandate, byElection),
            MotionKind.Repeal => new Repeal(Needed(repeals, "repeals")),
            MotionKind.Settings => changes is null && whole is null
                ? throw new InvalidDataException("A settings motion without its settings.")
                : new Settings(changes, whole),
            MotionKind.Admission => new Admission(Needed(applicant, "applicant")),
            MotionKind.Recall => new Recall(Needed(mandate, "mandate"), Needed(holder, "holder")),
            MotionKind.Federate => new Federate(Needed(federation, "federation")),
            MotionKind.Secede => new Secede(Needed(federation, "federation")),
            MotionKind.Instruction => new Instruction(Needed(federationMotion, "federationMotion"),
                instruction ?? throw new InvalidDataException("An instruction motion without its ballot.")),
            MotionKind.Referral => new Referral(Needed(federationMotion, "federationMotion")),
            MotionKind.Hide => new Hide(moderates ?? throw new InvalidDataException("A hide motion without its text.")),
            MotionKind.Erase => new Erase(moderates ?? throw new InvalidDataException("An erase motion without its text.")),
            _ => throw new InvalidDataException($"Unknown motion kind {kind}."),
        };
    }
}
