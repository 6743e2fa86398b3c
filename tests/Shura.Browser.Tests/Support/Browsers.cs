using System.Text.Json;
using Microsoft.Playwright;

namespace Shura.Browser.Tests.Support;

/// <summary>
/// Debian's Chromium driven by Playwright, headless, with the flags that keep it from reaching
/// outside hosts. One browser per test class; each person gets a context of their own (their own
/// cookies), as if on their own phone.
/// </summary>
public sealed class Browsers : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: install Debian's chromium package (test.sh does).");
        }
        // Expectations wait up to 15 s, like actions: on a busy two-core machine a server's first
        // request (JIT) or the live connection can take longer than Playwright's default 5 s.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>A person's browser: a phone-sized window unless <paramref name="width"/> says otherwise.</summary>
    /// <param name="timeZone">The browser's time zone (IANA), as a person's computer is set; UTC when not said, whatever the machine's, so that what the pages show does not depend on where the tests run.</param>
    public async Task<IPage> OpenAsync(Uri server, string language = "en", bool javaScript = true, int width = 360, bool bypassCsp = false, string? timeZone = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.ToString(),
            Locale = language == "fa" ? "fa-IR" : "en-GB",
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = language == "fa" ? "fa-IR,fa;q=0.9" : "en-GB,en;q=0.9" },
            JavaScriptEnabled = javaScript,
            ViewportSize = new ViewportSize { Width = width, Height = 800 },
            BypassCSP = bypassCsp,
            TimezoneId = timeZone ?? "UTC",
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
    }

    /// <summary>Runs axe-core in the page and returns the serious and critical violations, one line each.</summary>
    public static async Task<IReadOnlyList<string>> AccessibilityProblemsAsync(IPage page)
    {
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = Path.Combine(AppContext.BaseDirectory, "axe.min.js") });
        var found = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)
            """);
        return [.. found.EnumerateArray().Select(v => v.GetString()!)];
    }

    /// <summary>The artifacts folder at the repository's root, where screenshots and measurements go.</summary>
    public static string Artifacts(string folder)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Shura.slnx")))
        {
            dir = dir.Parent;
        }
        string path = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "artifacts", folder);
        Directory.CreateDirectory(path);
        return path;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts("screenshots"), name + ".png"), FullPage = true });
}
