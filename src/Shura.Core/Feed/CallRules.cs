using Shura.Core.Discussion;

namespace Shura.Core.Feed;

/// <summary>
/// Calls to action and their pledges (DESIGN §2, P3): the instant the threshold's pledge is made the
/// call is on, in that same request, like a recall; a pledge taken back before the deadline can turn
/// it off again; at the deadline below the threshold it is off for good, and pledges are fixed.
/// </summary>
public static class CallRules
{
    public const int MaxPlace = 300;

    public const int MaxThreshold = 1_000_000;

    /// <summary>How long a call may last, start to end: up to a year, the longest any period of a council runs.</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(366);

    /// <summary>A call as the rules need it.</summary>
    public sealed record Call(PostId Id, CouncilId Council, DateTimeOffset StartsAt, int? Threshold, DateTimeOffset? Deadline, int Pledges, bool On, bool Deleted);

    /// <summary>Where a call stands at <paramref name="now"/>.</summary>
    public enum Status
    {
        /// <summary>No threshold: sign-ups are only counted.</summary>
        Open,

        /// <summary>Below its threshold, before its deadline.</summary>
        Gathering,

        /// <summary>At or above its threshold: it goes ahead (for good once the deadline has passed).</summary>
        On,

        /// <summary>Below its threshold at its deadline: off for good.</summary>
        Off,
    }

    public static Status StatusOf(Call call, DateTimeOffset now) =>
        call.Threshold is null ? Status.Open
        : call.On ? Status.On
        : now < call.Deadline ? Status.Gathering
        : Status.Off;

    public static string Name(this Status status) => status switch
    {
        Status.Open => "open",
        Status.Gathering => "gathering",
        Status.On => "on",
        _ => "off",
    };

    public static Verdict Publish(
        PostId id, CouncilId council, AccountId actor, bool isMember, string? title, string? text, string? place,
        DateTimeOffset? startsAt, int? threshold, DateTimeOffset? deadline, DateTimeOffset now, Salts? salts = null, DateTimeOffset? endsAt = null)
    {
        if (!isMember)
        {
            return Refusal.Forbidden(Codes.NotAMember, "Only members call their council to action.");
        }
        if (Text.NameProblem(title, "title", 1, FeedRules.MaxTitle) is Refusal badTitle)
        {
            return badTitle;
        }
        if (Text.Problem(text, "text", 1, FeedRules.MaxText) is Refusal badText)
        {
            return badText;
        }
        if (Text.Problem(place, "place", 1, MaxPlace) is Refusal badPlace)
        {
            return badPlace;
        }
        if (startsAt is not { } starts || starts <= now)
        {
            return Refusal.Invalid(Codes.InvalidField, "startsAt must be a time to come.", "startsAt");
        }
        if (endsAt is { } ends && (ends <= starts || ends - starts > MaxLength))
        {
            return Refusal.Invalid(Codes.InvalidField, $"endsAt must be after startsAt, and at most {MaxLength.TotalDays:0} days after it.", "endsAt");
        }
        if (threshold is { } n && (n < 1 || n > MaxThreshold))
        {
            return Refusal.Invalid(Codes.InvalidField, $"threshold must be from 1 to {MaxThreshold}.", "threshold");
        }
        if (threshold is null != deadline is null)
        {
            return Refusal.Invalid(Codes.InvalidField, "A pledge threshold needs a deadline, and a deadline a threshold.", threshold is null ? "threshold" : "deadline");
        }
        if (deadline is { } by && (by <= now || by > starts))
        {
            return Refusal.Invalid(Codes.InvalidField, "deadline must be a time to come, no later than the start.", "deadline");
        }
        return Verdict.Accept(new CallPublished(id, council, Texts.Seal(title!, salts), Texts.Seal(text!, salts), Texts.Seal(place!, salts), starts, threshold, deadline, actor, endsAt));
    }

    /// <summary>
    /// A decision turned into a call to action in one step (P3): the call carries the motion's title
    /// and text, once the motion is decided or in force.
    /// </summary>
    public static Verdict FromDecision(
        PostId id, Motions.Motion motion, AccountId actor, bool isMember, string? place, DateTimeOffset? startsAt, int? threshold, DateTimeOffset? deadline, DateTimeOffset now,
        string? counterProposalInForce = null, Salts? salts = null, DateTimeOffset? endsAt = null)
    {
        if (motion.State is not (Motions.MotionState.Decided or Motions.MotionState.InForce))
        {
            return Refusal.Conflict(Codes.NotDecided, "A call to action carries out a decision: the motion must be decided or in force.");
        }
        return Publish(id, motion.Council, actor, isMember, motion.Title, TextOf(motion, counterProposalInForce), place, startsAt, threshold, deadline, now, salts, endsAt);
    }

    /// <summary>The words of a call made from a decision: the counter-proposal in force if one won, else the motion's text, or its title when it has none.</summary>
    public static string TextOf(Motions.Motion motion, string? counterProposalInForce = null) =>
        counterProposalInForce ?? (motion.Text.Length > 0 ? motion.Text : motion.Title);

    public static Verdict Pledge(Call call, AccountId actor, bool isMember, bool pledged, DateTimeOffset now)
    {
        if (!isMember)
        {
            return Refusal.Forbidden(Codes.NotAMember, "Only members pledge to their council's calls.");
        }
        if (Closed(call, now) is Refusal closed)
        {
            return closed;
        }
        if (pledged)
        {
            return Refusal.Conflict(Codes.AlreadyPledged, "You have pledged to this call already.");
        }
        int pledges = call.Pledges + 1;
        Event[] events = call.Threshold is { } n && !call.On && pledges >= n
            ? [new Pledged(call.Id, call.Council, actor), new CallOn(call.Id, call.Council, pledges, actor)]
            : [new Pledged(call.Id, call.Council, actor)];
        return Verdict.Accept(events);
    }

    public static Verdict Withdraw(Call call, AccountId actor, bool pledged, DateTimeOffset now)
    {
        if (Closed(call, now) is Refusal closed)
        {
            return closed;
        }
        if (!pledged)
        {
            return Refusal.Conflict(Codes.NoPledge, "You have not pledged to this call.");
        }
        int pledges = call.Pledges - 1;
        Event[] events = call.Threshold is { } n && call.On && pledges < n
            ? [new PledgeWithdrawn(call.Id, call.Council, actor), new CallOff(call.Id, call.Council, pledges, actor)]
            : [new PledgeWithdrawn(call.Id, call.Council, actor)];
        return Verdict.Accept(events);
    }

    /// <summary>Pledges are fixed once the deadline has passed (or, without one, once the action has begun), and a call taken back takes none.</summary>
    private static Refusal? Closed(Call call, DateTimeOffset now)
    {
        if (call.Deleted)
        {
            return Refusal.Conflict(Codes.PostDeleted, "This call was taken back.");
        }
        return now >= (call.Deadline ?? call.StartsAt)
            ? Refusal.Conflict(Codes.PledgesClosed, call.Deadline is null ? "The action has begun: sign-ups are closed." : "The deadline has passed: pledges are fixed.")
            : null;
    }
}
