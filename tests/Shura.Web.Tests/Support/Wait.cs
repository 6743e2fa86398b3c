namespace Shura.Web.Tests.Support;

/// <summary>Waiting (real time) for something the server does on its own, such as closing a motion when the fake clock passed its deadline.</summary>
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
