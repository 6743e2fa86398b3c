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

    /// <summary>The SMTP server: what it received, one JSON object per message; a file whose presence makes it refuse.</summary>
    private sealed class SmtpSink : IDisposable
    {
        private readonly Process _node;
        private readonly ConcurrentQueue<JsonElement> _mails = new();

        public int Port { get; }

        public string RefuseFile { get; }

        private SmtpSink(Process node, int port, string refuseFile)
        {
            _node = node;
            Port = port;
            RefuseFile = refuseFile;
        }

        public static async Task<SmtpSink> StartAsync()
        {
            string directory = Path.Combine(Repository.Root, "tests", "Shura.Web.Tests");
            var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
            start.ArgumentList.Add(Path.Combine(directory, "Notifications", "smtp-sink.js"));
            string refuse = Path.Combine(Directory.CreateTempSubdirectory("shura-smtp-").FullName, "refuse");
            start.Environment["REFUSE_FILE"] = refuse;
            var node = Process.Start(start)!;
            string? first = await node.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            if (first?.StartsWith("listening ", StringComparison.Ordinal) != true)
            {
                node.Kill();
                Assert.Fail($"the SMTP server did not start: {first} {await node.StandardError.ReadToEndAsync()}");
            }
            var sink = new SmtpSink(node, int.Parse(first!["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture), refuse);
            _ = Task.Run(async () =>
            {
                while (await node.StandardOutput.ReadLineAsync() is { } line)
                {
                    sink._mails.Enqueue(JsonDocument.Parse(line).RootElement.Clone());
                }
            });
            return sink;
        }

        public IReadOnlyList<JsonElement> Mails => [.. _mails];

        /// <summary>Waits until at least <paramref name="count"/> messages arrived (generously: the mailer looks every quarter second).</summary>
        public async Task<IReadOnlyList<JsonElement>> WaitAsync(int count, double seconds = 30)
        {
            var waited = Stopwatch.StartNew();
            while (_mails.Count < count)
            {
                Assert.True(waited.Elapsed.TotalSeconds < seconds, $"{_mails.Count} of {count} e-mails arrived within {seconds} s");
                await Task.Delay(100);
            }
            return Mails;
        }

        public void Dispose()
        {
            _node.Kill(entireProcessTree: true);
            _node.Dispose();
        }
    }

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
        using var smtp = await SmtpSink.StartAsync();
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
        mails = await smtp.WaitAsync(8);
        // No pseudonym (the name of a secret ballot in the log), no choice.
        Assert.All(mails, m => Assert.DoesNotMatch("p:[0-9a-f]{32}|\\b(yes|no|abstain)\\b", m.GetProperty("text").GetString()!));
        Assert.Contains(mails, m => m.GetProperty("subject").GetString()!.StartsWith("Result fixed: Strike on Monday", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_mail_server_that_refuses_for_a_while_then_accepts_gets_every_notice_exactly_once(string engine)
    {
        using var smtp = await SmtpSink.StartAsync();
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
}
