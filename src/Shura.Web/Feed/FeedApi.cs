using Microsoft.AspNetCore.Http.HttpResults;
using Shura.Storage.Feed;
using Shura.Web.Accounts;
using Shura.Web.Councils;
using Shura.Web.Site;

namespace Shura.Web.Feed;

public sealed record PostRequest(string? Kind, string? Title, string? Text);

public sealed record CallRequest(string? Title, string? Text, string? Place, DateTimeOffset? StartsAt, int? Threshold, DateTimeOffset? Deadline, DateTimeOffset? EndsAt = null);

/// <summary>
/// A call to action: the post, its place, start and end if it says one (UTC), and its pledges; <c>status</c> is
/// <c>open</c> (no threshold), <c>gathering</c>, <c>on</c> or <c>off</c> (below the threshold at the deadline).
/// </summary>
public sealed record CallResponse(
    PostResponse Post, string? Place, string StartsAt, int? Threshold, string? Deadline, int Pledges, string Status, bool Pledged, string? EndsAt)
{
    public static CallResponse From(CallView call) =>
        new(PostResponse.From(call.Post), call.Place, call.StartsAt, call.Threshold, call.Deadline, call.Pledges, call.Status, call.Pledged, call.EndsAt);
}

/// <summary>A post with its Markdown and the HTML it renders to, safe to show as it is (<see cref="Markdown"/>).</summary>
public sealed record PostResponse(
    string Id, string Council, string Kind, string Author, string AuthorName, string? Title, string? Text, string? Html, string PublishedAt, bool Deleted)
{
    /// <summary>Erased by the members' decision (then deleted too), as against taken back by its author.</summary>
    public bool Erased { get; init; }

    /// <summary>The motion that holds it hidden after flags: its words are not shown meanwhile.</summary>
    public string? HiddenBy { get; init; }

    /// <summary>Its images (on <c>GET /posts/{id}</c>): pixels only, every metadata block gone.</summary>
    public IReadOnlyList<ImageView> Images { get; init; } = [];

    public static PostResponse From(PostView post) =>
        new(post.Id, post.Council, post.Kind, post.Author, post.AuthorName, post.Title, post.Text,
            post.Text is null ? null : Markdown.ToSafeHtml(post.Text), post.PublishedAt, post.Deleted)
        {
            Erased = post.Erased, HiddenBy = post.HiddenBy, Images = post.Images,
        };
}

