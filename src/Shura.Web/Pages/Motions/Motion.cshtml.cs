using Shura.Core.Counting;
using Shura.Core.Motions;
using Shura.Storage.Motions;

namespace Shura.Web.Pages.Motions;

/// <summary>
/// One motion: its text and state, supporting it, the ballot with the right control for its
/// method, changing and withdrawing that ballot, and the result (live while voting, when the
/// council shows live results), drawn and counted round by round.
/// </summary>
public sealed class MotionModel(
    MotionQueries motions, CouncilQueries councils, AccountQueries accounts, Storage.Mandates.MandateQueries mandates,
    Storage.Discussion.DiscussionQueries discussion, Storage.Moderation.ModerationQueries moderation, TimeProvider clock) : ShuraPage
{
    /// <summary>For a hide or erase motion, and a member reading: the words in question (none once they are gone).</summary>
    public (string? Title, string? Text, bool Gone)? InQuestion { get; private set; }

    /// <summary>The motion's discussion, as every reader of the page sees it, with what this reader may do in it.</summary>
    public DiscussionPart Discussion { get; private set; } = null!;

    public MotionView? View { get; private set; }

    public string CouncilName { get; private set; } = "";

    public bool IsMember { get; private set; }

    public MotionBallot? MyBallot { get; private set; }

    public string? Receipt { get; private set; }

    public string? Via { get; private set; }

    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();

    /// <summary>The council's executor mandates, which an action may be given to.</summary>
    public IReadOnlyList<Core.Mandates.Mandate> Executors { get; private set; } = [];

    public Motion Motion => View!.Motion;

    /// <summary>What people read for an option: a candidate's name for elections, the original, a counter-proposal or "none of these" in the page's words, the option itself otherwise.</summary>
    public string Label(string option) => Live.Label(option, Words, Formats.Current);

    /// <summary>The parts of the page that change while voting, the same for every reader.</summary>
    public MotionLive Live => new(View!, Names);

    /// <summary>For a settings motion: each setting it changes, named and with its proposed value, in the page's language.</summary>
    public IEnumerable<(string Setting, string Value)> Changes(Formats f)
    {
        if (Motion.Subject is not MotionSubject.Settings { Changes: { } change })
        {
            yield break;
        }
        var p = change.Proposed;
        string YesNo(bool value) => Words[value ? "yes" : "no"];
        foreach (string name in change.Names)
        {
            yield return name switch
            {
                "joinPolicy" => (Words["Who may join"], Words[p.JoinPolicy switch
                {
                    Core.Councils.JoinPolicy.Open => "Anyone",
                    Core.Councils.JoinPolicy.Invitation => "Only with an invitation",
                    _ => "By application, decided by the members",
                }]),
                "visibility" => (Words["Who may read"], Words[p.Visibility == Core.Councils.Visibility.Public ? "Anyone" : "Members only"]),
                "supportThreshold" => (Words["Supporters a proposal needs"], p.SupportThreshold is int n ? f.Number(n) : Words["the default"]),
                "deliberationPeriod" => (Words["Deliberation"], f.Duration(p.DeliberationPeriod, u => Words[u])),
                "votingPeriod" => (Words["Voting"], f.Duration(p.VotingPeriod, u => Words[u])),
                "quorum" => (Words["Quorum"], p.Quorum?.ToString() ?? Words["none"]),
                "secretBallots" => (Words["Secret ballots"], YesNo(p.SecretBallots)),
                "liveResults" => (Words["Live results"], YesNo(p.LiveResults)),
                "delegation" => (Words["Members may delegate their vote"], YesNo(p.Delegation)),
                "seatRatio" => (Words["Members per delegate seat"], f.Number(p.SeatRatio)),
                "verifiedVoters" => (Words["Only verified members vote"], YesNo(p.VerifiedVoters)),
                "blockedServers" => (Words["Blocked fediverse servers"], p.BlockedServers is { Count: > 0 } blocked ? string.Join(", ", blocked) : Words["none"]),
                _ => (Words["Weighted voting"], YesNo(p.WeightedVoting)),
            };
        }
    }

    public RankingControl Ranking => new([.. Motion.Options.Select(o => (o, Label(o)))], MyBallot?.Ranking ?? []);

    public async Task<IActionResult> OnGetAsync(MotionId id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    /// <summary>While an election takes nominations: the members a member may nominate (all who are not candidates yet), if the council is small enough to list them.</summary>
    public IReadOnlyList<MemberView>? Nominees { get; private set; }

    /// <summary>The most members the nomination form lists; in a larger council a member stands themselves, or is nominated through the API.</summary>
    public const int MaxNominees = 500;

    /// <summary>How the motion's council admits members, for the "join to vote" guidance.</summary>
    public Core.Councils.JoinPolicy JoinPolicy { get; private set; }

    public bool IsFederation { get; private set; }

    public bool TakesNominations => Motion.Kind == MotionKind.Election && Motion.State is MotionState.Proposed or MotionState.Deliberation;

    [SignedIn]
    public Task<IActionResult> OnPostNominateAsync(MotionId id, Guid? person, CancellationToken ct) =>
        StepAsync(id, Limit.None, (s, me) => MotionCommands.Nominate(s, id, me, new AccountId(person ?? me.Value)), ct);

    [SignedIn]
    public Task<IActionResult> OnPostSupportAsync(MotionId id, CancellationToken ct) =>
        StepAsync(id, Limit.None, (s, me) => MotionCommands.Support(s, id, me), ct);

    [SignedIn]
    public Task<IActionResult> OnPostProposeAsync(MotionId id, CancellationToken ct) =>
        StepAsync(id, Limit.None, (s, me) => MotionCommands.Propose(s, id, me), ct);

    [SignedIn]
    public Task<IActionResult> OnPostAmendAsync(MotionId id, string? text, CancellationToken ct) =>
        StepAsync(id, Limit.Creation, (s, me) => MotionCommands.Amend(s, id, me, text), ct);

    [SignedIn]
    public Task<IActionResult> OnPostCounterProposeAsync(MotionId id, string? text, CancellationToken ct) =>
        StepAsync(id, Limit.Creation, (s, me) => MotionCommands.CounterPropose(s, id, me, text), ct);

    [SignedIn]
    public Task<IActionResult> OnPostAdoptAsync(MotionId id, int number, CancellationToken ct) =>
        StepAsync(id, Limit.None, (s, me) => MotionCommands.Adopt(s, id, me, number), ct);

    [SignedIn]
    public Task<IActionResult> OnPostCommentAsync(MotionId id, string? text, Guid? replyTo, CancellationToken ct) =>
        ChangeAsync(Limit.Creation, (s, me) => Storage.Discussion.DiscussionCommands.Post(s, id, me, text, replyTo is Guid r ? new CommentId(r) : null),
            () => LoadAsync(id, ct), $"/motions/{id}#discussion", ct);

    [SignedIn]
    public Task<IActionResult> OnPostEditCommentAsync(MotionId id, Guid comment, string? text, CancellationToken ct) =>
        ChangeAsync(Limit.Creation, (s, me) => Storage.Discussion.DiscussionCommands.Edit(s, new CommentId(comment), me, text),
            () => LoadAsync(id, ct), $"/motions/{id}#comment-{comment}", ct);

    [SignedIn]
    public Task<IActionResult> OnPostDeleteCommentAsync(MotionId id, Guid comment, CancellationToken ct) =>
        ChangeAsync(Limit.None, (s, me) => Storage.Discussion.DiscussionCommands.Delete(s, new CommentId(comment), me),
            () => LoadAsync(id, ct), $"/motions/{id}#comment-{comment}", ct);

    /// <summary>Flag a comment, take the flag back, or propose to erase it: <paramref name="act"/> is "flag", "unflag" or "erase".</summary>
    [SignedIn]
    public Task<IActionResult> OnPostModerateCommentAsync(MotionId id, Guid comment, string? act, string? reasons, CancellationToken ct) =>
        ModerateAsync(Core.Moderation.Moderated.Of(new CommentId(comment)), act ?? "", reasons, () => LoadAsync(id, ct), $"/motions/{id}#comment-{comment}", ct);

    [SignedIn]
    public Task<IActionResult> OnPostWithdrawAsync(MotionId id, CancellationToken ct) =>
        StepAsync(id, Limit.Ballot, (s, me) => MotionCommands.Withdraw(s, id, me), ct);

    /// <summary>This decision made a call to action in one step (P3); the times are read in the reader's zone, as the form says.</summary>
    [SignedIn]
    public Task<IActionResult> OnPostCallAsync(MotionId id, string? place, DateTime? startsAt, int? threshold, DateTime? deadline, DateTime? endsAt, CancellationToken ct)
    {
        // The form's times are the reader's wall clock, in the zone the page names.
        var zone = HttpContext.RequestServices.GetRequiredService<Site.Formats>().Zone;
        DateTimeOffset? Utc(DateTime? t) =>
            t is { } value ? new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(value, DateTimeKind.Unspecified), zone), TimeSpan.Zero) : null;
        return ChangeAsync(Limit.Creation,
            (s, me) => Storage.Feed.CallCommands.FromDecision(s, id, me, place, Utc(startsAt), threshold, Utc(deadline), Utc(endsAt)),
            () => LoadAsync(id, ct), call => $"/posts/{call}", ct);
    }

    /// <summary>An action that carries out this decision: a description, a due day, and an executor mandate or volunteers.</summary>
    [SignedIn]
    public async Task<IActionResult> OnPostActionAsync(MotionId id, string? description, DateOnly? due, Guid? executors, CancellationToken ct)
    {
        if (await motions.GetAsync(id, ct) is not { } motion)
        {
            return NotFound();
        }
        DateTimeOffset? when = due is { } day ? new DateTimeOffset(day.ToDateTime(new TimeOnly(23, 59)), TimeSpan.Zero) : null;
        return await ChangeAsync(Limit.Creation,
            (s, me) => Storage.Actions.ActionCommands.Create(s, id, me, description, when, executors is Guid m ? new MandateId(m) : null),
            () => LoadAsync(id, ct), $"/councils/{motion.Motion.Council}/actions", ct);
    }

    /// <summary>
    /// Casting reads only the motion's rules before the write; the page with its live count is
    /// rendered once, after the redirect, or here only when the ballot is refused.
    /// </summary>
    [SignedIn]
    public async Task<IActionResult> OnPostCastAsync(MotionId id, CancellationToken ct)
    {
        var me = Person;
        if (await motions.MotionAsync(id, ct) is not { } motion)
        {
            return NotFound();
        }
        var (ballot, problem) = ReadBallot(motion, Request.Form);
        if (ballot is null && problem is null)
        {
            // A place given twice: refused naming the options, by their names on the page.
            var (_, place) = RankingControl.Read(motion.Options, Request.Form, out var sharing);
            return await LoadAsync(id, ct)
                ? RefusedSharing(RankingControl.Shared(Words, [.. sharing.Select(Label)], place ?? 1, Formats.Current))
                : NotFound();
        }
        var refusal = problem ?? (await RunAsync(me, Limit.Ballot, s => MotionCommands.Cast(s, id, me, ballot!), ct, s => MotionCommands.Wants(s, id, me))).Refusal;
        if (refusal is not null)
        {
            return await LoadAsync(id, ct) ? Refused(refusal) : NotFound();
        }
        return GoTo($"/motions/{id}#ballot", Done.BallotCast);
    }

    private IActionResult RefusedSharing(Refusal shared) => Refused(shared, shared.Message);

    /// <summary>
    /// The form's fields to a ballot: "choice"; "approve" (repeated); "score-N" per option N;
    /// "rank-N" per option N, a position from 1 (empty: not ranked). Neither ballot nor problem: a
    /// place given twice, which the caller refuses naming the options once the page has their names.
    /// </summary>
    private (MotionBallot? Ballot, Refusal? Problem) ReadBallot(Motion motion, IFormCollection form)
    {
        var options = motion.Options;
        if (motion.IsDecision || motion.Method == TallyMethod.Plurality)
        {
            return (new MotionBallot(Choice: form["choice"].ToString() is { Length: > 0 } c ? c : null), null);
        }
        if (motion.Method == TallyMethod.Approval)
        {
            return (new MotionBallot(Approvals: [.. form["approve"].Where(a => a is not null).Select(a => a!)]), null);
        }
        if (motion.Method == TallyMethod.Score)
        {
            var scores = new Dictionary<string, int>();
            for (int i = 0; i < options.Length; i++)
            {
                if (int.TryParse(form[$"score-{i}"], out int score))
                {
                    scores[options[i]] = score;
                }
            }
            return (new MotionBallot(Scores: scores), null);
        }
        var (ranking, _) = RankingControl.Read(options, form);
        return ranking is null
            ? (null, null)
            : (new MotionBallot(Ranking: ranking), null);
    }

    private Task<IActionResult> StepAsync<T>(MotionId id, Limit limit, Func<WriteSession, AccountId, Result<T>> step, CancellationToken ct) =>
        ChangeAsync(limit, step, () => LoadAsync(id, ct), $"/motions/{id}", ct);

    private async Task<bool> LoadAsync(MotionId id, CancellationToken ct)
    {
        View = await motions.GetAsync(id, ct);
        if (View is null)
        {
            return false;
        }
        var council = await councils.GetAsync(Motion.Council, ct);
        if (council is null)
        {
            return false;
        }
        CouncilName = council.Council.Name;
        (JoinPolicy, IsFederation) = (council.Council.Settings.JoinPolicy, council.Council.IsFederation);
        IsMember = Me is { } me && await councils.IsMemberAsync(Motion.Council, me, ct);
        if (!await MayReadAsync(council, ct))
        {
            return false;
        }
        if (IsMember && TakesNominations && council.Members <= MaxNominees)
        {
            Nominees = [.. (await councils.MembersAsync(Motion.Council, ct)).Where(m => !Motion.Options.Contains(m.Id)).OrderBy(m => m.Name, StringComparer.CurrentCulture)];
        }
        if (Me is { } voter)
        {
            if (await motions.BallotAsync(Motion.Id, Core.Motions.MotionRules.Voter(Motion, voter, motions.PseudonymKey), ct) is { } own)
            {
                (MyBallot, Receipt) = (own.Ballot, own.Receipt);
            }
            else if (await motions.DelegatedBallotAsync(Motion.Id, voter, ct) is { } delegated)
            {
                (MyBallot, Via) = (delegated.Ballot, delegated.Via);
            }
        }
        Names = await MotionLive.NamesAsync(View, Via, accounts, councils, ct);
        bool open = Core.Discussion.DiscussionRules.IsOpen(Motion.State);
        var comments = await discussion.OfMotionAsync(Motion.Id, ct);
        Discussion = new DiscussionPart(comments, open, open && IsMember, Me, clock.GetUtcNow(), await discussion.VersionAsync(Motion.Id, ct))
        {
            MayModerate = IsMember,
            Flagged = Me is { } reader && IsMember ? await moderation.FlaggedByAsync(DiscussionPart.Texts(comments), reader, ct) : new HashSet<string>(),
        };
        InQuestion = Motion.Moderates is { } text && IsMember ? await moderation.WordsAsync(text, ct) : null;
        Executors = [.. (await mandates.OfCouncilAsync(Motion.Council, ct)).Where(m => m.Kind == Core.Mandates.MandateKind.Executor)];
        return true;
    }
}

