using System.Globalization;
using Microsoft.Extensions.Localization;
using Shura.Storage.Accounts;

namespace Shura.Web.Accounts;

public sealed record NameRequest(string? Name);

public sealed record EmailRequest(string? Email);

public sealed record PasswordChange(string? CurrentPassword, string? NewPassword);

public sealed record ResetRequest(string? Email);

public sealed record NewPassword(string? Password);

public sealed record VerifyRequest(string? Token);

public sealed record DeleteRequest(string? Password);

public sealed record LanguageRequest(string? Language);

/// <summary>
/// The e-mails of one's own account: a link to verify an address, a link to reset a password.
/// Written in the person's language, with links to this server's own address (never to the Host
/// a request named, which an attacker could set to their own site).
/// </summary>
public sealed class AccountMails(IStringLocalizer<Site.Words> words, Notifications.SiteAddress site, IServiceProvider services)
{
    /// <summary>Whether this server sends e-mail at all (<c>--smtp</c>).</summary>
    public bool On => services.GetService<Notifications.MailSettings>() is not null;

    public Func<string, (string Subject, string Body)> Verification(string? language) => secret => In(language, () =>
    (
        words["Verify your e-mail address for Shura"],
        $"{words["Open this link to verify your e-mail address:"]}\n{Link("/verify/" + secret)}\n\n{words["If you did not ask for this, ignore this e-mail."]}\n"
    ));

    public Func<string, (string Subject, string Body)> Reset(string? language) => secret => In(language, () =>
    (
        words["Reset your Shura password"],
        $"{words["Open this link within 30 minutes to choose a new password:"]}\n{Link("/reset/" + secret)}\n\n{words["If you did not ask for this, ignore this e-mail: your password stays as it is."]}\n"
    ));

    /// <summary>At sign-up: a link to verify the address the person gave, when this server sends e-mail.</summary>
    public async Task SendVerificationAsync(Writer writer, AccountId account, string email, string? language, CancellationToken ct)
    {
        if (On)
        {
            await writer.RunAsync(s => OwnAccount.Issue(s, account, "verify", Core.Accounts.Registration.NormalizeEmail(email), Storage.Secrets.Create("v_"), Verification(language)), ct);
        }
    }

    private string Link(string path) => new Uri(site.Base, path).ToString();

    private static T In<T>(string? language, Func<T> make) => Site.InLanguage.Run(Site.InLanguage.Of(language), make);
}

/// <summary>
/// One's own account over the API: name, e-mail address (verified by a link), password, reset by
/// e-mail, sessions, the export of everything about oneself, and deletion.
/// </summary>
public static class OwnAccountApi
{
    public static void MapOwnAccountApi(this IEndpointRouteBuilder api)
    {
        var own = api.MapGroup("").WithTags("Accounts");
        own.MapPut("/me/name", async (NameRequest request, Me me, Commands commands, BearerTokens tokens, CancellationToken ct) =>
        {
            var answer = await commands.AnswerAsync(me.Id, Limit.None, s => OwnAccount.Rename(s, me.Id, request.Name), _ => TypedResults.NoContent(), ct);
            // Tokens remembered with the old name are read again.
            tokens.Forget(me.Id);
            return answer;
        }).WithName("Rename");
        own.MapPut("/me/email", ChangeEmailAsync).WithName("ChangeEmail");
        own.MapPut("/me/language", (LanguageRequest request, Me me, Commands commands, CancellationToken ct) =>
            Site.Pages.Languages.Any(l => l.Name == request.Language)
                ? commands.AnswerAsync(me.Id, Limit.None, s => AccountCommands.SetLanguage(s, me.Id, request.Language!), _ => TypedResults.NoContent(), ct)
                : Task.FromResult<Results<NoContent, ProblemHttpResult>>(Problems.Invalid("language", "language must be en or fa.")))
            .WithName("SetLanguage");
        own.MapPost("/me/email/verification", SendVerificationAsync).WithName("SendVerification");
        own.MapPost("/verifications", async Task<Results<NoContent, ProblemHttpResult>> (VerifyRequest request, Writer writer, CancellationToken ct) =>
            await writer.RunAsync(s => OwnAccount.Verify(s, request.Token ?? ""), ct) is { Refusal: { } refused } ? Problems.From(refused) : TypedResults.NoContent())
            .WithName("Verify");
        own.MapPut("/me/password", ChangePasswordAsync).WithName("ChangePassword");
        own.MapPost("/password-resets", RequestResetAsync).WithName("RequestReset");
        own.MapPost("/password-resets/{token}", async Task<Results<NoContent, ProblemHttpResult>> (string token, NewPassword request, Writer writer, CancellationToken ct) =>
        {
            if (Core.Accounts.Registration.PasswordProblem(request.Password) is Refusal bad)
            {
                return Problems.From(bad);
            }
            string hash = Passwords.Hash(request.Password!);
            return await writer.RunAsync(s => OwnAccount.Reset(s, token, hash), ct) is { Refusal: { } refused } ? Problems.From(refused) : TypedResults.NoContent();
        }).WithName("ResetPassword");
        own.MapGet("/me/sessions", async (Me me, AccountQueries accounts, HttpContext context, CancellationToken ct) =>
            TypedResults.Ok(await accounts.SessionsAsync(me.Id, CurrentSession(context), ct))).WithName("Sessions");
        own.MapDelete("/me/sessions/{id}", (string id, Me me, Commands commands, CancellationToken ct) =>
            commands.AnswerAsync(me.Id, Limit.None, s => OwnAccount.EndSession(s, me.Id, id), _ => TypedResults.NoContent(), ct)).WithName("EndSession");
        own.MapGet("/me/export", async (Me me, PersonalData data, CancellationToken ct) =>
            TypedResults.Ok(await data.ExportAsync(me.Id, ct))).WithName("Export");
        own.MapDelete("/me", DeleteAsync).WithName("DeleteAccount");
    }