/// <summary>A council's own press: reports, news and statements by its members, read per the council's visibility.</summary>
public static class FeedApi
{
    public static void MapFeedApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/councils/{id:guid}/posts", OfCouncilAsync).WithName("CouncilPosts").WithTags("Feed");
        api.MapPost("/councils/{id:guid}/posts", PublishAsync).WithName("PublishPost").WithTags("Feed");
        api.MapGet("/posts/{id:guid}", GetAsync).WithName("GetPost").WithTags("Feed");
        api.MapDelete("/posts/{id:guid}", DeleteAsync).WithName("DeletePost").WithTags("Feed");
        api.MapPost("/posts/{id:guid}/images", AttachImageAsync).WithName("AttachImage").WithTags("Feed")
            .WithMetadata(new RawBody("image/jpeg", "image/png", "image/webp", "image/gif"));
        api.MapGet("/images/{id:guid}", ImageAsync).WithName("GetImage").WithTags("Feed")
            .Produces(StatusCodes.Status200OK, typeof(byte[]), "image/jpeg", "image/png");
        api.MapPost("/councils/{id:guid}/calls", PublishCallAsync).WithName("PublishCall").WithTags("Feed");
        api.MapPost("/motions/{id:guid}/call", CallFromDecisionAsync).WithName("CallFromDecision").WithTags("Feed");
        api.MapGet("/calls/{id:guid}", GetCallAsync).WithName("GetCall").WithTags("Feed");
        api.MapPut("/calls/{id:guid}/pledge", PledgeAsync).WithName("Pledge").WithTags("Feed");
        api.MapDelete("/calls/{id:guid}/pledge", WithdrawPledgeAsync).WithName("WithdrawPledge").WithTags("Feed");
    }

    private static readonly ProblemHttpResult NoSuchCall = Problems.From(Refusal.NotFound("This call to action"));

    private static async Task<Results<Created<CreatedId>, ProblemHttpResult>> PublishCallAsync(
        CouncilId id, CallRequest request, Me me, HttpContext context, Commands commands, CancellationToken ct) =>
        await InvisibleCouncils.ReadableAsync(context, id) is null
            ? CouncilsApi.NoSuchCouncil
            : await commands.AnswerAsync(me.Id, Limit.Creation,
                s => CallCommands.Publish(s, id, me.Id, request.Title, request.Text, request.Place, request.StartsAt, request.Threshold, request.Deadline, request.EndsAt),
                call => TypedResults.Created($"/api/v1/calls/{call}", new CreatedId(call.ToString())), ct);

    private static Task<Results<Created<CreatedId>, ProblemHttpResult>> CallFromDecisionAsync(
        MotionId id, CallRequest request, Me me, Commands commands, CancellationToken ct) =>
        commands.AnswerAsync(me.Id, Limit.Creation,
            s => CallCommands.FromDecision(s, id, me.Id, request.Place, request.StartsAt, request.Threshold, request.Deadline, request.EndsAt),
            call => TypedResults.Created($"/api/v1/calls/{call}", new CreatedId(call.ToString())), ct);

    private static async Task<Results<Ok<CallResponse>, ProblemHttpResult>> GetCallAsync(
        PostId id, HttpContext context, FeedQueries feed, TimeProvider clock, CancellationToken ct) =>
        await feed.CallAsync(id, context.User.Person(), clock.GetUtcNow(), ct) is { } call
            && await InvisibleCouncils.ReadableAsync(context, new CouncilId(Guid.Parse(call.Post.Council))) is not null
            ? TypedResults.Ok(CallResponse.From(call))
            : NoSuchCall;

    /// <summary>The answer is the call after the pledge: the request that crosses the threshold already says it is on.</summary>
    private static Task<Results<Ok<CallResponse>, ProblemHttpResult>> PledgeAsync(
        PostId id, Me me, Commands commands, FeedQueries feed, TimeProvider clock, CancellationToken ct) =>
        commands.AnswerAsync(me.Id, Limit.Ballot, s => CallCommands.Pledge(s, id, me.Id),
            async _ => TypedResults.Ok(CallResponse.From((await feed.CallAsync(id, me.Id, clock.GetUtcNow(), ct))!)), ct);

    private static Task<Results<Ok<CallResponse>, ProblemHttpResult>> WithdrawPledgeAsync(
        PostId id, Me me, Commands commands, FeedQueries feed, TimeProvider clock, CancellationToken ct) =>
        commands.AnswerAsync(me.Id, Limit.Ballot, s => CallCommands.Withdraw(s, id, me.Id),
            async _ => TypedResults.Ok(CallResponse.From((await feed.CallAsync(id, me.Id, clock.GetUtcNow(), ct))!)), ct);

    private static readonly ProblemHttpResult NoSuchPost = Problems.From(Refusal.NotFound("This post"));

    /// <summary>
    /// The body is the image file itself, up to <see cref="Images.MaxBytes"/> (above the server's
    /// usual limit for a request, for this route alone); it is cleaned before anything is written.
    /// </summary>
    private static async Task<Results<Created<CreatedId>, ProblemHttpResult>> AttachImageAsync(
        PostId id, string? description, HttpRequest request, Me me, Commands commands, CancellationToken ct)
    {
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = Images.MaxBytes + 1;
        }
        var result = await commands.RunPreparedAsync<Core.Feed.CleanImage, ImageId>(me.Id, Limit.Creation, async () =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body, ct);
                return await Images.CleanAsync(body.ToArray(), ct);
            },
            cleaned => s => FeedCommands.AttachImage(s, id, me.Id, cleaned, description), ct);
        return result.Refusal is { } refusal
            ? Problems.From(refusal)
            : TypedResults.Created($"/api/v1/images/{result.Value}", new CreatedId(result.Value.ToString()));
    }

    /// <summary>The same image for the pages, read with the sign-in cookie: <c>/images/{id}</c>.</summary>
    public static void MapImages(this IEndpointRouteBuilder app) =>
        app.MapGet("/images/{id:guid}", ImageAsync).ExcludeFromDescription();

    /// <summary>An image, read per its council's visibility, while its post shows it.</summary>
    private static async Task<IResult> ImageAsync(ImageId id, HttpContext context, FeedQueries feed, CancellationToken ct)
    {
        if (await feed.ImageAsync(id, ct) is not { Shown: true } image || await InvisibleCouncils.ReadableAsync(context, image.Council) is null)
        {
            return Problems.From(Refusal.NotFound("This image"));
        }
        // Not kept by shared caches, and asked again each time: a post hidden or erased takes its images with it.
        context.Response.Headers.CacheControl = "private, no-cache";
        return TypedResults.File(image.Bytes, image.ContentType);
    }

    private static async Task<Results<Ok<IReadOnlyList<PostResponse>>, ProblemHttpResult>> OfCouncilAsync(
        CouncilId id, HttpContext context, FeedQueries feed, CancellationToken ct) =>
        await InvisibleCouncils.ReadableAsync(context, id) is null
            ? CouncilsApi.NoSuchCouncil
            : TypedResults.Ok<IReadOnlyList<PostResponse>>([.. (await feed.OfCouncilAsync(id, ct)).Select(PostResponse.From)]);

    private static async Task<Results<Created<CreatedId>, ProblemHttpResult>> PublishAsync(
        CouncilId id, PostRequest request, Me me, HttpContext context, Commands commands, CancellationToken ct) =>
        await InvisibleCouncils.ReadableAsync(context, id) is null
            ? CouncilsApi.NoSuchCouncil
            : await commands.AnswerAsync(me.Id, Limit.Creation, s => FeedCommands.Publish(s, id, me.Id, request.Kind, request.Title, request.Text),
                post => TypedResults.Created($"/api/v1/posts/{post}", new CreatedId(post.ToString())), ct);

    private static async Task<Results<Ok<PostResponse>, ProblemHttpResult>> GetAsync(PostId id, HttpContext context, FeedQueries feed, CancellationToken ct) =>
        await feed.GetAsync(id, ct) is { } post && await InvisibleCouncils.ReadableAsync(context, new CouncilId(Guid.Parse(post.Council))) is not null
            ? TypedResults.Ok(PostResponse.From(post))
            : NoSuchPost;

    private static Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(PostId id, Me me, Commands commands, CancellationToken ct) =>
        commands.AnswerAsync(me.Id, Limit.None, s => FeedCommands.Delete(s, id, me.Id), _ => TypedResults.NoContent(), ct);
}
