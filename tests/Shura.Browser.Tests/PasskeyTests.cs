using Microsoft.Playwright;
using Shura.Browser.Tests.Support;

namespace Shura.Browser.Tests;

/// <summary>
/// Passkeys end to end: Chromium's virtual authenticator (over the DevTools protocol) stands in
/// for the phone's secure chip; everything else — the pages, the WebAuthn ceremonies in the
/// browser, Identity's checks on the server — is the real thing.
/// </summary>
public sealed class PasskeyTests(Browsers browsers) : IClassFixture<Browsers>
{
    [Fact]
    public async Task A_person_adds_a_passkey_signs_out_and_signs_in_with_it()
    {
        await using var stage = await Stage.StartAsync();
        // WebAuthn takes a domain, not an IP address: the page is opened as localhost.
        var page = await browsers.OpenAsync(new Uri($"http://localhost:{stage.Address.Port}"));
        var devtools = await page.Context.NewCDPSessionAsync(page);
        await devtools.SendAsync("WebAuthn.enable");
        await devtools.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2", ["transport"] = "internal", ["hasResidentKey"] = true,
                ["hasUserVerification"] = true, ["isUserVerified"] = true, ["automaticPresenceSimulation"] = true,
            },
        });

        await People.SignUpAsync(page, "Leyla Ahmadi");
        await page.GotoAsync("/account");
        await Assertions.Expect(page.Locator("#passkeys")).ToContainTextAsync("No passkey yet.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Assertions.Expect(page.Locator("#passkeys li")).ToHaveCountAsync(1);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.Locator("header").GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();

        await page.GotoAsync("/signin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();
        await Assertions.Expect(page.Locator("header .who")).ToHaveTextAsync("Leyla Ahmadi");
    }
}
