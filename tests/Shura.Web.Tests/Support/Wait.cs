namespace Shura.Web.Tests.Support;

/// <summary>Waiting (real time) for something that travels on its own, such as a live message over a socket or a separate server process; never for a deadline (tests with a fake clock pass those themselves).</summary>
public static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string what = "the condition", double seconds = 20)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed.TotalSeconds < seconds, $"{what} did not come true in {seconds} s");
            await Task.Delay(50);
        }
    }
}
