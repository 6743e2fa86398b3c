using Shura.Core.Accounts;

namespace Shura.Web.Accounts;

public sealed record RegisterRequest(string? Name, string? Email, string? Password);

public sealed record TokenRequest(string? Email, string? Password, string? Label);

public sealed record CreatedId(string Id);

public sealed record TokenCreatedResponse(string Id, string Token);

public sealed record TokenView(string Id, string Label, string CreatedAt, string? RevokedAt);

public sealed record MeResponse(string Id, string Name)
{
    /// <summary>The IANA name of the zone the pages show this person times in; null when they chose none (UTC).</summary>
    public string? TimeZone { get; init; }

    /// <summary>Whether the person's e-mail address is verified (some councils let only verified members vote).</summary>
    public bool EmailVerified { get; init; }
}

public sealed record TimeZoneRequest(string? TimeZone);

/// <summary>One's notices, the latest first, and how many are unread (at most 51: "50+").</summary>
public sealed record NoticesResponse(int Unread, IReadOnlyList<Storage.Notifications.NoticeView> Notices);

public sealed record TimeZoneResponse(string TimeZone);

/// <summary>How one hears of each kind of notice: "in-app", "at-once" (and e-mail), "digest" (and a daily e-mail) or "off".</summary>
public sealed record NoticeChannels(IReadOnlyDictionary<string, string>? Channels);

