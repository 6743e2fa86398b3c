using System.Net;
using System.Text.RegularExpressions;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Security;

/// <summary>
/// The pages' defences, over real HTTP: the content security policy and the other headers, pages
/// that need nothing the policy forbids, antiforgery on every form, the sign-in cookie's flags,
/// the sign-in rate limit, and no page that gives anyone more than a member's rights.
/// </summary>
public sealed class PagesSecurityTests
{

    [Fact]
    public async Task Pages_send_a_strict_content_security_policy_and_need_nothing_it_forbids()
    {
        await using var server = await TestServer.StartAsync();
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla Ahmadi");
        string council = await api.CreateCouncilAsync(leyla);
        string motion = await api.PutMotionAsync(council, leyla, new { kind = "choice", title = "Where we meet", text = "", options = new[] { "Park", "Cafe" }, method = "schulze" });
        using var visitor = new Visitor(server.Client.BaseAddress!);
        foreach (string path in new[] { "/", "/signin", "/signup", $"/councils/{council}", $"/motions/{motion}", $"/councils/{council}/log" })
        {
            var response = await visitor.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            string policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
            Assert.Contains("style-src 'self'", policy, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            string html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)[^>]*>", html);
            Assert.DoesNotMatch(@"\sstyle=""", html);
            Assert.DoesNotMatch(@"\son[a-z]+=""", html);
        }
    }

    [Fact]
    public async Task A_form_posted_without_its_antiforgery_token_is_refused_and_changes_nothing()
    {
        await using var server = await TestServer.StartAsync();
        using var visitor = new Visitor(server.Client.BaseAddress!);
        var fields = new Dictionary<string, string> { ["name"] = "Mallory", ["email"] = "mallory@example.org", ["password"] = "a long password" };
        var refused = await visitor.PostAsync("/signup", "/signup", fields, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var token = await server.Api().PostAsync("/tokens", new { email = "mallory@example.org", password = "a long password" });
        Assert.Equal(HttpStatusCode.Unauthorized, token.Status);

        var accepted = await visitor.PostAsync("/signup", "/signup", fields);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var cookie = visitor.Cookies.GetAllCookies().Single(c => c.Name == "shura");
        Assert.True(cookie.HttpOnly);
        string setCookie = string.Join("\n", accepted.Headers.GetValues("Set-Cookie"));
        Assert.Matches("shura=[^;]+;.*samesite=lax", setCookie.ToLowerInvariant());
    }

    [Fact]
    public async Task Sign_in_is_rate_limited_per_address_and_email_even_for_the_right_password()
    {
        await using var server = await TestServer.StartAsync();
        var leyla = await server.Api().RegisterAsync("Leyla Ahmadi");
        using var visitor = new Visitor(server.Client.BaseAddress!);
        var statuses = new List<HttpStatusCode>();
        // Registering took one attempt already (the API helper asks for a token); eight wrong ones
        // follow, the tenth attempt is right and lets her in, the eleventh is refused.
        for (int i = 0; i < 8; i++)
        {
            statuses.Add((await visitor.PostAsync("/signin", "/signin", new() { ["email"] = leyla.Email, ["password"] = "wrong password" })).StatusCode);
        }
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        var tenth = await visitor.PostAsync("/signin", "/signin", new() { ["email"] = leyla.Email, ["password"] = "correct horse" });
        Assert.Equal(HttpStatusCode.Redirect, tenth.StatusCode);
        var eleventh = await visitor.PostAsync("/signin", "/signin", new() { ["email"] = leyla.Email, ["password"] = "correct horse" });
        Assert.Equal(HttpStatusCode.TooManyRequests, eleventh.StatusCode);
    }

    [Fact]
    public async Task No_page_lets_anyone_act_in_a_council_they_are_not_a_member_of()
    {
        await using var server = await TestServer.StartAsync();
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla Ahmadi");
        var sam = await api.RegisterAsync("Sam Carter");
        string council = await api.CreateCouncilAsync(leyla);
        string mandate = (await api.PostAsync($"/councils/{council}/mandates", new { name = "Convener", kind = "convener", seats = 1 }, leyla)).Ok().Id;
        int before = (await api.LogAsync(council)).Length;

        using var visitor = new Visitor(server.Client.BaseAddress!);
        await visitor.SignInAsync(sam);
        var invite = await visitor.PostAsync($"/councils/{council}", $"/councils/{council}?handler=Invite", []);
        Assert.Equal(HttpStatusCode.Forbidden, invite.StatusCode);
        var motion = await visitor.PostAsync($"/councils/{council}", $"/councils/{council}/motions/new", new() { ["kind"] = "decision", ["title"] = "Sam decides alone" });
        Assert.Equal(HttpStatusCode.Forbidden, motion.StatusCode);
        var confidence = await visitor.PostAsync($"/mandates/{mandate}", $"/mandates/{mandate}?handler=Confidence", new() { ["holder"] = leyla.Id, ["withdraw"] = "true" });
        Assert.NotEqual(HttpStatusCode.Redirect, confidence.StatusCode);
        var settings = await visitor.PostAsync($"/councils/{council}", $"/councils/{council}/settings", new() { ["title"] = "Mine now", ["votingMinutes"] = "1" });
        Assert.Equal(HttpStatusCode.NotFound, settings.StatusCode);
        Assert.Equal(before, (await api.LogAsync(council)).Length);
    }

    [Fact]
    public async Task A_members_only_council_is_not_there_for_anyone_else()
    {
        await using var server = await TestServer.StartAsync();
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla Ahmadi");
        var sam = await api.RegisterAsync("Sam Carter");
        string council = await api.CreateCouncilAsync(leyla, Api.QuickSettings(visibility: "members", voting: "PT1H"));
        string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Private matter", text = "" });
        string[] pages = [$"/councils/{council}", $"/motions/{motion}", $"/councils/{council}/log", $"/councils/{council}/actions"];

        using var stranger = new Visitor(server.Client.BaseAddress!);
        await stranger.SignInAsync(sam);
        using var member = new Visitor(server.Client.BaseAddress!);
        await member.SignInAsync(leyla);
        using var anonymous = new Visitor(server.Client.BaseAddress!);
        foreach (string page in pages)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(page)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(page)).StatusCode);
            var seen = await member.GetAsync(page);
            Assert.Equal(HttpStatusCode.OK, seen.StatusCode);
        }
        Assert.DoesNotContain("Private matter", await (await stranger.GetAsync("/")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_person_signed_in_through_one_server_is_signed_in_through_another_on_the_same_store(string engine)
    {
        await using var first = await TestServer.StartAsync(engine);
        await using var second = await TestServer.StartAsync(db: first.Db);
        var leyla = await first.Api().RegisterAsync("Leyla Ahmadi");
        using var visitor = new Visitor(first.Client.BaseAddress!);
        await visitor.SignInAsync(leyla);
        var cookie = visitor.Cookies.GetAllCookies().Single(c => c.Name == "shura");
        using (var c = first.Database.OpenConnection())
        {
            Assert.True(Dapper.SqlMapper.ExecuteScalar<long>(c, "SELECT COUNT(*) FROM protection_keys") > 0, "the cookie keys are not in the store");
        }

        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        handler.CookieContainer.Add(second.Client.BaseAddress!, new Cookie(cookie.Name, cookie.Value));
        using var other = new HttpClient(handler) { BaseAddress = second.Client.BaseAddress };
        var account = await other.GetAsync("/account");
        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
        Assert.Contains("Leyla Ahmadi", await account.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
