using System.Net;
using System.Text;
using System.Text.Json;
using Shura.Web.Accounts;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Security;

/// <summary>
/// What the outside review found in how requests are answered (findings 8 and 10–13), each reproduced
/// over HTTP. The classes they belong to are tested in <see cref="NoServerErrorsTests"/>.
/// </summary>
public class RequestFindingsTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    private static HttpClient NoRedirects(TestServer server) =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Client.BaseAddress };

    /// <summary>Finding 8: requests that were answered with a 500, and the open redirects beside them.</summary>
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task What_was_a_server_error_is_the_clients_mistake_the_same_on_both_engines(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        string council = await api.CreateCouncilAsync(leyla);
        var before = Store.Snapshot(server.Database);

        var refused = new List<Reply>
        {
            await api.PostAsync($"/councils/{council}/mandates", new { name = "Convener", kind = "convener", continuous = true, settlePeriod = "P10675200D" }, leyla),
            await api.PostAsync($"/councils/{council}/motions", new { kind = "decision", title = "Nul", text = "a\u0000b" }, leyla),
            await api.PostAsync("/councils", new { name = "Nul", description = "a\u0000b" }, leyla),
            await api.SendAsync(HttpMethod.Patch, $"/councils/{council}", new { settings = new { liveResults = false }, text = "a\u0000b" }, leyla),
            await api.SendAsync(HttpMethod.Post, "/tokens", rawBody: "{\"email\":\"a\\u0000@example.org\",\"password\":\"x\"}"),
            await api.SendAsync(HttpMethod.Post, "/accounts", rawBody: "{\"name\":\"\\ud800\",\"email\":\"a@example.org\",\"password\":\"a long password\"}"),
        };

        Assert.Equal((HttpStatusCode.BadRequest, "invalid-field"), (refused[0].Status, refused[0].Code));
        Assert.All(refused.Skip(1), r => Assert.Equal((HttpStatusCode.BadRequest, "invalid-json"), (r.Status, r.Code)));
        using var http = NoRedirects(server);
        foreach (var (back, to) in new[] { ("/%5Cevil.example", "/"), ("/%09/evil.example", "/"), ("//evil.example", "/"), ("/councils", "/councils") })
        {
            using var response = await http.PostAsync($"/language?language=fa&back={back}", null);
            Assert.Equal((HttpStatusCode.Redirect, to), (response.StatusCode, response.Headers.Location?.OriginalString));
        }
        foreach (string route in new[] { "creation-options", "attestation", "request-options", "assertion" })
        {
            foreach (string? body in new[] { null, "", "null", "{}", "[]" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/passkeys/{route}");
                request.Headers.Add(PasskeyEndpoints.Header, "1");
                if (body is not null)
                {
                    request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                }
                using var response = await http.SendAsync(request);
                Assert.True((int)response.StatusCode < 500, $"{route} with {body ?? "no body"}: {(int)response.StatusCode}");
            }
        }
        Assert.Equal(before, Store.Snapshot(server.Database));
    }

    /// <summary>Finding 10: a copy of the sign-in cookie kept working after signing out.</summary>
    [Fact]
    public async Task Signing_out_ends_every_copy_of_the_sign_in_cookie()
    {
        await using var server = await TestServer.StartAsync();
        var leyla = await server.Api().RegisterAsync("Leyla");
        using var visitor = new Visitor(server.Client.BaseAddress!);
        await visitor.SignInAsync(leyla);
        using var copy = new Visitor(server.Client.BaseAddress!);
        foreach (Cookie cookie in visitor.Cookies.GetAllCookies())
        {
            copy.Cookies.Add(cookie);
        }
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/account")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await visitor.PostAsync("/account", "/signout", [])).StatusCode);

        var after = await copy.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/signin", after.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }


    /// <summary>Finding 10: one address could try a password on any number of accounts.</summary>
    [Fact]
    public async Task One_address_trying_many_accounts_is_stopped()
    {
        await using var server = await TestServer.StartAsync();
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");

        var tries = new List<HttpStatusCode>();
        for (int i = 0; i < 31; i++)
        {
            tries.Add((await api.PostAsync("/tokens", new { email = $"someone{i}@example.org", password = "summer2026!" })).Status);
        }
        var right = await api.PostAsync("/tokens", new { email = leyla.Email, password = "correct horse" });

        Assert.All(tries.Take(30), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, tries[30]);
        Assert.Equal((HttpStatusCode.TooManyRequests, "too-many-attempts"), (right.Status, right.Code));
    }

    /// <summary>Finding 10: a Kelvin sign (U+212A) for the K of an address reached the same account under a fresh limit.</summary>
    [Fact]
    public async Task An_address_is_the_same_address_however_it_is_spelled()
    {
        await using var server = await TestServer.StartAsync();
        var api = server.Api();
        (await api.PostAsync("/accounts", new { name = "Kaveh", email = "kaveh@example.org", password = "correct horse" })).Ok();

        (await api.PostAsync("/tokens", new { email = "\u212Aaveh@example.org", password = "correct horse" })).Ok();
        var twin = await api.PostAsync("/accounts", new { name = "Kaveh", email = "\u212AAVEH@example.org", password = "correct horse" });
        for (int i = 0; i < 9; i++)
        {
            await api.PostAsync("/tokens", new { email = "kaveh@example.org", password = "a wrong guess" });
        }
        var kelvin = await api.PostAsync("/tokens", new { email = "\u212Aaveh@example.org", password = "correct horse" });

        Assert.Equal((HttpStatusCode.Conflict, "email-taken"), (twin.Status, twin.Code));
        Assert.Equal((HttpStatusCode.TooManyRequests, "too-many-attempts"), (kelvin.Status, kelvin.Code));
    }

    /// <summary>Finding 10: the pages wanted 10 characters in a password and the API 8.</summary>
    [Fact]
    public async Task A_password_has_the_same_rule_in_the_pages_and_the_API()
    {
        await using var server = await TestServer.StartAsync();
        var api = server.Api();

        var shortByApi = await api.PostAsync("/accounts", new { name = "Sam", email = "sam@example.org", password = "123456789" });
        using var visitor = new Visitor(server.Client.BaseAddress!);
        var shortByPage = await visitor.PostAsync("/signup", "/signup", new() { ["name"] = "Sam", ["email"] = "sam@example.org", ["password"] = "123456789" });

        Assert.Equal((HttpStatusCode.BadRequest, "invalid-field"), (shortByApi.Status, shortByApi.Code));
        Assert.Equal(HttpStatusCode.BadRequest, shortByPage.StatusCode);
        (await api.PostAsync("/accounts", new { name = "Sam", email = "sam@example.org", password = "1234567890" })).Ok();
    }

    /// <summary>Finding 11: names could hide direction overrides and zero-width characters, so one person could look like another.</summary>
    [Theory]
    [InlineData("Leyla\u202E", false)]
    [InlineData("Ley\u200Bla", false)]
    [InlineData("Ley\u200Cla", false)]
    [InlineData("Leyla\u2066", false)]
    [InlineData("Leyla\nAhmadi", false)]
    [InlineData("Leyla\u00A0Ahmadi", false)]
    [InlineData("\u3164", false)]
    [InlineData("Leyla Ahmadi", true)]
    [InlineData("لیلا احمدی", true)]
    [InlineData("می\u200Cخواهم", true)]
    [InlineData("Bakers 👩\u200D🍳", true)]
    public async Task A_name_may_not_hide_invisible_or_direction_changing_characters(string name, bool accepted)
    {
        await using var server = await TestServer.StartAsync();
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        string council = await api.CreateCouncilAsync(leyla);

        var answers = new[]
        {
            await api.PostAsync("/accounts", new { name, email = $"{Guid.NewGuid():N}@example.org", password = "correct horse" }),
            await api.PostAsync("/councils", new { name, description = "" }, leyla),
            await api.PostAsync($"/councils/{council}/motions", new { kind = "decision", title = name, text = "" }, leyla),
            await api.PostAsync($"/councils/{council}/motions", new { kind = "choice", title = "Logo", text = "", options = new[] { name, "Blue" }, method = "plurality" }, leyla),
            await api.PostAsync($"/councils/{council}/mandates", new { name, kind = "role" }, leyla),
        };

        Assert.All(answers, a => Assert.Equal(accepted ? HttpStatusCode.Created : HttpStatusCode.BadRequest, a.Status));
        if (!accepted)
        {
            Assert.All(answers, a => Assert.Equal("invalid-field", a.Code));
        }
    }

    /// <summary>Finding 12: a field given twice was taken at its last value.</summary>
    [Fact]
    public async Task A_field_given_twice_is_refused()
    {
        await using var server = await TestServer.StartAsync();
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");

        var twice = await api.SendAsync(HttpMethod.Post, "/councils", who: leyla, rawBody: "{\"name\":\"Bakers\",\"name\":\"Bankers\",\"description\":\"\"}");
        var nested = await api.SendAsync(HttpMethod.Post, "/councils", who: leyla, rawBody: "{\"name\":\"Bakers\",\"settings\":{\"visibility\":\"members\",\"visibility\":\"public\"}}");

        Assert.Equal((HttpStatusCode.BadRequest, "duplicate-key"), (twice.Status, twice.Code));
        Assert.Equal((HttpStatusCode.BadRequest, "duplicate-key"), (nested.Status, nested.Code));
    }

    /// <summary>Finding 13: one anonymous read of a 200-option ranked-pairs motion page was 2.7–4.7 MB of HTML (a pairwise picture of 40,000 cells).</summary>
    [Fact]
    public async Task The_page_of_a_motion_with_the_most_options_stays_small()
    {
        await using var server = await TestServer.StartAsync();
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        string council = await api.CreateCouncilAsync(leyla, Api.QuickSettings(voting: "P1D"));
        string[] options = [.. Enumerable.Range(1, Core.Motions.MotionRules.MaxOptions).Select(i => $"Option {i}")];
        string motion = await api.PutMotionAsync(council, leyla, new { kind = "choice", title = "Everything at once", text = "", options, method = "ranked-pairs" });
        (await api.CastAsync(motion, leyla, new { ranking = options.Reverse().ToArray() })).Ok();

        string page = await server.Client.GetStringAsync($"/motions/{motion}");

        Assert.InRange(page.Length, 1, 60_000);
        Assert.Contains("show the 12 options leading, of 200", page, StringComparison.Ordinal);
        Assert.Contains("Option 200", page, StringComparison.Ordinal); // the leader is in the picture
    }

    /// <summary>Finding 13: one address opened 1,000 accounts in 26 s.</summary>
    [Fact]
    public async Task One_address_cannot_open_accounts_without_end()
    {
        await using var server = await TestServer.StartAsync();
        var api = server.Api();

        var answers = new List<Reply>();
        for (int i = 0; i < 22; i++)
        {
            answers.Add(await api.PostAsync("/accounts", new { name = $"Person {i}", email = $"person{i}@example.org", password = "correct horse" }));
        }

        Assert.All(answers.Take(20), a => Assert.Equal(HttpStatusCode.Created, a.Status));
        Assert.All(answers.Skip(20), a => Assert.Equal((HttpStatusCode.TooManyRequests, "too-many-accounts"), (a.Status, a.Code)));
    }

    /// <summary>Finding 13: one member made 1,500 motions of 50 KB in 6 s.</summary>
    [Fact]
    public async Task One_member_cannot_flood_a_council()
    {
        await using var server = await TestServer.StartAsync();
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        string council = await api.CreateCouncilAsync(leyla, Api.QuickSettings(voting: "P1D"));

        var answers = new List<Reply>();
        for (int i = 0; i < 25; i++)
        {
            answers.Add(await api.PostAsync($"/councils/{council}/motions", new { kind = "decision", title = $"Motion {i}", text = new string('x', 50_000) }, leyla));
        }

        Assert.Equal(19, answers.Count(a => a.Status == HttpStatusCode.Created)); // the council itself was the first thing made
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Created), a => Assert.Equal((HttpStatusCode.TooManyRequests, "too-many-creations"), (a.Status, a.Code)));
    }

    /// <summary>Finding 13: after such a flood one read of the log returned 76 MB (and eight at once took the server to 1.4 GB).</summary>
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task No_read_of_the_log_returns_more_than_a_page(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, limits: new Shura.Web.Site.Limits { Creations = (1000, 1000) });
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        string council = await api.CreateCouncilAsync(leyla, Api.QuickSettings(voting: "P1D"));
        for (int i = 0; i < 40; i++)
        {
            await api.PutMotionAsync(council, leyla, new { kind = "decision", title = $"Motion {i}", text = new string('x', 50_000) });
        }

        using var log = await server.Client.GetAsync($"/api/v1/councils/{council}/log?limit=1000");
        string body = await log.Content.ReadAsStringAsync();
        var page = JsonDocument.Parse(body).RootElement;
        using var pageOfPages = await server.Client.GetAsync($"/councils/{council}/log");

        Assert.InRange(body.Length, 500_000, 1_300_000);
        Assert.Equal(JsonValueKind.Number, page.GetProperty("next").ValueKind);
        Assert.Equal(2 + 40 * 3, (await api.LogAsync(council)).Length); // every entry is still there, a page at a time
        Assert.InRange((await pageOfPages.Content.ReadAsStringAsync()).Length, 1, 1_300_000);
        var limited = await api.GetAsync($"/councils/{council}/log?limit=10000");
        Assert.Equal((HttpStatusCode.BadRequest, "invalid-field"), (limited.Status, limited.Code));
    }

    /// <summary>Finding 13: a hundred malformed one-byte requests wrote half a megabyte of error-level stack traces to the server's log.</summary>
    [Fact]
    public async Task A_clients_mistake_is_not_a_server_error_in_the_log()
    {
        await using var server = await ServeProcess.StartAsync(Support.Engines.FreshDb(Support.Engines.Sqlite));
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        string council = await api.CreateCouncilAsync(leyla, Api.QuickSettings(voting: "P1D"));
        string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Buy flour", text = "" });

        for (int i = 0; i < 100; i++)
        {
            var reply = await api.SendAsync(HttpMethod.Put, $"/motions/{motion}/ballot", who: leyla, rawBody: "{");
            Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        }
        await Task.Delay(500);

        Assert.DoesNotContain(server.Output, line => line.StartsWith("fail:", StringComparison.Ordinal) || line.Contains("   at ", StringComparison.Ordinal));
    }
}

/// <summary>Tests that count password checks, which are counted for the whole process: they run alone, with no other test signing in meanwhile.</summary>
[CollectionDefinition(nameof(PasswordChecks), DisableParallelization = true)]
public sealed class PasswordChecks;

[Collection(nameof(PasswordChecks))]
public sealed class PasswordChecksTests
{
    /// <summary>Finding 10: an unknown e-mail was answered in 2 ms and a known one in 70: whether an account exists showed in the time.</summary>
    [Fact]
    public async Task An_unknown_address_costs_the_same_password_check_as_a_known_one()
    {
        await using var server = await TestServer.StartAsync();
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");

        long before = Passwords.Checks;
        var known = await api.PostAsync("/tokens", new { email = leyla.Email, password = "not her password" });
        long afterKnown = Passwords.Checks;
        var unknown = await api.PostAsync("/tokens", new { email = "nobody.at.all@example.org", password = "not her password" });
        long afterUnknown = Passwords.Checks;

        Assert.Equal((known.Status, known.Code), (unknown.Status, unknown.Code));
        Assert.Equal(afterKnown - before, afterUnknown - afterKnown);
        Assert.True(afterKnown - before >= 1);
    }
}