    /// <summary>The hash of the sign-in session a page request comes with (none for a bearer token).</summary>
    internal static string? CurrentSession(HttpContext context) =>
        context.User.FindFirst(Sessions.Claim)?.Value is { } secret ? Storage.Secrets.Hash(secret) : null;

    private static async Task<Results<NoContent, ProblemHttpResult>> ChangeEmailAsync(
        EmailRequest request, Me me, Commands commands, AccountMails mails, AccountQueries accounts, CancellationToken ct)
    {
        if (Core.Accounts.Registration.EmailProblem(request.Email) is Refusal bad)
        {
            return Problems.From(bad);
        }
        if (!mails.On)
        {
            return Problems.From(MailOff());
        }
        string email = Core.Accounts.Registration.NormalizeEmail(request.Email!);
        string? language = await accounts.LanguageAsync(me.Id, ct);
        // The address counts once its owner opens the link sent to it; until then the old one stays.
        return await commands.AnswerAsync(me.Id, Limit.Creation,
            s => OwnAccount.Issue(s, me.Id, "verify", email, Storage.Secrets.Create("v_"), mails.Verification(language)), _ => TypedResults.NoContent(), ct);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SendVerificationAsync(
        Me me, Commands commands, AccountMails mails, AccountQueries accounts, CancellationToken ct)
    {
        if (!mails.On)
        {
            return Problems.From(MailOff());
        }
        var (email, language) = await accounts.EmailAndLanguageAsync(me.Id, ct);
        return await commands.AnswerAsync(me.Id, Limit.Creation,
            s => OwnAccount.Issue(s, me.Id, "verify", email, Storage.Secrets.Create("v_"), mails.Verification(language)), _ => TypedResults.NoContent(), ct);
    }

    internal static Refusal MailOff() =>
        Refusal.Conflict(Codes.MailOff, "This server sends no e-mail (it was started without --smtp): nothing can be sent to you.");

    private static async Task<Results<NoContent, ProblemHttpResult>> ChangePasswordAsync(
        PasswordChange request, Me me, AccountQueries accounts, Commands commands, HttpContext context, CancellationToken ct)
    {
        if (Core.Accounts.Registration.PasswordProblem(request.NewPassword) is Refusal bad)
        {
            return Problems.From(bad with { Field = "newPassword" });
        }
        if (!await PasswordIsAsync(accounts, me.Id, request.CurrentPassword, ct))
        {
            return Problems.Problem(401, Codes.InvalidCredentials, "The current password is wrong.");
        }
        string hash = Passwords.Hash(request.NewPassword!);
        return await commands.AnswerAsync(me.Id, Limit.None, s => OwnAccount.SetPassword(s, me.Id, hash, CurrentSession(context)), _ => TypedResults.NoContent(), ct);
    }

    internal static async Task<bool> PasswordIsAsync(AccountQueries accounts, AccountId account, string? password, CancellationToken ct) =>
        password is not null && await accounts.PasswordHashAsync(account, ct) is { Length: > 0 } stored && Passwords.Verify(stored, password);

    /// <summary>
    /// A reset link to the address, if an account has it: the answer is the same either way, so
    /// nobody learns whether an address has an account here; the sign-in limits apply.
    /// </summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> RequestResetAsync(
        ResetRequest request, AccountQueries accounts, Writer writer, AccountMails mails, Site.Throttle throttle, HttpContext context, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Email))
        {
            return Problems.Invalid("email", "email is required: the address of the account.");
        }
        if (!mails.On)
        {
            return Problems.From(MailOff());
        }
        if (!await throttle.MaySignInAsync(context.Connection.RemoteIpAddress?.ToString(), request.Email))
        {
            return Problems.Problem(429, Codes.TooManyAttempts, "Too many attempts for this address; wait a few minutes.");
        }
        if (await accounts.FindByEmailAsync(request.Email, ct) is { } found)
        {
            var (email, language) = await accounts.EmailAndLanguageAsync(found.Id, ct);
            await writer.RunAsync(s => OwnAccount.Issue(s, found.Id, "reset", email, Storage.Secrets.Create("r_"), mails.Reset(language)), ct);
        }
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        [Microsoft.AspNetCore.Mvc.FromBody] DeleteRequest request, Me me, AccountQueries accounts, Commands commands, BearerTokens tokens, CancellationToken ct)
    {
        // Deleting cannot be undone: the password is asked again, as for changing it.
        if (!await PasswordIsAsync(accounts, me.Id, request.Password, ct))
        {
            return Problems.Problem(401, Codes.InvalidCredentials, "The password is wrong.");
        }
        var answer = await commands.AnswerAsync(me.Id, Limit.None, s => OwnAccount.Delete(s, me.Id), _ => TypedResults.NoContent(), ct);
        tokens.Forget(me.Id);
        return answer;
    }
}