/// <summary>
/// What changes on a motion's page while it is voted on — its result and, in a federation, the
/// delegates' open ballots — with the names it shows. Nothing in it depends on who reads it, only
/// on the language, which is why one rendering per language can be pushed to every watcher.
/// </summary>
public sealed record MotionLive(MotionView View, IReadOnlyDictionary<string, string> Names)
{
    public Motion Motion => View.Motion;

    public string Label(string option) => Names.TryGetValue(option, out var name) ? name : option;

    /// <summary>An option as the page names it: a decision's competing texts by their words, anything else by <see cref="Label(string)"/>.</summary>
    public string Label(string option, Microsoft.Extensions.Localization.IStringLocalizer words, Site.Formats f) =>
        !CounterProposals.Takes(Motion) ? Label(option)
        : option == CounterProposals.Original ? words["The motion as put"]
        : option == CounterProposals.NoneOfThese ? words["None of these"]
        : CounterProposals.Number(option) is int n ? words["Counter-proposal {0}", f.Number(n)]
        : Label(option);

    /// <summary>A ballot in words: the choice, the ranking in order, the approvals, or each score.</summary>
    public string Describe(MotionBallot ballot, Microsoft.Extensions.Localization.IStringLocalizer words, Site.Formats f)
    {
        string Named(string option) => Label(option, words, f);
        if (ballot.Choice is { } c) return c is "yes" or "no" or "abstain" ? words[c] : Named(c);
        if (ballot.Ranking is { } r) return string.Join(" › ", r.Select(Named));
        if (ballot.Approvals is { } a) return string.Join(words["list-separator"], a.Select(Named));
        if (ballot.Scores is { } s) return string.Join(words["list-separator"], s.Select(p => $"{Named(p.Key)} {f.Number(p.Value)}"));
        return "";
    }

