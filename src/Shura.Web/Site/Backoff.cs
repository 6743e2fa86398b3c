namespace Shura.Web.Site;

/// <summary>How long work that failed waits before it is tried again: 5 s, doubling with each attempt, at most an hour.</summary>
public static class Backoff
{
    public static TimeSpan After(long attempts) => TimeSpan.FromSeconds(Math.Min(3600, 5 * Math.Pow(2, Math.Min(attempts, 10))));
}
