using Microsoft.AspNetCore.Http.HttpResults;
using Shura.Storage.Discussion;
using Shura.Web.Accounts;
using Shura.Web.Councils;
using Shura.Web.Site;

namespace Shura.Web.Discussion;

public sealed record CommentRequest(string? Text, Guid? ReplyTo);

public sealed record CommentChange(string? Text);

/// <summary>A motion's discussion: comments and replies, read per the council's visibility, written by its members.</summary>
public static class DiscussionApi
{
    public static void MapDiscussionApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/motions/{id:guid}/comments", OfMotionAsync).WithName("MotionComments").WithTags("Discussion");
        api.MapPost("/motions/{id:guid}/comments", PostAsync).WithName("PostComment").WithTags("Discussion");
        api.MapGet("/posts/{id:guid}/comments", OfPostAsync).WithName("PostComments").WithTags("Discussion");
        api.MapPost("/posts/{id:guid}/comments", PostOnPostAsync).WithName("PostCommentOnPost").WithTags("Discussion");
        api.MapGet("/comments/{id:guid}", GetAsync).WithName("GetComment").WithTags("Discussion");
        api.MapPatch("/comments/{id:guid}", EditAsync).WithName("EditComment").WithTags("Discussion");
        api.MapDelete("/comments/{id:guid}", DeleteAsync).WithName("DeleteComment").WithTags("Discussion");
    }

    private static readonly ProblemHttpResult NoSuchMotion = Problems.From(Refusal.NotFound("This motion"));

    private static readonly ProblemHttpResult NoSuchComment = Problems.From(Refusal.NotFound("This comment"));

    private static async Task<Results<Ok<IReadOnlyList<CommentView>>, ProblemHttpResult>> OfMotionAsync(
        MotionId id, HttpContext context, DiscussionQueries discussion, CancellationToken ct) =>
        await discussion.CouncilOfMotionAsync(id, ct) is { } council && await InvisibleCouncils.ReadableAsync(context, council) is not null
            ? TypedResults.Ok(await discussion.OfMotionAsync(id, ct))
            : NoSuchMotion;

    private static Task<Results<Created<CreatedId>, ProblemHttpResult>> PostAsync(
        MotionId id, CommentRequest request, Me me, Commands commands, CancellationToken ct) =>
        commands.AnswerAsync(me.Id, Limit.Creation,
            s => DiscussionCommands.Post(s, id, me.Id, request.Text, request.ReplyTo is Guid r ? new CommentId(r) : null),
            comment => TypedResults.Created($"/api/v1/comments/{comment}", new CreatedId(comment.ToString())), ct);

    private static readonly ProblemHttpResult NoSuchPost = Problems.From(Refusal.NotFound("This post"));

    private static async Task<Results<Ok<IReadOnlyList<CommentView>>, ProblemHttpResult>> OfPostAsync(
        PostId id, HttpContext context, Storage.Feed.FeedQueries feed, DiscussionQueries discussion, CancellationToken ct) =>
        await feed.GetAsync(id, ct) is { } post && await InvisibleCouncils.ReadableAsync(context, new CouncilId(Guid.Parse(post.Council))) is not null
            ? TypedResults.Ok(await discussion.OfPostAsync(id, ct))
            : NoSuchPost;

    private static Task<Results<Created<CreatedId>, ProblemHttpResult>> PostOnPostAsync(
        PostId id, CommentRequest request, Me me, Commands commands, CancellationToken ct) =>
        commands.AnswerAsync(me.Id, Limit.Creation,
            s => DiscussionCommands.PostOnPost(s, id, me.Id, request.Text, request.ReplyTo is Guid r ? new CommentId(r) : null),
            comment => TypedResults.Created($"/api/v1/comments/{comment}", new CreatedId(comment.ToString())), ct);

    private static async Task<Results<Ok<CommentView>, ProblemHttpResult>> GetAsync(
        CommentId id, HttpContext context, DiscussionQueries discussion, CancellationToken ct) =>
        await discussion.CouncilOfCommentAsync(id, ct) is { } council && await InvisibleCouncils.ReadableAsync(context, council) is not null
            && await discussion.GetAsync(id, ct) is { } comment
            ? TypedResults.Ok(comment)
            : NoSuchComment;

    private static Task<Results<Ok<CommentView>, ProblemHttpResult>> EditAsync(
        CommentId id, CommentChange request, Me me, Commands commands, DiscussionQueries discussion, CancellationToken ct) =>
        commands.AnswerAsync(me.Id, Limit.Creation, s => DiscussionCommands.Edit(s, id, me.Id, request.Text),
            async _ => TypedResults.Ok((await discussion.GetAsync(id, ct))!), ct);

    private static Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(CommentId id, Me me, Commands commands, CancellationToken ct) =>
        commands.AnswerAsync(me.Id, Limit.None, s => DiscussionCommands.Delete(s, id, me.Id), _ => TypedResults.NoContent(), ct);
}
