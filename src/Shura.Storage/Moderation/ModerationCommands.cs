using Shura.Core.Moderation;
using Shura.Storage.Councils;

namespace Shura.Storage.Moderation;

/// <summary>Flags on comments and posts, and the hiding they lead to (<see cref="ModerationRules"/>).</summary>
public static class ModerationCommands
{
    /// <summary>A member flags a text; the flag that reaches the threshold hides it and opens the hide-or-restore motion, in this same request.</summary>
    public static Result<FlagState> Flag(WriteSession s, Moderated target, AccountId actor) =>
        WithText(s, target, actor, (text, council, flagger, flagged, flags, needed) =>
            ModerationRules.Flag(text, CouncilCommands.IsMember(s, council.Id, actor), flagger, flagged, flags,
                needed, new MotionId(Guid.CreateVersion7(s.Now)), council.Settings, s.Now));

    public static Result<FlagState> Unflag(WriteSession s, Moderated target, AccountId actor) =>
        WithText(s, target, actor, (text, council, flagger, flagged, _, _) =>
            ModerationRules.Unflag(text, CouncilCommands.IsMember(s, council.Id, actor), flagger, flagged));

    /// <summary>A member proposes to erase a text of its council: an erase motion, put as any other.</summary>
    public static Result<MotionId> ProposeErasure(WriteSession s, Moderated target, AccountId actor, string title, string? reasons)
    {
        if (CouncilOf(s, target) is not { } council)
        {
            return Refusal.NotFound(target.Comment is null ? "This post" : "This comment");
        }
        return Motions.MotionCommands.Put(s, council, actor, new Core.Motions.MotionRequest("erase", title, reasons ?? "")
        {
            Comment = target.Comment, Post = target.Post,
        });
    }

    /// <summary>The flags that hide a text: the council's support threshold, max(3, 5 % of members) unless the council set another.</summary>
    private static int Needed(WriteSession s, Core.Councils.Council council) =>
        council.Settings.SupportNeeded(CouncilCommands.MemberCount(s, council.Id));

    private static Result<FlagState> WithText(
        WriteSession s, Moderated target, AccountId actor, Func<ModerationRules.Text, Core.Councils.Council, string, bool, int, int, Verdict> decide)
    {
        if (CouncilOf(s, target) is not { } councilId)
        {
            return Refusal.NotFound(target.Comment is null ? "This post" : "This comment");
        }
        s.Lock(councilId);
        var text = Load(s, target)!;
        var council = CouncilCommands.Load(s, councilId)!;
        string flagger = ModerationRules.Flagger(target, actor, s.PseudonymKey);
        bool flagged = s.Scalar<long>("SELECT COUNT(*) FROM flags WHERE target = @key AND flagger = @flagger", new { key = target.Key, flagger }) > 0;
        int flags = (int)s.Scalar<long>("SELECT COUNT(*) FROM flags WHERE target = @key", new { key = target.Key });
        int needed = Needed(s, council);
        var verdict = decide(text, council, flagger, flagged, flags, needed);
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        s.Append(verdict);
        // An accepted flag adds one, an accepted withdrawal takes one away.
        return new FlagState(flagged ? flags - 1 : flags + 1, needed, !flagged, verdict.Events.OfType<TextHidden>().FirstOrDefault()?.By.ToString());
    }

    private static CouncilId? CouncilOf(WriteSession s, Moderated target) =>
        s.Scalar<string>($"SELECT council_id FROM {Table(target)} WHERE id = @id", new { id = Id(target) }) is { } council ? new CouncilId(Guid.Parse(council)) : null;

    /// <summary>The table a moderated text is a row of.</summary>
    internal static string Table(Moderated text) => text.Comment is null ? "posts" : "comments";

    /// <summary>The id of that row.</summary>
    internal static string Id(Moderated text) => text.Comment?.ToString() ?? text.Post.ToString()!;

    /// <summary>A comment or post as the moderation rules need it, or null when there is none.</summary>
    public static ModerationRules.Text? Load(WriteSession s, Moderated target)
    {
        return s.Query<(string Council, long Deleted, string? HiddenBy)>(
                $"SELECT council_id, deleted, hidden_by FROM {Table(target)} WHERE id = @id", new { id = Id(target) })
            .Select(r => new ModerationRules.Text(target, new CouncilId(Guid.Parse(r.Council)), r.Deleted != 0,
                r.HiddenBy is null ? null : new MotionId(Guid.Parse(r.HiddenBy))))
            .FirstOrDefault();
    }
}

/// <summary>A text's flags after a flag or its withdrawal: how many, how many hide it, whether this reader's is among them, and the motion that hides it.</summary>
public sealed record FlagState(int Flags, int Needed, bool Flagged, string? HiddenBy);
