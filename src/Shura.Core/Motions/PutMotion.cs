using Shura.Core.Councils;
using Shura.Core.Counting;

namespace Shura.Core.Motions;

/// <summary>What a member asks for when putting a motion, as the API receives it.</summary>
public sealed record MotionRequest(
    string? Kind,
    string? Title,
    string? Text,
    IReadOnlyList<string>? Options = null,
    string? Method = null,
    int? Seats = null,
    string? Threshold = null,
    bool Urgent = false,
    bool Draft = false,
    MotionId? Repeals = null,
    CouncilSettings? Settings = null);

public static partial class Motions
{
    public const int MaxOptions = 200;

    /// <summary>
    /// A member puts a motion. It starts as proposed (the proposer is its first supporter), or as a
    /// draft. An urgent motion skips the proposed stage and goes straight to voting.
    /// </summary>
    /// <param name="target">For a repeal: the motion it would lift, as it is now.</param>
    public static Verdict Put(
        MotionId id, MotionRequest request, Council council, AccountId actor, bool isMember, int members,
        Motion? target, DateTimeOffset now)
    {
        if (!isMember)
        {
            return Refusal.Forbidden("not-a-member", "Only members can put motions to this council.");
        }
        if (!MotionNames.TryParseKind(request.Kind, out var kind) || kind == MotionKind.Admission)
        {
            return Refusal.Invalid("invalid-field", "kind must be decision, choice, election, repeal or settings.", "kind");
        }
        if (Text.Problem(request.Title, "title", 1, 200) is Refusal badTitle)
        {
            return badTitle;
        }
        if ((request.Text ?? "").Length > 50_000)
        {
            return Refusal.Invalid("invalid-field", "text may have at most 50000 characters.", "text");
        }

        var threshold = Threshold.Simple;
        if (request.Threshold is not null && !MotionNames.TryParseThreshold(request.Threshold, out threshold))
        {
            return Refusal.Invalid("invalid-field", "threshold must be simple, absolute or two-thirds.", "threshold");
        }
        var method = TallyMethod.Decision;
        int seats = request.Seats ?? 1;
        string[] options = [];
        bool isDecision = kind is MotionKind.Decision or MotionKind.Repeal or MotionKind.Settings;
        if (isDecision)
        {
            if (request.Options is { Count: > 0 } || request.Method is not null || request.Seats is not null)
            {
                return Refusal.Invalid("invalid-field", $"a {kind.Name()} is answered yes / no / abstain: it takes no options, method or seats.", "options");
            }
        }
        else
        {
            if (CheckOptions(request.Options) is Refusal badOptions)
            {
                return badOptions;
            }
            options = [.. request.Options!.Select(o => o.Trim())];
            string? methodName = request.Method ?? (kind == MotionKind.Election ? (seats == 1 ? "irv" : "stv") : null);
            if (methodName is null || !TallyMethods.TryParse(methodName, out method) || method == TallyMethod.Decision)
            {
                return Refusal.Invalid("invalid-field", "method must be one of plurality, approval, score, irv, stv, meek, schulze, ranked-pairs.", "method");
            }
            if (kind == MotionKind.Election && method is not (TallyMethod.Irv or TallyMethod.Stv or TallyMethod.Meek))
            {
                return Refusal.Invalid("invalid-field", "an election fills seats by irv, stv or meek.", "method");
            }
            if (seats < 1 || seats > options.Length)
            {
                return Refusal.Invalid("invalid-field", $"seats must be from 1 to the number of options ({options.Length}).", "seats");
            }
            if (method.IsSingleSeat() && seats != 1)
            {
                return Refusal.Invalid("invalid-field", $"{method.Name()} fills one seat; for {seats} seats use stv or meek.", "seats");
            }
            if (request.Threshold is not null)
            {
                return Refusal.Invalid("invalid-field", "a threshold applies to decisions only.", "threshold");
            }
        }

        if (kind == MotionKind.Repeal)
        {
            if (request.Repeals is null)
            {
                return Refusal.Invalid("invalid-field", "a repeal names the motion it would lift in \"repeals\".", "repeals");
            }
            if (target is null || target.Council != council.Id)
            {
                return Refusal.Unprocessable("unknown-motion", "The motion to repeal does not exist in this council.", "repeals");
            }
            if (target.State != MotionState.InForce)
            {
                return Refusal.Unprocessable("not-in-force", "Only a decision in force can be repealed.", "repeals");
            }
        }
        else if (request.Repeals is not null)
        {
            return Refusal.Invalid("invalid-field", "\"repeals\" belongs to repeal motions only.", "repeals");
        }

        if (kind == MotionKind.Settings)
        {
            if (request.Settings is null)
            {
                return Refusal.Invalid("invalid-field", "a settings motion carries the proposed \"settings\".", "settings");
            }
            if (request.Settings.Problem() is Refusal badSettings)
            {
                return badSettings;
            }
        }
        else if (request.Settings is not null)
        {
            return Refusal.Invalid("invalid-field", "\"settings\" belongs to settings motions only.", "settings");
        }

        var put = new MotionPut(id, council.Id, actor, kind, request.Title!.Trim(), request.Text ?? "", [.. options], method, seats,
            threshold, request.Urgent, request.Repeals, request.Settings, null, request.Draft && !request.Urgent);
        if (put.Draft)
        {
            return Verdict.Accept(put);
        }
        return Verdict.Accept([put, .. Proposed(put.ToMotion(now), council.Settings, supporters: 1, members, now, actor.ToString())]);
    }