/// <summary>Accounts and personal access tokens.</summary>
public static class AccountsApi
{
    public static void MapAccountsApi(this IEndpointRouteBuilder api)
    {
        var accounts = api.MapGroup("").WithTags("Accounts");
        accounts.MapPost("/accounts", RegisterAsync).WithName("Register").ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests);
        accounts.MapPost("/tokens", CreateTokenAsync).WithName("CreateToken").ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        accounts.MapGet("/tokens", ListTokensAsync).WithName("ListTokens");
        accounts.MapDelete("/tokens/{id:guid}", RevokeTokenAsync).WithName("RevokeToken");
        accounts.MapGet("/me", async (Me me, AccountQueries queries, CancellationToken ct) =>
            TypedResults.Ok(new MeResponse(me.Id.ToString(), me.Name)
            {
                TimeZone = await queries.TimeZoneAsync(me.Id, ct), EmailVerified = await queries.VerifiedAsync(me.Id, ct),
            })).WithName("Me");
        accounts.MapPut("/me/time-zone", SetTimeZoneAsync).WithName("SetTimeZone");
        accounts.MapGet("/me/notices", async (Me me, Storage.Notifications.NoticeQueries notices, CancellationToken ct) =>
            TypedResults.Ok(new NoticesResponse(await notices.UnreadAsync(me.Id, ct), await notices.OfAsync(me.Id, ct)))).WithName("Notices");
        accounts.MapPost("/me/notices/read", (Me me, Commands commands, CancellationToken ct) =>
            commands.AnswerAsync(me.Id, Limit.None, s => Storage.Notifications.NoticeCommands.MarkRead(s, me.Id), _ => TypedResults.NoContent(), ct)).WithName("ReadNotices");
        accounts.MapGet("/me/notices/channels", async (Me me, Storage.Notifications.NoticeQueries notices, CancellationToken ct) =>
            TypedResults.Ok(new NoticeChannels(await notices.ChannelsAsync(me.Id, ct)))).WithName("NoticeChannels");
        accounts.MapPut("/me/notices/channels", async Task<Results<Ok<NoticeChannels>, ProblemHttpResult>> (
            NoticeChannels request, Me me, Commands commands, Storage.Notifications.NoticeQueries notices, CancellationToken ct) =>
        {
            if (request.Channels is not { Count: > 0 } channels)
            {
                return Problems.Invalid("channels", "channels is required: a kind of notice and how to hear of it, such as {\"result\": \"digest\"}.");
            }
            return await commands.AnswerAsync(me.Id, Limit.None, s => Storage.Notifications.NoticeCommands.Choose(s, me.Id, channels),
                async _ => TypedResults.Ok(new NoticeChannels(await notices.ChannelsAsync(me.Id, ct))), ct);
        }).WithName("ChooseNoticeChannels");
    }

    /// <summary>The zone the pages show this person times in: private, never in the log.</summary>
    private static async Task<Results<Ok<TimeZoneResponse>, ProblemHttpResult>> SetTimeZoneAsync(
        TimeZoneRequest request, Me me, Commands commands, CancellationToken ct)
    {
        if (Site.TimeZones.Find(request.TimeZone) is not { } zone)
        {
            return Problems.From(Refusal.Unprocessable(Codes.UnknownTimeZone,
                $"\"{request.TimeZone}\" is not the IANA name of a time zone, such as Asia/Tehran or America/New_York.", "timeZone"));
        }
        return await commands.AnswerAsync(me.Id, Limit.None, s => AccountCommands.SetTimeZone(s, me.Id, zone.Id), _ => TypedResults.Ok(new TimeZoneResponse(zone.Id)), ct);
    }

    private static async Task<Results<Created<CreatedId>, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request, HttpContext context, Writer writer, Site.Throttle throttle, AccountMails mails, CancellationToken ct)
    {
        if (Registration.Check(request.Name, request.Email, request.Password) is Refusal refusal)
        {
            return Problems.From(refusal);
        }
        if (!await throttle.MayOpenAccountAsync(context.Connection.RemoteIpAddress?.ToString()))
        {
            return Problems.Problem(429, Codes.TooManyAccounts, "Many accounts were opened from this address lately; wait an hour.");
        }
        string hash = Passwords.Hash(request.Password!);
        // The language the request speaks (Accept-Language) is the one the person's e-mails are written in.
        string language = Site.Formats.Current.Language;
        var result = await writer.RunAsync(s => AccountCommands.Register(s, request.Name!, request.Email!, hash, language: language), ct);
        if (result.Refusal is { } refused)
        {
            return Problems.From(refused);
        }
        await mails.SendVerificationAsync(writer, result.Value, request.Email!, language, ct);
        return TypedResults.Created($"/api/v1/accounts/{result.Value}", new CreatedId(result.Value.ToString()));
    }

    private static async Task<Results<Created<TokenCreatedResponse>, ProblemHttpResult>> CreateTokenAsync(
        TokenRequest request, HttpContext context, AccountQueries accounts, Writer writer, Site.Throttle throttle, CancellationToken ct)
    {
        if (request.Email is null || request.Password is null)
        {
            return Problems.Invalid(request.Email is null ? "email" : "password", "email and password are required.");
        }
        if (!await throttle.MaySignInAsync(context.Connection.RemoteIpAddress?.ToString(), request.Email))
        {
            return Problems.Problem(429, Codes.TooManyAttempts, "Too many sign-in attempts for this address; wait a few minutes.");
        }
        // The same answer, in the same time, whether the address is unknown or the password wrong: no account probing.
        if (await Credentials.CheckAsync(accounts, request.Email, request.Password, ct) is not { } account)
        {
            await throttle.SignInFailedAsync(context.Connection.RemoteIpAddress?.ToString());
            return Problems.Problem(401, Codes.InvalidCredentials, "The e-mail address or the password is wrong.");
        }
        if (Text.NameProblem(request.Label ?? "api", "label", 1, 100) is Refusal bad)
        {
            return Problems.From(bad);
        }
        string secret = BearerTokens.NewSecret();
        var result = await writer.RunAsync(s => AccountCommands.CreateToken(s, account, request.Label ?? "api", BearerTokens.HashOf(secret)), ct);
        return TypedResults.Created($"/api/v1/tokens/{result.Value}", new TokenCreatedResponse(result.Value.ToString(), secret));
    }

    private static async Task<Ok<TokenView[]>> ListTokensAsync(Me me, AccountQueries accounts, CancellationToken ct) =>
        TypedResults.Ok((await accounts.TokensAsync(me.Id, ct)).Select(t => new TokenView(t.Id, t.Label, t.CreatedAt, t.RevokedAt)).ToArray());

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeTokenAsync(TokenId id, Me me, Commands commands, BearerTokens tokens, CancellationToken ct)
    {
        var answer = await commands.AnswerAsync(me.Id, Site.Limit.None, s => AccountCommands.RevokeToken(s, me.Id, id), _ => TypedResults.NoContent(), ct);
        tokens.Forget(me.Id);
        return answer;
    }
}
