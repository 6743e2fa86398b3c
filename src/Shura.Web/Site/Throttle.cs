using Shura.Core;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Filters;
using Shura.Core.Accounts;

namespace Shura.Web.Site;

/// <summary>Marks a route or page handler that makes something new (a council, a motion, an amendment, an action…): it is limited per person.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class CreatesAttribute : Attribute;

/// <summary>
/// The rate limits, each as a burst and what comes back per period. The defaults suit a council
/// server; an operator (or a test that makes a hundred councils in a second) may set others.
/// </summary>
public sealed record Limits
{
    public static readonly Limits Default = new();

    /// <summary>Things one person may make at once, and per minute after that.</summary>
    public (int Burst, int PerMinute) Creations { get; init; } = (20, 10);

    /// <summary>Accounts one address may open at once, and per hour after that.</summary>
    public (int Burst, int PerHour) Accounts { get; init; } = (20, 10);

    /// <summary>Sign-in attempts per five minutes: for one address and e-mail, and failed ones for one address whatever the e-mail.</summary>
    public (int PerAccount, int FailuresPerAddress) SignIn { get; init; } = (10, 30);
}

/// <summary>
/// Rate limits where guessing or flooding would hurt. A refused attempt changes nothing and says
/// when to try again. Counted in this process (several processes each count their own).
/// <list type="bullet">
/// <item>Signing in: 10 attempts per 5 minutes per address and e-mail (one account cannot be
/// brute-forced), and 30 failed attempts per 5 minutes per address whatever the e-mail (one
/// address cannot try a password on many accounts). E-mail addresses are counted in the one form
/// they are stored in, so a look-alike spelling gets no fresh count.</item>
/// <item>Opening accounts: 20 at once per address, then 10 an hour.</item>
/// <item>Making things (councils, motions, amendments, mandates, actions, reports, invitations):
/// 20 at once per person, then 10 a minute.</item>
/// <item>Voting from the pages: 30 ballots a minute per person.</item>
/// </list>
/// </summary>
public sealed class Throttle(Limits limits) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _signIn = Window(limits.SignIn.PerAccount, TimeSpan.FromMinutes(5));
    private readonly PartitionedRateLimiter<string> _failures = Window(limits.SignIn.FailuresPerAddress, TimeSpan.FromMinutes(5));
    private readonly PartitionedRateLimiter<string> _accounts = Bucket(limits.Accounts.Burst, limits.Accounts.PerHour, TimeSpan.FromHours(1));
    private readonly PartitionedRateLimiter<string> _creations = Bucket(limits.Creations.Burst, limits.Creations.PerMinute, TimeSpan.FromMinutes(1));
    private readonly PartitionedRateLimiter<string> _votes = Bucket(30, 30, TimeSpan.FromMinutes(1));

    private static PartitionedRateLimiter<string> Window(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits, Window = window, QueueLimit = 0,
        }));

    private static PartitionedRateLimiter<string> Bucket(int burst, int refill, TimeSpan period) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst, TokensPerPeriod = refill, ReplenishmentPeriod = period, QueueLimit = 0, AutoReplenishment = true,
        }));

    /// <summary>Whether this address may try to sign in as this e-mail now; counts the attempt.</summary>
    public bool MaySignIn(string? address, string? email) =>
        (_failures.GetStatistics(address ?? "")?.CurrentAvailablePermits ?? 1) > 0
        && _signIn.AttemptAcquire($"{address}|{Registration.NormalizeEmail(email ?? "")}").IsAcquired;

    /// <summary>A sign-in from this address failed: counted against the address, whichever account it tried.</summary>
    public void SignInFailed(string? address) => _failures.AttemptAcquire(address ?? "");

    public bool MayOpenAccount(string? address) => _accounts.AttemptAcquire(address ?? "").IsAcquired;

    public bool MayCreate(string person) => _creations.AttemptAcquire(person).IsAcquired;

    public bool MayVote(string account) => _votes.AttemptAcquire(account).IsAcquired;

    public void Dispose()
    {
        _signIn.Dispose();
        _failures.Dispose();
        _accounts.Dispose();
        _creations.Dispose();
        _votes.Dispose();
    }

    /// <summary>The limit on making things, for the API's routes marked <see cref="CreatesAttribute"/> (pages: <see cref="CreationLimit"/>).</summary>
    public static void UseCreationLimit(WebApplication app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<CreatesAttribute>() is not null && Pages.IsApi(context.Request.Path)
            && await context.RequestServices.GetRequiredService<Actors>().FindAsync(context) is { } actor
            && !context.RequestServices.GetRequiredService<Throttle>().MayCreate(actor.Id.ToString()))
        {
            await Problems.Problem(429, Codes.TooManyCreations, "You have made many things in a short time; wait a minute.").ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    /// <summary>The same limit for page handlers marked <see cref="CreatesAttribute"/>: the page is shown again with the reason, changing nothing.</summary>
    public sealed class CreationLimit(Throttle throttle) : IAsyncPageFilter
    {
        public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

        public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
        {
            if (context.HandlerMethod?.MethodInfo.GetCustomAttributes(typeof(CreatesAttribute), inherit: true).Length > 0
                && context.HttpContext.User.Person() is { } person && !throttle.MayCreate(person.ToString()))
            {
                context.Result = new Microsoft.AspNetCore.Mvc.StatusCodeResult(StatusCodes.Status429TooManyRequests);
                return;
            }
            await next();
        }
    }
}
