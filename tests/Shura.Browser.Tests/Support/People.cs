using Microsoft.Playwright;
using Shura.Web.Tests.Support;

namespace Shura.Browser.Tests.Support;

/// <summary>What a person does in the pages, step by step, through the real forms.</summary>
public static class People
{
    public const string Password = "correct horse";

    public static async Task<string> SignUpAsync(IPage page, string name)
    {
        string email = $"person.{Guid.NewGuid():N}@example.org";
        await page.GotoAsync("/signup");
        await page.Locator("input[name=name]").FillAsync(name);
        await page.Locator("input[name=email]").FillAsync(email);
        await page.Locator("input[name=password]").FillAsync(Password);
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/signup", StringComparison.Ordinal));
        return email;
    }

    public static async Task SignInAsync(IPage page, Person person)
    {
        await page.GotoAsync("/signin");
        await page.Locator("input[name=email]").FillAsync(person.Email);
        await page.Locator("input[name=password]").FillAsync(Password);
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
    }

    /// <summary>Reloads until the condition holds: for pages without JavaScript, which change only when loaded again.</summary>
    public static async Task ReloadUntilAsync(IPage page, Func<Task<bool>> condition, double seconds = 20)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed.TotalSeconds < seconds, $"{page.Url} did not show the expected change within {seconds} s of reloading");
            await Task.Delay(250);
            await page.ReloadAsync();
        }
    }
}
