using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dapper;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Notifications;

/// <summary>
/// Notices by e-mail, against a real SMTP server the test starts on loopback (smtp-server from npm,
/// each message read back by mailparser): recipients, language, subject, the one-click unsubscribe
/// headers and link (working without signing in), and the outbox's durability when the mail server
/// refuses for a while.
/// </summary>
public class NoticeMailTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    /// <summary>Notices only: not the e-mails of sign-up that ask to verify the address (Accounts/OwnAccountTests tests those).</summary>
    private static bool Notices(JsonElement mail) =>
        mail.GetProperty("subject").GetString() is not ("Verify your e-mail address for Shura" or "ایمیل خود را برای شورا تأیید کنید");

    private static async Task<Person> RegisterInAsync(TestServer server, string name, string language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/accounts")
        {
            Content = JsonContent(new { name, email = $"{name.ToLowerInvariant()}.{Guid.NewGuid():N}@example.org", password = "correct horse" }),
        };
        request.Headers.AcceptLanguage.ParseAdd(language);
        var body = JsonDocument.Parse(await (await server.Client.SendAsync(request)).Content.ReadAsStringAsync()).RootElement;
        string email = JsonDocument.Parse(request.Content.ReadAsStringAsync().Result).RootElement.GetProperty("email").GetString()!;
        var token = (await server.Api().PostAsync("/tokens", new { email, password = "correct horse", label = "test" })).Ok().Body.GetProperty("token").GetString()!;
        return new Person(body.GetProperty("id").GetString()!, name, email, token);
    }

    private static StringContent JsonContent(object value) => new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task Voting_opened_reaches_every_member_in_their_language_with_a_one_click_unsubscribe_that_needs_no_sign_in()
    {
        using var smtp = await SmtpSink.StartAsync(Notices);
        await using var server = await TestServer.StartAsync(fakeClock: true, smtp: $"smtp://127.0.0.1:{smtp.Port}");
        var api = server.Api();
        var leyla = await RegisterInAsync(server, "Leyla", "en");
        var babak = await RegisterInAsync(server, "Babak", "fa");
        var chen = await RegisterInAsync(server, "Chen", "en");
        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H", secretBallots = true }, name: "Bakery council");
        await api.JoinAsync(council, babak, chen);

        string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Strike on Monday", text = "" });
        var mails = await smtp.WaitAsync(3);

        Assert.Equal(new[] { leyla.Email, babak.Email, chen.Email }.Order(), mails.Select(m => m.GetProperty("envelopeTo")[0].GetString()!).Order());
        var english = mails.Single(m => m.GetProperty("envelopeTo")[0].GetString() == leyla.Email);
        Assert.Equal("Voting opened: Strike on Monday — Bakery council", english.GetProperty("subject").GetString());
        Assert.Contains($"/motions/{motion}", english.GetProperty("text").GetString(), StringComparison.Ordinal);
        var persian = mails.Single(m => m.GetProperty("envelopeTo")[0].GetString() == babak.Email);
        Assert.Equal("رای‌گیری آغاز شد: Strike on Monday — Bakery council", persian.GetProperty("subject").GetString());
        Assert.Contains("dir=\"rtl\"", persian.GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.All(mails, m =>
        {
            Assert.Equal("List-Unsubscribe=One-Click", m.GetProperty("listUnsubscribePost").GetString());
            Assert.Matches("^<http://127\\.0\\.0\\.1:[0-9]+/unsubscribe/[^>]+>$", m.GetProperty("listUnsubscribe").GetString());
        });

        // Chen clicks "unsubscribe" in his mail program: a POST to the header's address, not signed in.
        var chenMail = mails.Single(m => m.GetProperty("envelopeTo")[0].GetString() == chen.Email);
        string header = chenMail.GetProperty("listUnsubscribe").GetString()!;
        var link = new Uri(header[(header.IndexOf('<') + 1)..header.IndexOf('>')]);
        using var anonymous = new HttpClient { BaseAddress = server.Client.BaseAddress };
        var unsubscribed = await anonymous.PostAsync(link.PathAndQuery, new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.OK, unsubscribed.StatusCode);
        string forged = link.PathAndQuery[..^3] + (link.PathAndQuery.EndsWith("AAA", StringComparison.Ordinal) ? "BBB" : "AAA");
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsync(forged, null)).StatusCode);

        // The next motion: Leyla and Babak are told by e-mail, Chen on the site only.
        await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Open on Fridays", text = "" });
        mails = await smtp.WaitAsync(5);
        Assert.Equal(new[] { leyla.Email, babak.Email }.Order(), mails.Skip(3).Select(m => m.GetProperty("envelopeTo")[0].GetString()!).Order());
        Assert.Equal(2, (await api.GetAsync("/me/notices", chen)).Ok().Body.GetProperty("notices").GetArrayLength());
        // No e-mail says anything of a ballot.
        (await api.CastAsync(motion, babak, new { choice = "no" })).Ok();
        await server.AdvanceAsync(TimeSpan.FromHours(1));
        // Both motions: "closes soon" and the result, to all three.
        mails = await smtp.WaitAsync(17);
        // No pseudonym (the name of a secret ballot in the log), no choice, no receipt, in any part of any e-mail.
        Assert.All(mails, m =>
        {
            foreach (string part in new[] { "subject", "text", "html" })
            {
                Assert.DoesNotMatch("p:[0-9a-f]{32}|\\b(yes|no|abstain)\\b|receipt", m.GetProperty(part).GetString()!);
            }
        });
        // Nothing tells who voted: since the vote, Babak (who voted, in Persian) was sent the same e-mails as Leyla and Chen (who did not).
        string[] Since(Person p) => [.. mails.Skip(5).Where(m => To(m) == p.Email).Select(m => m.GetProperty("subject").GetString()!.Split(':')[0]).Order()];
        Assert.Equal(Since(leyla), Since(chen));
        Assert.Equal(Since(leyla).Length, Since(babak).Length);
        Assert.Contains(mails, m => m.GetProperty("subject").GetString()!.StartsWith("Result fixed: Strike on Monday", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_mail_server_that_refuses_for_a_while_then_accepts_gets_every_notice_exactly_once(string engine)
    {
        using var smtp = await SmtpSink.StartAsync(Notices);
        File.WriteAllText(smtp.RefuseFile, "");
        await using var server = await TestServer.StartAsync(engine, fakeClock: true, smtp: $"smtp://127.0.0.1:{smtp.Port}");
        var api = server.Api();
        var people = new[] { await api.RegisterAsync("Leyla"), await api.RegisterAsync("Babak"), await api.RegisterAsync("Chen") };
        string council = await api.CreateCouncilAsync(people[0], new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H" });
        await api.JoinAsync(council, people[1..]);
        await api.PutMotionAsync(council, people[0], new { kind = "decision", title = "Strike on Monday", text = "" });

        // Refused: each delivery is tried, fails, and waits; the reason is kept.
        var waited = Stopwatch.StartNew();
        long failed;
        do
        {
            await Task.Delay(100);
            using var c = server.Database.OpenConnection();
            failed = c.ExecuteScalar<long>("SELECT COUNT(*) FROM deliveries WHERE attempts > 0 AND sent_at IS NULL AND error IS NOT NULL");
            Assert.True(waited.Elapsed.TotalSeconds < 30, $"only {failed} of 3 deliveries were tried within 30 s");
        }
        while (failed < 3);
        Assert.Empty(smtp.Mails);
        // Visible to the operator, as a count only: never to whom.
        var health = JsonDocument.Parse(await server.Client.GetStringAsync("/health")).RootElement;
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Equal(3, health.GetProperty("checks").GetProperty("mail").GetProperty("data").GetProperty("failing").GetInt32());
        Assert.DoesNotContain("@example.org", health.GetRawText(), StringComparison.Ordinal);

        // The server accepts again; the back-off passes (the fake clock moves): every notice arrives, once.
        File.Delete(smtp.RefuseFile);
        await server.AdvanceAsync(TimeSpan.FromMinutes(10));
        var mails = await smtp.WaitAsync(3);
        await Task.Delay(Shura.Web.Notifications.Mailer.Every * 8);
        Assert.Equal(3, smtp.Mails.Count);
        Assert.Equal(people.Select(p => p.Email).Order(), smtp.Mails.Select(m => m.GetProperty("envelopeTo")[0].GetString()!).Order());
        using var store = server.Database.OpenConnection();
        Assert.Equal(3L, store.ExecuteScalar<long>("SELECT COUNT(*) FROM deliveries WHERE sent_at IS NOT NULL"));
    }

    private static string To(JsonElement mail) => mail.GetProperty("envelopeTo")[0].GetString()!;

    private static string Zoned(string language, string zone, DateTimeOffset moment) =>
        new Shura.Web.Site.Formats(new System.Globalization.CultureInfo(language), TimeZoneInfo.FindSystemTimeZoneById(zone)).DateTime(moment);

    [Fact]
    public async Task Closes_soon_a_recall_and_a_call_going_ahead_reach_those_concerned_with_times_in_their_own_zone()
    {
        using var smtp = await SmtpSink.StartAsync(Notices);
        var start = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        await using var server = await TestServer.StartAsync(fakeClock: true, at: start, smtp: $"smtp://127.0.0.1:{smtp.Port}");
        var api = server.Api();
        var leyla = await RegisterInAsync(server, "Leyla", "en");
        var babak = await RegisterInAsync(server, "Babak", "fa");
        var chen = await RegisterInAsync(server, "Chen", "en");
        (await api.SendAsync(HttpMethod.Put, "/me/time-zone", new { timeZone = "America/New_York" }, leyla)).Ok();
        (await api.SendAsync(HttpMethod.Put, "/me/time-zone", new { timeZone = "Asia/Tehran" }, babak)).Ok();
        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "P3D" }, name: "Bakery council");
        await api.JoinAsync(council, babak, chen);
        // Nobody hears of voting opening: only "closes soon" is looked for here.
        foreach (var person in new[] { leyla, babak, chen })
        {
            (await api.SendAsync(HttpMethod.Put, "/me/notices/channels", new { channels = new Dictionary<string, string> { ["voting-open"] = "in-app" } }, person)).Ok();
        }
        string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Strike on Monday", text = "" });
        var ends = start.AddDays(3);

        await server.AdvanceAsync(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        var soon = await smtp.WaitAsync(3);
        Assert.All(soon, m => Assert.Contains($"/motions/{motion}", m.GetProperty("text").GetString(), StringComparison.Ordinal));
        var persian = soon.Single(m => To(m) == babak.Email);
        Assert.Equal("رای‌گیری به‌زودی بسته می‌شود: Strike on Monday — Bakery council", persian.GetProperty("subject").GetString());
        // 4 December 10:00 UTC is 13:30 in Tehran, 13 Azar 1405; 05:00 in New York.
        Assert.Contains("تا " + Zoned("fa", "Asia/Tehran", ends), persian.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("۱۳ آذر ۱۴۰۵، ۱۳:۳۰", persian.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("until 4 December 2026, 05:00 (America/New_York)", soon.Single(m => To(m) == leyla.Email).GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("until 4 December 2026, 10:00 UTC", soon.Single(m => To(m) == chen.Email).GetProperty("text").GetString(), StringComparison.Ordinal);

        // Leyla holds a seat; Babak and Chen withdraw their confidence: the recall crossing its threshold tells her and the whole electorate.
        string mandate = (await api.PostAsync($"/councils/{council}/mandates", new { name = "Convener", kind = "convener" }, leyla)).Ok().Id;
        string election = await api.PutMotionAsync(council, leyla, new { kind = "election", title = "Convener", text = "", mandate, candidates = new[] { leyla.Id } });
        (await api.CastAsync(election, babak, new { ranking = new[] { leyla.Id } })).Ok();
        await server.AdvanceAsync(TimeSpan.FromDays(3));
        await server.StateAsync(election, "decided");
        // The motion's result, and the election's "closes soon" and result, to all three.
        await smtp.WaitAsync(12);
        foreach (var person in new[] { leyla, babak, chen })
        {
            (await api.SendAsync(HttpMethod.Put, "/me/notices/channels", new { channels = new Dictionary<string, string>
            {
                ["closes-soon"] = "in-app", ["result"] = "in-app", ["recall-under-way"] = "in-app", ["seat-to-fill"] = "in-app", ["support-needed"] = "in-app",
            } }, person)).Ok();
        }
        int before = smtp.Mails.Count;
        (await api.SendAsync(HttpMethod.Put, $"/mandates/{mandate}/holders/{leyla.Id}/confidence", new { withdrawn = true }, babak)).Ok();
        await Task.Delay(Shura.Web.Notifications.Mailer.Every * 8);
        Assert.Equal(before, smtp.Mails.Count);
        (await api.SendAsync(HttpMethod.Put, $"/mandates/{mandate}/holders/{leyla.Id}/confidence", new { withdrawn = true }, chen)).Ok();
        var recalled = (await smtp.WaitAsync(before + 3)).Skip(before).ToList();
        Assert.Equal(new[] { leyla.Email, babak.Email, chen.Email }.Order(), recalled.Select(To).Order());
        Assert.All(recalled, m => Assert.Contains($"/mandates/{mandate}", m.GetProperty("text").GetString(), StringComparison.Ordinal));
        Assert.StartsWith("A holder was recalled", recalled.Single(m => To(m) == leyla.Email).GetProperty("subject").GetString(), StringComparison.Ordinal);

        // A call reaching its threshold tells every pledger, and only them.
        before = smtp.Mails.Count;
        var now = server.Clock!.GetUtcNow();
        string call = (await api.PostAsync($"/councils/{council}/calls",
            new { title = "March", text = "Come.", place = "The square", startsAt = now.AddDays(3), threshold = 2, deadline = now.AddDays(2) }, leyla)).Ok().Id;
        (await api.SendAsync(HttpMethod.Put, $"/calls/{call}/pledge", null, babak)).Ok();
        (await api.SendAsync(HttpMethod.Put, $"/calls/{call}/pledge", null, chen)).Ok();
        var on = (await smtp.WaitAsync(before + 2)).Skip(before).ToList();
        Assert.Equal(new[] { babak.Email, chen.Email }.Order(), on.Select(To).Order());
        Assert.All(on, m => Assert.Contains($"/posts/{call}", m.GetProperty("text").GetString(), StringComparison.Ordinal));
        await Task.Delay(Shura.Web.Notifications.Mailer.Every * 8);
        Assert.Equal(before + 2, smtp.Mails.Count);
    }

    [Fact]
    public async Task A_digest_gathers_a_day_into_one_e_mail_at_seven_in_the_persons_morning_and_its_link_stops_it()
    {
        using var smtp = await SmtpSink.StartAsync(Notices);
        // 10:00 UTC is 13:30 in Tehran: Babak's digest goes at 07:00 Tehran the next day, 03:30 UTC.
        var start = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        await using var server = await TestServer.StartAsync(fakeClock: true, at: start, smtp: $"smtp://127.0.0.1:{smtp.Port}");
        var api = server.Api();
        var leyla = await RegisterInAsync(server, "Leyla", "en");
        var babak = await RegisterInAsync(server, "Babak", "fa");
        (await api.SendAsync(HttpMethod.Put, "/me/time-zone", new { timeZone = "Asia/Tehran" }, babak)).Ok();
        (await api.SendAsync(HttpMethod.Put, "/me/notices/channels", new { channels = new Dictionary<string, string> { ["voting-open"] = "digest", ["result"] = "digest", ["closes-soon"] = "off" } }, babak)).Ok();
        (await api.SendAsync(HttpMethod.Put, "/me/notices/channels", new { channels = new Dictionary<string, string> { ["closes-soon"] = "off" } }, leyla)).Ok();
        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT2H" }, name: "Bakery council");
        await api.JoinAsync(council, babak);

        await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Strike on Monday", text = "" });
        await server.AdvanceAsync(TimeSpan.FromHours(4));
        await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Open on Fridays", text = "" });
        // Leyla hears of each at once: two openings, one result so far.
        await smtp.WaitAsync(3);
        Assert.All(smtp.Mails, m => Assert.Equal(leyla.Email, To(m)));

        // Just before seven in Tehran nothing has gone to Babak; at seven, one e-mail with all three.
        await server.AdvanceAsync(new DateTimeOffset(2026, 12, 2, 3, 29, 0, TimeSpan.Zero) - server.Clock!.GetUtcNow());
        await Task.Delay(Shura.Web.Notifications.Mailer.Every * 8);
        Assert.DoesNotContain(smtp.Mails, m => To(m) == babak.Email);
        await server.AdvanceAsync(TimeSpan.FromMinutes(2));
        var digest = (await smtp.WaitAsync(5)).Single(m => To(m) == babak.Email);
        Assert.Equal("خلاصهٔ شما: ۴ اعلان", digest.GetProperty("subject").GetString());
        string text = digest.GetProperty("text").GetString()!;
        Assert.Equal(2, text.Split("Strike on Monday").Length - 1);
        Assert.Equal(2, text.Split("Open on Fridays").Length - 1);
        Assert.Contains("(\u2068Asia/Tehran\u2069)", text, StringComparison.Ordinal);
        await Task.Delay(Shura.Web.Notifications.Mailer.Every * 8);
        Assert.Single(smtp.Mails, m => To(m) == babak.Email);

        // The digest's own link stops digests: what was in it stays in the inbox only.
        string header = digest.GetProperty("listUnsubscribe").GetString()!;
        using var anonymous = new HttpClient { BaseAddress = server.Client.BaseAddress };
        var link = new Uri(header[(header.IndexOf('<') + 1)..header.IndexOf('>')]);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsync(link.PathAndQuery, new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"))).StatusCode);
        var channels = (await api.GetAsync("/me/notices/channels", babak)).Ok().Body.GetProperty("channels");
        Assert.Equal(("in-app", "in-app", "off", "at-once"),
            (channels.GetProperty("voting-open").GetString(), channels.GetProperty("result").GetString(), channels.GetProperty("closes-soon").GetString(), channels.GetProperty("reply").GetString()));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_server_killed_between_the_commit_and_the_sending_sends_after_its_restart_once(string engine)
    {
        using var smtp = await SmtpSink.StartAsync(Notices);
        File.WriteAllText(smtp.RefuseFile, "");
        string db = Support.Engines.FreshDb(engine);
        string url = $"smtp://127.0.0.1:{smtp.Port}";
        var server = await ServeProcess.StartAsync(db, "--smtp", url);
        Person leyla, babak;
        try
        {
            var api = server.Api();
            (leyla, babak) = (await api.RegisterAsync("Leyla"), await api.RegisterAsync("Babak"));
            string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "P1D" });
            await api.JoinAsync(council, babak);
            await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Strike on Monday", text = "" });
            // Committed and acknowledged; the mail server takes nothing yet. SIGKILL: no shutdown of any kind.
            server.Kill();
        }
        finally
        {
            await server.DisposeAsync();
        }
        Assert.Empty(smtp.Mails);

        File.Delete(smtp.RefuseFile);
        await using var again = await ServeProcess.StartAsync(db, "--smtp", url);
        // A delivery tried before the kill waits out its back-off (seconds) on the real clock; one the
        // kill caught mid-send, its node's claim on it (a minute).
        var mails = await smtp.WaitAsync(2, seconds: 180);
        Assert.Equal(new[] { leyla.Email, babak.Email }.Order(), mails.Select(To).Order());
        Assert.All(mails, m => Assert.StartsWith("Voting opened: Strike on Monday", m.GetProperty("subject").GetString(), StringComparison.Ordinal));
        await Task.Delay(Shura.Web.Notifications.Mailer.Every * 8);
        Assert.Equal(2, smtp.Mails.Count);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_server_killed_in_the_middle_of_sending_sends_after_its_restart_once(string engine)
    {
        using var smtp = await SmtpSink.StartAsync();
        string db = Support.Engines.FreshDb(engine);
        string url = $"smtp://127.0.0.1:{smtp.Port}";
        var server = await ServeProcess.StartAsync(db, "--smtp", url);
        Person leyla, babak;
        try
        {
            var api = server.Api();
            (leyla, babak) = (await api.RegisterAsync("Leyla"), await api.RegisterAsync("Babak"));
            await smtp.WaitAsync(2); // the e-mails of sign-up, asking to verify the address
            string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "P1D" });
            await api.JoinAsync(council, babak);
            // From now on the mail server takes a message's recipient and says nothing more.
            File.WriteAllText(smtp.HoldFile, "");
            await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Strike on Monday", text = "" });
            // The server is mid-send: SIGKILL.
            await Wait.UntilAsync(() => Task.FromResult(smtp.Held.Count > 0), "a notice held mid-send");
            server.Kill();
        }
        finally
        {
            await server.DisposeAsync();
        }
        Assert.Equal(2, smtp.Mails.Count);

        File.Delete(smtp.HoldFile);
        await using var again = await ServeProcess.StartAsync(db, "--smtp", url);
        // The mail the kill caught is held by the dead node's claim (a minute), then sent by this one.
        var notices = (await smtp.WaitAsync(4, seconds: 180)).Skip(2).ToList();
        Assert.Equal(new[] { leyla.Email, babak.Email }.Order(), notices.Select(To).Order());
        Assert.All(notices, m => Assert.StartsWith("Voting opened: Strike on Monday", m.GetProperty("subject").GetString(), StringComparison.Ordinal));
        await Task.Delay(Shura.Web.Notifications.Mailer.Every * 8);
        Assert.Equal(4, smtp.Mails.Count);
    }
}