    /// <summary>The names a motion's page shows: its proposer, amendments' authors, candidates, delegates and their councils, and <paramref name="via"/>.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> NamesAsync(MotionView view, string? via, AccountQueries accounts, CouncilQueries councils, CancellationToken ct)
    {
        var motion = view.Motion;
        string[] people = [motion.Proposer.ToString(), .. view.Amendments.Select(a => a.Author), .. view.CounterProposals.Select(p => p.Author), .. motion.Kind == MotionKind.Election ? motion.Options : [], .. via is null ? [] : new[] { via },
            .. view.DelegateBallots.Select(d => d.Delegate)];
        var names = new Dictionary<string, string>(await accounts.NamesAsync(people, ct));
        foreach (string councilId in view.DelegateBallots.Select(d => d.Council).Distinct())
        {
            if (await councils.GetAsync(new CouncilId(Guid.Parse(councilId)), ct) is { } delegating)
            {
                names[councilId] = delegating.Council.Name;
            }
        }
        return names;
    }
}

/// <summary>A motion's discussion on its page: the thread, whether it is open, and whether this reader may write in it.</summary>
/// <param name="Closed">What the page says when the discussion is closed (a key of the page's words).</param>
public sealed record DiscussionPart(
    IReadOnlyList<Storage.Discussion.CommentView> Comments, bool Open, bool MayWrite, AccountId? Me, DateTimeOffset Now, long Version,
    string Closed = "The discussion is open from the proposal until the result is fixed.")
{
    /// <summary>Whether this reader may flag comments and propose to erase them: a member of the council.</summary>
    public bool MayModerate { get; init; }

    /// <summary>The comments this reader has flagged, by <see cref="Core.Moderation.Moderated.Key"/>.</summary>
    public IReadOnlySet<string> Flagged { get; init; } = new HashSet<string>();

    /// <summary>The comments of the thread as moderation names them.</summary>
    public static IEnumerable<Core.Moderation.Moderated> Texts(IEnumerable<Storage.Discussion.CommentView> comments) =>
        comments.Where(c => !c.Deleted).Select(c => Core.Moderation.Moderated.Of(new CommentId(Guid.Parse(c.Id))));
}
