using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Shura.Web.Accounts;

/// <summary>
/// Passkeys (WebAuthn) through ASP.NET Core Identity's SignInManager: a signed-in person adds a
/// passkey, and anyone signs in with one. The browser side is in site.js; these four routes hand it
/// the options and check what it sends back. Each asks for the X-Shura-Passkey header, which a page
/// of another site cannot send, so no other site can drive them with a visitor's cookies.
/// </summary>
public static class PasskeyEndpoints
{
    public const string Header = "X-Shura-Passkey";

    public static void MapPasskeys(this IEndpointRouteBuilder app)
    {
        var passkeys = app.MapGroup("/passkeys").ExcludeFromDescription();
        passkeys.MapPost("/creation-options", async (HttpContext context, SignInManager<PasskeyUser> signIn, UserManager<PasskeyUser> users) =>
        {
            if (!FromOurPage(context) || await SignedInAsync(context, users) is not { } user)
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
            string options = await signIn.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity { Id = user.Id, Name = user.Email, DisplayName = user.Name });
            return Results.Content(options, "application/json");
        });
        passkeys.MapPost("/attestation", async (HttpContext context, SignInManager<PasskeyUser> signIn, UserManager<PasskeyUser> users) =>
        {
            if (!FromOurPage(context) || await SignedInAsync(context, users) is not { } user)
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
            var (refused, answer) = await CeremonyAsync(context);
            if (refused is not null)
            {
                return refused;
            }
            if (await UnlessOtherCeremonyAsync(() => signIn.PerformPasskeyAttestationAsync(answer)) is not { } result)
            {
                return OtherCeremony;
            }
            if (!result.Succeeded || result.UserEntity.Id != user.Id)
            {
                return Problems.Problem(400, Codes.PasskeyRefused, result.Failure?.Message ?? "The passkey was not for this account.");
            }
            result.Passkey.Name = "passkey";
            var added = await users.AddOrUpdatePasskeyAsync(user, result.Passkey);
            return added.Succeeded ? Results.NoContent() : Problems.Problem(400, Codes.PasskeyRefused, string.Join(" ", added.Errors.Select(e => e.Description)));
        });
        passkeys.MapPost("/request-options", async (HttpContext context, SignInManager<PasskeyUser> signIn) =>
            FromOurPage(context)
                ? Results.Content(await signIn.MakePasskeyRequestOptionsAsync(null), "application/json")
                : Results.StatusCode(StatusCodes.Status403Forbidden));
        passkeys.MapPost("/assertion", async (HttpContext context, SignInManager<PasskeyUser> signIn, UserManager<PasskeyUser> users, Throttle throttle) =>
        {
            if (!FromOurPage(context))
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
            if (!await throttle.MaySignInAsync(context.Connection.RemoteIpAddress?.ToString(), "passkey"))
            {
                return Problems.Problem(429, Codes.TooManyAttempts, "Too many sign-in attempts from this address; wait a few minutes.");
            }
            var (refused, answer) = await CeremonyAsync(context);
            if (refused is not null)
            {
                return refused;
            }
            if (await UnlessOtherCeremonyAsync(() => signIn.PerformPasskeyAssertionAsync(answer)) is not { } result)
            {
                return OtherCeremony;
            }
            if (!result.Succeeded)
            {
                return Problems.Problem(401, Codes.InvalidCredentials, result.Failure?.Message ?? "The passkey was not accepted.");
            }
            // The sign count and flags move with each use; keeping them lets a cloned authenticator be noticed.
            await users.AddOrUpdatePasskeyAsync(result.User, result.Passkey);
            await Site.Pages.SignInAsync(context, new AccountId(Guid.Parse(result.User.Id)), result.User.Name);
            return Results.NoContent();
        });
    }

    private static bool FromOurPage(HttpContext context) => context.Request.Headers.ContainsKey(Header);

    /// <summary>
    /// The second step of a ceremony needs its first (the options, kept in Identity's short-lived
    /// cookie) and a body; without either the request is refused as the client's mistake.
    /// </summary>
    private static async Task<(IResult? Refused, string Answer)> CeremonyAsync(HttpContext context)
    {
        if (!(await context.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme)).Succeeded)
        {
            return (Problems.Problem(400, Codes.NoPasskeyCeremony, "No passkey ceremony is under way: ask for the options first."), "");
        }
        string body = await ReadAsync(context);
        return string.IsNullOrWhiteSpace(body)
            ? (Problems.Problem(400, Codes.InvalidJson, "The body must be the browser's answer to the passkey options (JSON); it was empty."), "")
            : (null, body);
    }

    private static IResult OtherCeremony =>
        Problems.Problem(400, Codes.NoPasskeyCeremony, "The passkey ceremony under way is another one (adding a passkey, not signing in, or the reverse): ask for the options again.");

    /// <summary>
    /// The second step of a ceremony: null when the ceremony under way is the other kind (its
    /// options were asked for one, its answer sent to the other), which Identity reports by throwing.
    /// </summary>
    private static async Task<T?> UnlessOtherCeremonyAsync<T>(Func<Task<T>> step) where T : class
    {
        try
        {
            return await step();
        }
        catch (InvalidOperationException e) when (e.Message.Contains("passkey operation", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
    }

    private static async Task<PasskeyUser?> SignedInAsync(HttpContext context, UserManager<PasskeyUser> users) =>
        context.User.Person() is { } me ? await users.FindByIdAsync(me.ToString()) : null;

    private static async Task<string> ReadAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        return await reader.ReadToEndAsync(context.RequestAborted);
    }
}
