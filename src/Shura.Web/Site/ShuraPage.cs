using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Shura.Web.Site;

/// <summary>
/// What every page shares: who is signed in, and how a refusal from the domain is shown — in the
/// page's language when its code has a translation, otherwise with the domain's own message.
/// </summary>
public abstract class ShuraPage : PageModel
{
    public string? Error { get; protected set; }

    /// <summary>The signed-in person, if any: pages open to anyone show them more (their ballot, say).</summary>
    protected AccountId? Me => User.Person();

    /// <summary>
    /// The signed-in person, in a page marked [Authorize] or a handler marked [SignedIn]: the login check is the
    /// framework's (as for the API's <see cref="Web.Me"/>), made before the handler runs, and an
    /// anonymous visitor is sent to sign in and back.
    /// </summary>
    protected AccountId Person => Me ?? throw new InvalidOperationException($"{GetType().Name}: a handler that acts as a person must be marked [SignedIn] (or its page [Authorize]).");

    protected IStringLocalizer<Words> Words => HttpContext.RequestServices.GetRequiredService<IStringLocalizer<Words>>();

    protected TimeProvider Clock => HttpContext.RequestServices.GetRequiredService<TimeProvider>();

    /// <summary>Shows the refusal on the same page, with the status the API gives the same refusal, changing nothing.</summary>
    protected IActionResult Refused(Refusal refusal)
    {
        Error = Message(refusal);
        Response.StatusCode = Problems.Status(refusal.Kind);
        return Page();
    }

    /// <summary>The same, with the reason already said in the page's language (a message the page put together itself).</summary>
    protected IActionResult Refused(Refusal refusal, string said)
    {
        Refused(refusal);
        Error = said;
        return Page();
    }

    protected string Message(Refusal refusal)
    {
        var translated = Words["error:" + refusal.Code];
        if (!translated.ResourceNotFound)
        {
            return translated.Value;
        }
        // The domain explains a bad field in English; other languages name the field in their own words.
        if (refusal.Field is { } field && !Formats.Current.Language.Equals("en", StringComparison.Ordinal)
            && Words["field:" + field] is { ResourceNotFound: false } label)
        {
            return Words["Check the field “{0}”: it is missing or not valid.", label.Value];
        }
        return refusal.Message;
    }

    /// <summary>After a change, the browser goes back to a page (post, redirect, get), so reloading never repeats it.</summary>
    protected IActionResult GoTo(string path) => LocalRedirect(path);

    /// <summary>
    /// The same, and the page it leads to says once that it worked (<c>done:</c> words, shown by the
    /// layout): only a fixed word of the server's goes through the (protected) temp-data cookie, never
    /// anything a person wrote.
    /// </summary>
    protected IActionResult GoTo(string path, Done done)
    {
        TempData[DoneKey] = done.ToString();
        return LocalRedirect(path);
    }

    public const string DoneKey = "done";

    /// <summary>
    /// Whether this person may read the council (the one rule: <see cref="Councils.InvisibleCouncils.MayReadAsync"/>).
    /// A page of a council one may not read is a 404, as if it did not exist.
    /// </summary>
    protected async Task<bool> MayReadAsync(Storage.Councils.CouncilView? view, CancellationToken ct) =>
        view is not null && await Councils.InvisibleCouncils.MayReadAsync(HttpContext, view);

    /// <summary>
    /// A change made from a page, through the web's one way to change something
    /// (<see cref="Commands"/>): run as the signed-in person, within their limit for that kind of
    /// change. On a refusal the page is shown again (loaded by <paramref name="reload"/>) with the
    /// reason; otherwise the browser goes to where <paramref name="then"/> says.
    /// </summary>
    protected async Task<IActionResult> ChangeAsync<T>(
        Limit limit, Func<Storage.WriteSession, AccountId, Result<T>> step, Func<Task<bool>> reload, Func<T, string> then, CancellationToken ct)
    {
        var me = Person;
        var result = await HttpContext.RequestServices.GetRequiredService<Commands>().RunAsync(me, limit, s => step(s, me), ct);
        if (result.Refusal is { } refusal)
        {
            return await reload() ? Refused(refusal) : NotFound();
        }
        return GoTo(then(result.Value!));
    }

    /// <summary>A command run for the signed-in person through <see cref="Commands"/>, for a page that shows its outcome itself.</summary>
    protected Task<Result<T>> RunAsync<T>(AccountId me, Limit limit, Func<Storage.WriteSession, Result<T>> command, CancellationToken ct, Action<Storage.WriteSession>? wants = null) =>
        HttpContext.RequestServices.GetRequiredService<Commands>().RunAsync(me, limit, command, ct, wants);

    /// <inheritdoc cref="ChangeAsync{T}(Limit, Func{Storage.WriteSession, AccountId, Storage.Result{T}}, Func{Task{bool}}, Func{T, string}, CancellationToken)"/>
    protected Task<IActionResult> ChangeAsync<T>(
        Limit limit, Func<Storage.WriteSession, AccountId, Result<T>> step, Func<Task<bool>> reload, string then, CancellationToken ct) =>
        ChangeAsync(limit, step, reload, _ => then, ct);

    /// <summary>
    /// Flagging a text, taking the flag back, or proposing to erase it, from a page that shows it
    /// (the motion page and the post page): back to the text, or to the new erase motion.
    /// </summary>
    protected Task<IActionResult> ModerateAsync(
        Core.Moderation.Moderated text, string action, string? reasons, Func<Task<bool>> reload, string back, CancellationToken ct)
    {
        // Said here, in the request's language: the command runs on the writer's thread.
        string title = Words[text.Comment is null ? "Erase a post" : "Erase a comment"];
        return action switch
        {
            "flag" => ChangeAsync(Limit.Creation, (s, me) => Storage.Moderation.ModerationCommands.Flag(s, text, me), reload, back, ct),
            "unflag" => ChangeAsync(Limit.Creation, (s, me) => Storage.Moderation.ModerationCommands.Unflag(s, text, me), reload, back, ct),
            _ => ChangeAsync(Limit.Creation, (s, me) => Storage.Moderation.ModerationCommands.ProposeErasure(s, text, me, title, reasons),
                reload, motion => $"/motions/{motion}", ct),
        };
    }

    /// <summary>
    /// Marks a page handler that acts as a person (Razor Pages take [Authorize] only on a whole
    /// page): <see cref="SignedInHandlers"/> challenges an anonymous visitor before it runs.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method)]
    protected sealed class SignedInAttribute : Attribute;

    /// <summary>
    /// The login check of page handlers marked [SignedIn]: an anonymous visitor is challenged —
    /// sent to sign in and back — before the handler runs, as the authorization middleware does for
    /// a page marked [Authorize] as a whole and for an API route that takes <see cref="Web.Me"/>.
    /// </summary>
    public sealed class SignedInHandlers : IAsyncPageFilter
    {
        public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

        public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
        {
            if (context.HandlerMethod?.MethodInfo.IsDefined(typeof(SignedInAttribute), inherit: true) == true
                && context.HttpContext.User.Person() is null)
            {
                context.Result = new ChallengeResult();
                return;
            }
            await next();
        }
    }
}

/// <summary>What worked, said once on the next page.</summary>
public enum Done
{
    SignedUp,
    CouncilFormed,
    Joined,
    Applied,
    BallotCast,
}
