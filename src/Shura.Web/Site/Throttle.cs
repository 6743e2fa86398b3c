using System.Threading.RateLimiting;

namespace Shura.Web.Site;

/// <summary>
/// Rate limits where guessing or flooding would hurt: signing in (per address and e-mail, so one
/// account cannot be brute-forced and one address cannot try many) and voting from the pages (per
/// account). A refused attempt changes nothing and says when to try again.
/// </summary>
public sealed class Throttle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _signIn = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = 10, Window = TimeSpan.FromMinutes(5), QueueLimit = 0,
        }));

    private readonly PartitionedRateLimiter<string> _votes = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = 30, TokensPerPeriod = 30, ReplenishmentPeriod = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
        }));

    public bool MaySignIn(string? address, string? email) =>
        _signIn.AttemptAcquire($"{address}|{email?.Trim().ToUpperInvariant()}").IsAcquired;

    public bool MayVote(string account) => _votes.AttemptAcquire(account).IsAcquired;

    public void Dispose()
    {
        _signIn.Dispose();
        _votes.Dispose();
    }
}
