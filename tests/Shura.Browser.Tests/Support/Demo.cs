using Microsoft.Playwright;
using Shura.Storage;
using Shura.Web.Demo;
using Shura.Web.Tests.Support;

namespace Shura.Browser.Tests.Support;

/// <summary>The demo city as <c>shura demo</c> fills it, served for a test, and its people signing in.</summary>
public static class Demo
{
    /// <summary>A server on a fresh store holding the demo city, its twelve days ending now.</summary>
    public static async Task<TestServer> StartAsync()
    {
        string db = Path.Combine(Directory.CreateTempSubdirectory("shura-demo-").FullName, "demo.db");
        var now = TimeProvider.System.GetUtcNow();
        using (var database = Database.Open(db))
        {
            Shura.Storage.Schema.Migrations.Apply(database, now);
            await DemoData.SeedAsync(database, now);
        }
        return await TestServer.StartAsync(Engines.Sqlite, db: db);
    }

    /// <summary>Signs in as one of the demo's people ("sam", "leyla", …) through the sign-in form.</summary>
    public static async Task SignInAsync(IPage page, string handle)
    {
        await page.GotoAsync("/signin");
        await page.Locator("input[name=email]").FillAsync(DemoData.EmailOf(handle));
        await page.Locator("input[name=password]").FillAsync(DemoData.Password);
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
    }
}
