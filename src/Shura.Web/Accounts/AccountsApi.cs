using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shura.Core;
using Shura.Core.Accounts;
using Shura.Storage;
using Shura.Storage.Accounts;

namespace Shura.Web.Accounts;

public sealed record RegisterRequest(string? Name, string? Email, string? Password);

public sealed record TokenRequest(string? Email, string? Password, string? Label);

public sealed record Created(string Id);

public sealed record TokenCreatedResponse(string Id, string Token);

public sealed record TokenView(string Id, string Label, string CreatedAt, string? RevokedAt);

public sealed record MeResponse(string Id, string Name);

/// <summary>Accounts and personal access tokens.</summary>
public static class AccountsApi
{
    public static void MapAccountsApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/accounts", RegisterAsync).WithName("Register").WithTags("Accounts");
        api.MapPost("/tokens", CreateTokenAsync).WithName("CreateToken").WithTags("Accounts");
        api.MapGet("/tokens", ListTokensAsync).WithName("ListTokens").WithTags("Accounts");
        api.MapDelete("/tokens/{id:guid}", RevokeTokenAsync).WithName("RevokeToken").WithTags("Accounts");
        api.MapGet("/me", MeAsync).WithName("Me").WithTags("Accounts");
    }

    private static async Task<IResult> RegisterAsync(RegisterRequest request, HttpContext context, Writer writer, Site.Throttle throttle, CancellationToken ct)
    {
        if (Registration.Check(request.Name, request.Email, request.Password) is Refusal refusal)
        {
            return Problems.From(refusal);
        }
        if (!throttle.MayOpenAccount(context.Connection.RemoteIpAddress?.ToString()))
        {
            return Problems.Problem(429, Codes.TooManyAccounts, "Many accounts were opened from this address lately; wait an hour.");
        }
        string hash = Passwords.Hash(request.Password!);
        var result = await writer.RunAsync(s => AccountCommands.Register(s, request.Name!, request.Email!, hash), ct);
        return result.Refusal is { } refused
            ? Problems.From(refused)
            : Results.Created($"/api/v1/accounts/{result.Value}", new Created(result.Value.ToString()));
    }

    private static async Task<IResult> CreateTokenAsync(TokenRequest request, HttpContext context, AccountQueries accounts, Writer writer, Site.Throttle throttle, CancellationToken ct)
    {
        if (request.Email is null || request.Password is null)
        {
            return Problems.Problem(400, Codes.InvalidField, "email and password are required.", request.Email is null ? "email" : "password");
        }
        if (!throttle.MaySignIn(context.Connection.RemoteIpAddress?.ToString(), request.Email))
        {
            return Problems.Problem(429, Codes.TooManyAttempts, "Too many sign-in attempts for this address; wait a few minutes.");
        }
        // The same answer, in the same time, whether the address is unknown or the password wrong: no account probing.
        if (await Credentials.CheckAsync(accounts, request.Email, request.Password, ct) is not { } account)
        {
            throttle.SignInFailed(context.Connection.RemoteIpAddress?.ToString());
            return Problems.Problem(401, Codes.InvalidCredentials, "The e-mail address or the password is wrong.");
        }
        if (Text.NameProblem(request.Label ?? "api", "label", 1, 100) is Refusal bad)
        {
            return Problems.From(bad);
        }
        string secret = Actors.NewSecret();
        var result = await writer.RunAsync(s => AccountCommands.CreateToken(s, account, request.Label ?? "api", Actors.HashOf(secret)), ct);
        return Results.Created($"/api/v1/tokens/{result.Value}", new TokenCreatedResponse(result.Value.ToString(), secret));
    }

    private static async Task<IResult> ListTokensAsync(HttpContext context, Actors actors, AccountQueries accounts, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        var tokens = await accounts.TokensAsync(actor.Id, ct);
        return Results.Ok(tokens.Select(t => new TokenView(t.Id, t.Label, t.CreatedAt, t.RevokedAt)));
    }

    private static async Task<IResult> RevokeTokenAsync(Guid id, HttpContext context, Actors actors, Writer writer, CancellationToken ct)
    {
        if (await actors.FindAsync(context) is not { } actor)
        {
            return Problems.Unauthenticated;
        }
        var result = await writer.RunAsync(s => AccountCommands.RevokeToken(s, actor.Id, new TokenId(id)), ct);
        actors.Forget(actor.Id);
        return result.Refusal is { } refused ? Problems.From(refused) : Results.NoContent();
    }

    private static async Task<IResult> MeAsync(HttpContext context, Actors actors) =>
        await actors.FindAsync(context) is { } actor
            ? Results.Ok(new MeResponse(actor.Id.ToString(), actor.Name))
            : Problems.Unauthenticated;
}
