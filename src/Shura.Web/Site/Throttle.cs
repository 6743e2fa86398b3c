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

    /// <summary>Deliveries one server of the federated social web may make to the inboxes at once, and per minute after that.</summary>
    public (int Burst, int PerMinute) Deliveries { get; init; } = (300, 300);
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
/// when to try again. Counted in this process, or — with several nodes (<see cref="Nodes"/>) — in
/// their Redis, so that a guesser gains nothing by spreading attempts over the nodes.
/// <list type="bullet">
/// <item>Signing in: 10 attempts per 5 minutes per address and e-mail (one account cannot be
/// brute-forced), and 30 failed attempts per 5 minutes per address whatever the e-mail (one
/// address cannot try a password on many accounts). E-mail addresses are counted in the one form
/// they are stored in, so a look-alike spelling gets no fresh count.</item>
/// <item>Opening accounts: 20 at once per address, then 10 an hour.</item>
/// <item>Making things (councils, motions, amendments, mandates, actions, reports, invitations):
/// 20 at once per person, then 10 a minute.</item>
/// <item>Ballots, from the API and the pages alike: 30 at once per person, then 30 a minute.</item>
/// <item>Deliveries to the fediverse inboxes: 300 at once per server (the host of the signing key),
/// then 300 a minute — counted before the signature is checked, so a flood costs no key fetches.</item>
/// </list>
/// </summary>
public sealed class Throttle(Limits limits, Nodes? nodes = null) : IDisposable
{
    private readonly Counter _signIn = Counter.Window("sign-in", limits.SignIn.PerAccount, TimeSpan.FromMinutes(5), nodes);
    private readonly Counter _failures = Counter.Window("failures", limits.SignIn.FailuresPerAddress, TimeSpan.FromMinutes(5), nodes);
    private readonly Counter _accounts = Counter.Bucket("accounts", limits.Accounts.Burst, limits.Accounts.PerHour, TimeSpan.FromHours(1), nodes);
    private readonly Counter _creations = Counter.Bucket("creations", limits.Creations.Burst, limits.Creations.PerMinute, TimeSpan.FromMinutes(1), nodes);
    private readonly Counter _ballots = Counter.Bucket("ballots", limits.Ballots.Burst, limits.Ballots.PerMinute, TimeSpan.FromMinutes(1), nodes);
    private readonly Counter _deliveries = Counter.Bucket("deliveries", limits.Deliveries.Burst, limits.Deliveries.PerMinute, TimeSpan.FromMinutes(1), nodes);

    /// <summary>Whether this server (a host) may deliver to the inboxes now; counts the delivery.</summary>
    public ValueTask<bool> MayDeliverAsync(string server) => _deliveries.TakeAsync(server.ToLowerInvariant());

    /// <summary>Whether this address may try to sign in as this e-mail now; counts the attempt.</summary>
    public async ValueTask<bool> MaySignInAsync(string? address, string? email) =>
        await _failures.HasLeftAsync(address ?? "")
        && await _signIn.TakeAsync($"{address}|{Registration.NormalizeEmail(email ?? "")}");

    /// <summary>A sign-in from this address failed: counted against the address, whichever account it tried.</summary>
    public ValueTask SignInFailedAsync(string? address) => _failures.CountAsync(address ?? "");

    public ValueTask<bool> MayOpenAccountAsync(string? address) => _accounts.TakeAsync(address ?? "");

    /// <summary>The refusal when this person has reached the limit (counting this attempt otherwise); null when they may go on.</summary>
    public async ValueTask<Refusal?> RefusesAsync(Limit limit, AccountId person) => limit switch
    {
        Limit.Creation when !await _creations.TakeAsync(person.ToString()) =>
            Refusal.TooMany(Codes.TooManyCreations, "You have made many things in a short time; wait a minute."),
        Limit.Ballot when !await _ballots.TakeAsync(person.ToString()) =>
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
        _deliveries.Dispose();
    }

    /// <summary>
    /// One limit: a fixed window (so many per period) or a token bucket (a burst, then so many per
    /// period), counted by the .NET rate limiters in this process, or by a script in Redis that
    /// does the same arithmetic for all nodes at once. Keys reach Redis hashed: its operator
    /// learns no address or e-mail from them.
    /// </summary>
    private abstract class Counter : IDisposable
    {
        public static Counter Window(string name, int permits, TimeSpan window, Nodes? nodes) => nodes is null
            ? new Local(PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits, Window = window, QueueLimit = 0,
            })))
            : new Shared(nodes.Redis.GetDatabase(), $"{nodes.Scope}:limit:{name}", permits, 0, window);

        public static Counter Bucket(string name, int burst, int refill, TimeSpan period, Nodes? nodes) => nodes is null
            ? new Local(PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst, TokensPerPeriod = refill, ReplenishmentPeriod = period, QueueLimit = 0, AutoReplenishment = true,
            })))
            : new Shared(nodes.Redis.GetDatabase(), $"{nodes.Scope}:limit:{name}", burst, refill, period);

        /// <summary>Takes one permit if there is one.</summary>
        public abstract ValueTask<bool> TakeAsync(string key);

        /// <summary>Whether a permit is left, taking none.</summary>
        public abstract ValueTask<bool> HasLeftAsync(string key);

        /// <summary>Takes one permit, whether or not one was left (a failure is counted even past the limit).</summary>
        public async ValueTask CountAsync(string key) => await TakeAsync(key);

        public virtual void Dispose()
        {
        }
    }

    private sealed class Local(PartitionedRateLimiter<string> limiter) : Counter
    {
        public override ValueTask<bool> TakeAsync(string key) => ValueTask.FromResult(limiter.AttemptAcquire(key).IsAcquired);

        public override ValueTask<bool> HasLeftAsync(string key) => ValueTask.FromResult((limiter.GetStatistics(key)?.CurrentAvailablePermits ?? 1) > 0);

        public override void Dispose() => limiter.Dispose();
    }

    private sealed class Shared(StackExchange.Redis.IDatabase redis, string name, int permits, int refill, TimeSpan period) : Counter
    {
        // A window: the count of this period, which expires with it.
        private const string WindowTake = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            if n <= tonumber(ARGV[1]) then return 1 else return 0 end
            """;

        // A bucket: tokens and when they were last refilled, refilled by whole periods (as the .NET limiter does), by the clock of Redis.
        private const string BucketTake = """
            local burst, refill, period = tonumber(ARGV[1]), tonumber(ARGV[3]), tonumber(ARGV[2])
            local t = redis.call('TIME')
            local now = t[1] * 1000 + math.floor(t[2] / 1000)
            local held = redis.call('HMGET', KEYS[1], 'tokens', 'at')
            local tokens, at = tonumber(held[1]) or burst, tonumber(held[2]) or now
            local periods = math.floor((now - at) / period)
            tokens, at = math.min(burst, tokens + periods * refill), at + periods * period
            local taken = 0
            if tokens >= 1 then tokens, taken = tokens - 1, 1 end
            redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', at)
            redis.call('PEXPIRE', KEYS[1], period * (math.ceil(burst / refill) + 1))
            return taken
            """;

        private StackExchange.Redis.RedisKey Key(string key) => $"{name}:{Storage.Secrets.Hash(key)}";

        public override async ValueTask<bool> TakeAsync(string key) =>
            (long)await redis.ScriptEvaluateAsync(refill == 0 ? WindowTake : BucketTake, [Key(key)],
                [permits, (long)period.TotalMilliseconds, refill]) == 1;

        public override async ValueTask<bool> HasLeftAsync(string key) =>
            (long?)await redis.StringGetAsync(Key(key)) is not { } used || used < permits;
    }
}
