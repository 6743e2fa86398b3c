using Shura.Storage.Feed;

namespace Shura.Web.Pages.Feed;

/// <summary>Writing a post for the council's feed: a report, news or a statement, in Markdown, with an image if wished.</summary>
[Microsoft.AspNetCore.Authorization.Authorize]
[RequestSizeLimit(Web.Feed.Images.MaxBytes + 256 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = Web.Feed.Images.MaxBytes + 256 * 1024)]
public sealed class NewPostModel(CouncilQueries councils) : ShuraPage
{
    public string CouncilName { get; private set; } = "";

    public string? Kind { get; private set; }

    public string? Title { get; private set; }

    public string? Text { get; private set; }

    public async Task<IActionResult> OnGetAsync(CouncilId id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    /// <summary>The post and its image are published together or not at all: an image refused publishes nothing.</summary>
    public async Task<IActionResult> OnPostAsync(CouncilId id, string? kind, string? title, string? text, IFormFile? image, string? description, CancellationToken ct)
    {
        var me = Person;
        (Kind, Title, Text) = (kind, title, text);
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        var commands = HttpContext.RequestServices.GetRequiredService<Commands>();
        var result = image is { Length: > 0 }
            ? await commands.RunPreparedAsync<Core.Feed.CleanImage, PostId>(me, Limit.Creation, () => Web.Feed.Images.CleanAsync(image, ct),
                cleaned => s => FeedCommands.Publish(s, id, me, kind, title, text, [(cleaned, description)]), ct)
            : await RunAsync(me, Limit.Creation, s => FeedCommands.Publish(s, id, me, kind, title, text), ct);
        return result.Refusal is { } refused ? Refused(refused) : GoTo($"/posts/{result.Value}");
    }

    private async Task<bool> LoadAsync(CouncilId id, CancellationToken ct)
    {
        var view = await councils.GetAsync(id, ct);
        if (!await MayReadAsync(view, ct))
        {
            return false;
        }
        CouncilName = view!.Council.Name;
        return true;
    }
}
