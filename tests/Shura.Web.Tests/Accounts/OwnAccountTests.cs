using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Accounts;

/// <summary>
/// A person's own account (DESIGN §2, Person), over real HTTP with a real SMTP server on loopback:
/// verifying an address, resetting a password by a single-use short-lived link, changing the
/// address (re-verified), the name and the password (which signs out other sessions), exporting
/// one's data, and deleting the account so that the name appears nowhere while `shura verify` passes.
/// </summary>
public partial class OwnAccountTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    [GeneratedRegex(@"https?://[^\s]+/(verify|reset)/([A-Za-z0-9_\-]+)")]
    private static partial Regex LinkIn();

    private static (string Path, string Token) Link(JsonElement mail)
    {
        var match = LinkIn().Match(mail.GetProperty("text").GetString()!);
        Assert.True(match.Success, "the e-mail carries a link");
        return (new Uri(match.Value).AbsolutePath, match.Groups[2].Value);
    }

    private static string To(JsonElement mail) => mail.GetProperty("envelopeTo")[0].GetString()!;

    private static async Task<HttpStatusCode> SignInAsync(TestServer server, string email, string password) =>
        (await server.Api().PostAsync("/tokens", new { email, password, label = "check" })).Status;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_reset_link_works_once_for_thirty_minutes_and_asking_says_nothing_of_whether_an_account_exists(string engine)
    {
        using var smtp = await SmtpSink.StartAsync();
        await using var server = await TestServer.StartAsync(engine, fakeClock: true, smtp: $"smtp://127.0.0.1:{smtp.Port}");
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        await smtp.WaitAsync(1); // the verification link of sign-up
        string council = await api.CreateCouncilAsync(leyla);

        // Asked for an unknown address and a known one: the same answer; one e-mail, to the known one.
        var unknown = await api.PostAsync("/password-resets", new { email = "nobody@example.org" });
        using var forged = new HttpRequestMessage(HttpMethod.Post, "/api/v1/password-resets") { Content = System.Net.Http.Json.JsonContent.Create(new { email = leyla.Email }) };
        // A Host an attacker sets does not go into the link: the server's own address does.
        forged.Headers.Host = "evil.example";
        var known = await server.Client.SendAsync(forged);
        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent), (unknown.Status, known.StatusCode));
        var mail = (await smtp.WaitAsync(2))[1];
        Assert.Equal(leyla.Email, To(mail));
        Assert.DoesNotContain("evil.example", mail.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.StartsWith(server.Client.BaseAddress!.ToString().TrimEnd('/'), LinkIn().Match(mail.GetProperty("text").GetString()!).Value, StringComparison.Ordinal);
        var (path, token) = Link(mail);
        Assert.Equal($"/reset/{token}", path);

        // Too short a password: refused, and the link still works.
        Assert.Equal("invalid-field", (await api.PostAsync($"/password-resets/{token}", new { password = "short" })).Code);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync($"/password-resets/{token}", new { password = "a new long password" })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(server, leyla.Email, "correct horse"));
        Assert.Equal(HttpStatusCode.Created, await SignInAsync(server, leyla.Email, "a new long password"));
        // Once only.
        await server.MailerDoneAsync();
        string before = Store.Snapshot(server.Database);
        Assert.Equal("invalid-token", (await api.PostAsync($"/password-resets/{token}", new { password = "yet another password" })).Code);
        Assert.Equal(before, Store.Snapshot(server.Database));

        // Leyla's e-mails are in Persian from now on. A second link, opened 31 minutes later, has expired; the page says so.
        Assert.Equal("invalid-field", (await api.SendAsync(HttpMethod.Put, "/me/language", new { language = "de" }, leyla)).Code);
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Put, "/me/language", new { language = "fa" }, leyla)).Status);
        (await api.PostAsync("/password-resets", new { email = leyla.Email })).Ok();
        var persian = (await smtp.WaitAsync(3))[2];
        Assert.Equal("بازنشانی گذرواژهٔ شورا", persian.GetProperty("subject").GetString());
        var (_, late) = Link(persian);
        await server.AdvanceAsync(TimeSpan.FromMinutes(31));
        using var visitor = new Visitor(server.Client.BaseAddress!);
        var page = await visitor.PostAsync($"/reset/{late}", $"/reset/{late}?handler=Choose", new Dictionary<string, string> { ["password"] = "too late a password" });
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("This link is not good", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, await SignInAsync(server, leyla.Email, "a new long password"));
        Assert.NotNull(council);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Sign_up_sends_a_link_that_verifies_the_address_and_a_council_may_let_only_verified_members_vote(string engine)
    {
        using var smtp = await SmtpSink.StartAsync();
        await using var server = await TestServer.StartAsync(engine, fakeClock: true, smtp: $"smtp://127.0.0.1:{smtp.Port}");
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        var babak = await api.RegisterAsync("Babak");
        var mails = await smtp.WaitAsync(2);
        Assert.False((await api.GetAsync("/me", babak)).Ok().Body.GetProperty("emailVerified").GetBoolean());

        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H", verifiedVoters = true });
        await api.JoinAsync(council, babak);
        string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Strike on Monday", text = "" });
        // The mailer sends "voting opened" to both beside this test: its writes are over before the store is compared.
        await smtp.WaitAsync(4);
        await server.MailerDoneAsync();
        string before = Store.Snapshot(server.Database);
        var refused = await api.CastAsync(motion, babak, new { choice = "yes" });
        Assert.Equal((HttpStatusCode.Forbidden, "email-not-verified"), (refused.Status, refused.Code));
        Assert.Equal(before, Store.Snapshot(server.Database));

        // Babak opens his link: the page has a button (a scanner following the link verifies nothing), which verifies.
        var (path, _) = Link(mails.Single(m => To(m) == babak.Email));
        using var visitor = new Visitor(server.Client.BaseAddress!);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync(path)).StatusCode);
        Assert.False((await api.GetAsync("/me", babak)).Ok().Body.GetProperty("emailVerified").GetBoolean());
        var done = await visitor.PostAsync(path, path, []);
        Assert.Contains("Your e-mail address is verified.", await done.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True((await api.GetAsync("/me", babak)).Ok().Body.GetProperty("emailVerified").GetBoolean());
        (await api.CastAsync(motion, babak, new { choice = "yes" })).Ok();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_new_address_counts_once_verified_and_a_new_password_signs_out_the_other_sessions(string engine)
    {
        using var smtp = await SmtpSink.StartAsync();
        await using var server = await TestServer.StartAsync(engine, fakeClock: true, smtp: $"smtp://127.0.0.1:{smtp.Port}");
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        await smtp.WaitAsync(1);
        string fresh = $"leyla.new.{Guid.NewGuid():N}@example.org";

        Assert.Equal("invalid-field", (await api.SendAsync(HttpMethod.Put, "/me/email", new { email = "not an address" }, leyla)).Code);
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Put, "/me/email", new { email = fresh }, leyla)).Status);
        var mail = (await smtp.WaitAsync(2))[1];
        Assert.Equal(fresh, To(mail));
        // Until the link is opened, the old address is the account's.
        Assert.Equal(HttpStatusCode.Created, await SignInAsync(server, leyla.Email, "correct horse"));
        var (_, token) = Link(mail);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync("/verifications", new { token })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(server, leyla.Email, "correct horse"));
        Assert.Equal(HttpStatusCode.Created, await SignInAsync(server, fresh, "correct horse"));
        Assert.True((await api.GetAsync("/me", leyla)).Ok().Body.GetProperty("emailVerified").GetBoolean());

        // The name: changed, sealed again in the log.
        Assert.Equal("invalid-field", (await api.SendAsync(HttpMethod.Put, "/me/name", new { name = "" }, leyla)).Code);
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Put, "/me/name", new { name = "Leyla Ahmadi" }, leyla)).Status);
        Assert.Equal("Leyla Ahmadi", (await api.GetAsync("/me", leyla)).Ok().Body.GetProperty("name").GetString());

        // Two browsers signed in; the password changed in one signs the other out, and that one alone.
        var leylaNow = leyla with { Email = fresh };
        using var here = await new Visitor(server.Client.BaseAddress!).SignInAsync(leylaNow);
        using var there = await new Visitor(server.Client.BaseAddress!).SignInAsync(leylaNow);
        var sessions = (await api.GetAsync("/me/sessions", leyla)).Ok().Body;
        Assert.Equal(2, sessions.GetArrayLength());
        var wrong = await here.PostAsync("/account", "/account?handler=Password", new() { ["currentPassword"] = "not it at all", ["newPassword"] = "a new long password" });
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        var changed = await here.PostAsync("/account", "/account?handler=Password", new() { ["currentPassword"] = "correct horse", ["newPassword"] = "a new long password" });
        Assert.Equal(HttpStatusCode.Found, changed.StatusCode);
        Assert.Contains("your other sessions are signed out", await (await here.GetAsync(changed.Headers.Location!.ToString())).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await server.AdvanceAsync(Shura.Web.Accounts.Sessions.Remember + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync("/account")).StatusCode);
        var signedOut = await there.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Found, signedOut.StatusCode);
        Assert.Contains("/signin", signedOut.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, (await api.GetAsync("/me/sessions", leyla)).Ok().Body.GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_export_holds_everything_about_the_person_and_their_own_secret_ballot_and_nobody_elses(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var api = server.Api();
        var (leyla, babak) = (await api.RegisterAsync("Leyla"), await api.RegisterAsync("Babak"));
        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H", secretBallots = true });
        await api.JoinAsync(council, babak);
        string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Strike on Monday", text = "" });
        (await api.CastAsync(motion, babak, new { choice = "no" })).Ok();
        (await api.CastAsync(motion, leyla, new { choice = "yes" })).Ok();
        (await api.PostAsync($"/motions/{motion}/comments", new { text = "Which lines?" }, babak)).Ok();
        (await api.PostAsync($"/councils/{council}/posts", new { kind = "report", title = "Our report", text = "All lines stopped." }, babak)).Ok();

        var export = (await api.GetAsync("/me/export", babak)).Ok().Body;
        Assert.Equal((babak.Id, "Babak", babak.Email), (export.GetProperty("account").GetProperty("id").GetString(), export.GetProperty("account").GetProperty("name").GetString(), export.GetProperty("account").GetProperty("email").GetString()));
        Assert.Equal(council, export.GetProperty("memberships")[0].GetProperty("council").GetString());
        var ballot = Assert.Single(export.GetProperty("openBallots").EnumerateArray());
        Assert.Equal(("no", true), (ballot.GetProperty("ballot").GetProperty("choice").GetString(), ballot.GetProperty("secret").GetBoolean()));
        Assert.Equal("Which lines?", export.GetProperty("comments")[0].GetProperty("text").GetString());
        Assert.Equal("Our report", export.GetProperty("posts")[0].GetProperty("title").GetString());
        Assert.Contains(export.GetProperty("notices").EnumerateArray(), n => n.GetProperty("kind").GetString() == "voting-open");
        string all = export.GetRawText();
        Assert.DoesNotContain(leyla.Email, all, StringComparison.Ordinal);
        Assert.DoesNotContain("\"yes\"", all, StringComparison.Ordinal);

        // The page offers the same, as a file.
        using var page = await new Visitor(server.Client.BaseAddress!).SignInAsync(babak);
        var file = await page.GetAsync("/account?handler=Export");
        Assert.Equal("application/json", file.Content.Headers.ContentType!.MediaType);
        Assert.Equal(babak.Email, JsonDocument.Parse(await file.Content.ReadAsStringAsync()).RootElement.GetProperty("account").GetProperty("email").GetString());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_deleted_persons_name_is_nowhere_in_pages_api_export_or_feeds_and_the_log_still_verifies(string engine)
    {
        string db = Support.Engines.FreshDb(engine);
        const string name = "Golnar Tehrani";
        string council, motion, post;
        Person golnar;
        await using (var server = await TestServer.StartAsync(engine, db: db, fakeClock: true))
        {
            var api = server.Api();
            var leyla = await api.RegisterAsync("Leyla");
            golnar = await api.RegisterAsync(name);
            council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H", secretBallots = false });
            await api.JoinAsync(council, golnar);
            motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Strike on Monday", text = "" });
            (await api.CastAsync(motion, golnar, new { choice = "yes" })).Ok();
            (await api.PostAsync($"/motions/{motion}/comments", new { text = "I am for it." }, golnar)).Ok();
            post = (await api.PostAsync($"/councils/{council}/posts", new { kind = "report", title = "Our report", text = "All lines stopped." }, golnar)).Ok().Id;
            string mandate = (await api.PostAsync($"/councils/{council}/mandates", new { name = "Treasurer", kind = "role" }, leyla)).Ok().Id;
            Assert.NotNull(mandate);

            // The wrong password deletes nothing.
            string before = Store.Snapshot(server.Database);
            Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(HttpMethod.Delete, "/me", new { password = "not it at all" }, golnar)).Status);
            Assert.Equal(before, Store.Snapshot(server.Database));
            Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, "/me", new { password = "correct horse" }, golnar)).Status);

            // Signed out everywhere, and cannot sign in.
            Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/me", golnar)).Status);
            Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(server, golnar.Email, "correct horse"));
            // She left the council as any leaver does: her open ballot stopped counting.
            Assert.Equal(1, (await api.GetAsync($"/councils/{council}", leyla)).Ok().Body.GetProperty("members").GetInt32());

            // Pages, API and feed: her words stay, as a former member's; her name is nowhere.
            using var visitor = new Visitor(server.Client.BaseAddress!);
            foreach (string path in new[] { $"/councils/{council}", $"/motions/{motion}", $"/posts/{post}", $"/councils/{council}/log", $"/councils/{council}/feed.atom" })
            {
                string body = await (await visitor.GetAsync(path)).Content.ReadAsStringAsync();
                Assert.DoesNotContain(name, body, StringComparison.Ordinal);
                Assert.DoesNotContain(golnar.Email, body, StringComparison.Ordinal);
            }
            Assert.Contains("a former member", await (await visitor.GetAsync($"/motions/{motion}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
            foreach (string path in new[] { $"/councils/{council}", $"/motions/{motion}", $"/motions/{motion}/comments", $"/councils/{council}/posts", $"/councils/{council}/log" })
            {
                var reply = await api.GetAsync(path, leyla);
                Assert.DoesNotContain(name, reply.Body.GetRawText(), StringComparison.Ordinal);
            }
            using var c = server.Database.OpenConnection();
            Assert.Empty(c.Query<string>("SELECT payload FROM log WHERE payload LIKE @like", new { like = $"%{name}%" }));
        }

        // The log's export, and the verifier: no name, and every hash holds.
        var (exported, output, _) = ShuraCli.Run("export", "--council", council, "--db", db);
        Assert.Equal(0, exported);
        Assert.DoesNotContain(name, output, StringComparison.Ordinal);
        var (code, verified, errors) = ShuraCli.Run("verify", "--db", db);
        Assert.True(code == 0, verified + errors);
    }

    [Fact]
    public async Task Behind_a_reverse_proxy_the_links_of_e_mails_use_the_public_address_given()
    {
        using var smtp = await SmtpSink.StartAsync();
        await using var server = await TestServer.StartAsync(fakeClock: true, smtp: $"smtp://127.0.0.1:{smtp.Port}", publicUrl: "https://council.example");
        await server.Api().RegisterAsync("Leyla");
        var mail = Assert.Single(await smtp.WaitAsync(1));
        Assert.StartsWith("https://council.example/verify/", LinkIn().Match(mail.GetProperty("text").GetString()!).Value, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Shura.Web.ShuraServer.Build(new Shura.Web.ServerOptions("http://127.0.0.1:0", Support.Engines.FreshDb(Support.Engines.Sqlite), PublicUrl: "council.example")));
    }
}
