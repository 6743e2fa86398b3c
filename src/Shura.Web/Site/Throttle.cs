using System.Threading.RateLimiting;
using Shura.Core.Accounts;

namespace Shura.Web.Site;

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

    /// <summary>Ballots (cast, changed or withdrawn) one person may send at once, and per minute after that.</summary>
    public (int Burst, int PerMinute) Ballots { get; init; } = (30, 30);
}

/// <summary>Which limit a change from the web counts against (<see cref="Throttle.Refuses"/>).</summary>
public enum Limit
{
    /// <summary>Not limited per person (what limits it is elsewhere, or it only takes something back).</summary>
    None,

    /// <summary>Making something new: a council, motion, amendment, mandate, action, report or invitation.</summary>
    Creation,

    /// <summary>Casting, changing or withdrawing a ballot.</summary>
    Ballot,
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
/// <item>Ballots, from the API and the pages alike: 30 at once per person, then 30 a minute.</item>
/// </list>
/// </summary>
public sealed class Throttle(Limits limits) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _signIn = Window(limits.SignIn.PerAccount, TimeSpan.FromMinutes(5));
    private readonly PartitionedRateLimiter<string> _failures = Window(limits.SignIn.FailuresPerAddress, TimeSpan.FromMinutes(5));
    private readonly PartitionedRateLimiter<string> _accounts = Bucket(limits.Accounts.Burst, limits.Accounts.PerHour, TimeSpan.FromHours(1));
    private readonly PartitionedRateLimiter<string> _creations = Bucket(limits.Creations.Burst, limits.Creations.PerMinute, TimeSpan.FromMinutes(1));
    private readonly PartitionedRateLimiter<string> _ballots = Bucket(limits.Ballots.Burst, limits.Ballots.PerMinute, TimeSpan.FromMinutes(1));

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

    /// <summary>The refusal when this person has reached the limit (counting this attempt otherwise); null when they may go on.</summary>
    public Refusal? Refuses(Limit limit, AccountId person) => limit switch
    {
        Limit.Creation when !_creations.AttemptAcquire(person.ToString()).IsAcquired =>
            Refusal.TooMany(Codes.TooManyCreations, "You have made many things in a short time; wait a minute."),
        Limit.Ballot when !_ballots.AttemptAcquire(person.ToString()).IsAcquired =>
            Refusal.TooMany(Codes.TooManyBallots, "Too many ballots in a short time; wait a minute."),
        _ => null,
    };

    public void Dispose()
    {
        _signIn.Dispose();
        _failures.Dispose();
        _accounts.Dispose();
        _creations.Dispose();
        _ballots.Dispose();
    }
}
