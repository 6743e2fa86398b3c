using Microsoft.AspNetCore.Http.HttpResults;
using Shura.Core.Moderation;
using Shura.Storage.Moderation;
using Shura.Web.Accounts;
using Shura.Web.Councils;
using Shura.Web.Site;

namespace Shura.Web.Moderation;

/// <summary>The text a hide or erase motion is about, for the members who decide it.</summary>
public sealed record ModeratedResponse(string? Comment, string? Post, string? Title, string? Text, bool Gone);

/// <summary>
/// Moderation by the members (DESIGN §2, P4): flags on comments and posts, and, for the members
/// deciding a hide or erase motion, the words in question.
/// </summary>
public static class ModerationApi
{
    public static void MapModerationApi(this IEndpointRouteBuilder api)
    {
        api.MapPut("/comments/{id:guid}/flag", (CommentId id, Me me, Commands c, CancellationToken ct) => FlagAsync(Moderated.Of(id), me, c, true, ct))
            .WithName("FlagComment").WithTags("Moderation");
        api.MapDelete("/comments/{id:guid}/flag", (CommentId id, Me me, Commands c, CancellationToken ct) => FlagAsync(Moderated.Of(id), me, c, false, ct))
            .WithName("UnflagComment").WithTags("Moderation");
        api.MapPut("/posts/{id:guid}/flag", (PostId id, Me me, Commands c, CancellationToken ct) => FlagAsync(Moderated.Of(id), me, c, true, ct))
            .WithName("FlagPost").WithTags("Moderation");
        api.MapDelete("/posts/{id:guid}/flag", (PostId id, Me me, Commands c, CancellationToken ct) => FlagAsync(Moderated.Of(id), me, c, false, ct))
            .WithName("UnflagPost").WithTags("Moderation");
        api.MapGet("/motions/{id:guid}/moderated", ModeratedAsync).WithName("ModeratedText").WithTags("Moderation");
    }

    /// <summary>The answer says how many flags the text has now, how many hide it, and the motion that hides it when this flag did.</summary>
    private static Task<Results<Ok<FlagState>, ProblemHttpResult>> FlagAsync(Moderated text, Me me, Commands commands, bool flag, CancellationToken ct) =>
        commands.AnswerAsync(me.Id, Limit.Creation,
            s => flag ? ModerationCommands.Flag(s, text, me.Id) : ModerationCommands.Unflag(s, text, me.Id),
            state => TypedResults.Ok(state), ct);

    /// <summary>Members only, even in a public council: a hidden text is read by those who decide whether it stays hidden.</summary>
    private static async Task<Results<Ok<ModeratedResponse>, ProblemHttpResult>> ModeratedAsync(
        MotionId id, HttpContext context, Storage.Motions.MotionQueries motions, ModerationQueries moderation, CouncilQueries councils, CancellationToken ct)
    {
        if (await motions.MotionAsync(id, ct) is not { Moderates: { } target } motion
            || await InvisibleCouncils.ReadableAsync(context, motion.Council) is null)
        {
            return Problems.From(Refusal.NotFound("This hide or erase motion"));
        }
        if (context.User.Person() is not { } reader || !await councils.IsMemberAsync(motion.Council, reader, ct))
        {
            return Problems.From(Refusal.Forbidden(Codes.NotAMember, "Only the members who decide it read the text in question."));
        }
        var words = await moderation.WordsAsync(target, ct);
        return TypedResults.Ok(new ModeratedResponse(target.Comment?.ToString(), target.Post?.ToString(), words.Title, words.Text, words.Gone));
    }
}