    /// <summary>
    /// Someone applies to a council that admits by motion: an admission motion is put for the
    /// members to support and decide. The applicant is not a member and not a supporter.
    /// </summary>
    public static Verdict Apply(MotionId id, Council council, AccountId applicant, string name, bool isMember, bool hasOpenApplication, DateTimeOffset now)
    {
        if (isMember)
        {
            return Refusal.Conflict("already-member", "You are already a member of this council.");
        }
        if (council.Settings.JoinPolicy != JoinPolicy.Admission)
        {
            return Refusal.Conflict("no-admission", "This council does not admit by motion.");
        }
        if (hasOpenApplication)
        {
            return Refusal.Conflict("already-applied", "Your application to this council is already before its members.");
        }
        return Verdict.Accept(new MotionPut(id, council.Id, applicant, MotionKind.Admission, $"Admit {name}",
            $"{name} applies to join the council.", [], TallyMethod.Decision, 1, Threshold.Simple, false, null, null, applicant, false));
    }

    private static Refusal? CheckOptions(IReadOnlyList<string>? options)
    {
        if (options is null || options.Count < 1)
        {
            return Refusal.Invalid("invalid-field", "options needs at least one option.", "options");
        }
        if (options.Count > MaxOptions)
        {
            return Refusal.Invalid("invalid-field", $"at most {MaxOptions} options.", "options");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string? option in options)
        {
            if (Text.Problem(option, "options", 1, 200) is Refusal bad)
            {
                return bad;
            }
            if (!seen.Add(option!.Trim()))
            {
                return Refusal.Invalid("invalid-field", $"option \"{option}\" is given twice.", "options");
            }
        }
        return null;
    }

    /// <summary>The motion as it is right after <paramref name="put"/>.</summary>
    public static Motion ToMotion(this MotionPut put, DateTimeOffset now) => new()
    {
        Id = put.Motion,
        Council = put.CouncilId,
        Proposer = put.Proposer,
        Kind = put.Kind,
        Title = put.Title,
        Text = put.Text,
        Options = put.Options,
        Method = put.Method,
        Seats = put.Seats,
        Threshold = put.Threshold,
        Urgent = put.Urgent,
        Repeals = put.Repeals,
        NewSettings = put.NewSettings,
        Applicant = put.Applicant,
        State = put.Draft ? MotionState.Draft : MotionState.Proposed,
        CreatedAt = now,
        Supporters = put.Draft || put.Kind == MotionKind.Admission ? 0 : 1,
    };

    /// <summary>
    /// What follows once a motion has <paramref name="supporters"/>: nothing yet, or deliberation,
    /// and voting at once when the deliberation period is zero. Urgent motions skip straight to a
    /// voting period of a third of the council's (at least one second).
    /// </summary>
    internal static IEnumerable<Event> Proposed(Motion motion, CouncilSettings settings, int supporters, int members, DateTimeOffset now, string by)
    {
        if (motion.Urgent)
        {
            yield return new DeliberationStarted(motion.Id, motion.Council, now, by);
            var shortened = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, settings.VotingPeriod.Ticks / 3));
            yield return StartVoting(motion, settings, now, shortened, by);
            yield break;
        }
        if (supporters < settings.SupportNeeded(members))
        {
            yield break;
        }
        yield return new DeliberationStarted(motion.Id, motion.Council, now + settings.DeliberationPeriod, by);
        if (settings.DeliberationPeriod == TimeSpan.Zero)
        {
            yield return StartVoting(motion, settings, now, settings.VotingPeriod, by);
        }
    }

    internal static VotingStarted StartVoting(Motion motion, CouncilSettings settings, DateTimeOffset now, TimeSpan period, string by) =>
        new(motion.Id, motion.Council, now + period, settings.SecretBallots, settings.LiveResults, settings.Quorum, by);
}
