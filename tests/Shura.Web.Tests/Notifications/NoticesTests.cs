using System.Text.Json;
using Dapper;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Notifications;

/// <summary>
/// In-app notices (DESIGN §2, Notification), over real HTTP on both engines: each a consequence of
/// a logged event, written with it; for the whole council or for the one person it concerns; read
/// only while one is a member; never a ballot.
/// </summary>
public class NoticesTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    private static async Task<JsonElement[]> NoticesAsync(Api api, Person who) =>
        [.. (await api.GetAsync("/me/notices", who)).Ok().Body.GetProperty("notices").EnumerateArray()];

    private static async Task<int> UnreadAsync(Api api, Person who) => (await api.GetAsync("/me/notices", who)).Ok().Body.GetProperty("unread").GetInt32();

    private static string[] Kinds(JsonElement[] notices) => [.. notices.Select(n => n.GetProperty("kind").GetString()!)];

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_secret_vote_tells_every_member_that_voting_opened_and_the_result_and_no_notice_holds_a_ballot(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var api = server.Api();
        var (leyla, babak, chen) = (await api.RegisterAsync("Leyla"), await api.RegisterAsync("Babak"), await api.RegisterAsync("Chen"));
        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H", secretBallots = true });
        await api.JoinAsync(council, babak, chen);
        string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Strike on Monday", text = "" });
        string receipt = (await api.CastAsync(motion, babak, new { choice = "no" })).Ok().Body.GetProperty("receipt").GetString()!;
        (await api.CastAsync(motion, chen, new { choice = "yes" })).Ok();
        await server.AdvanceAsync(TimeSpan.FromHours(1));
        await server.StateAsync(motion, "rejected");

        foreach (var person in new[] { leyla, babak, chen })
        {
            var notices = await NoticesAsync(api, person);
            // Half-way through the hour, "voting closes soon" came too.
            Assert.Equal(["result", "closes-soon", "voting-open"], Kinds(notices));
            Assert.All(notices, n => Assert.Equal($"/motions/{motion}", n.GetProperty("link").GetString()));
            Assert.All(notices, n => Assert.Equal("Strike on Monday", n.GetProperty("title").GetString()));
            Assert.Equal(3, await UnreadAsync(api, person));
        }
        // Nothing in any notice, nor in the inbox pages, ties a person to a ballot: no choice, no pseudonym, no receipt.
        using (var c = server.Database.OpenConnection())
        {
            string all = string.Join("\n", c.Query("SELECT * FROM notices").Select(r => string.Join("|", ((IDictionary<string, object>)r).Values)));
            Assert.DoesNotContain("p:", all, StringComparison.Ordinal);
            Assert.DoesNotContain(receipt, all, StringComparison.Ordinal);
            Assert.DoesNotContain(babak.Id, all, StringComparison.Ordinal);
            Assert.DoesNotContain(chen.Id, all, StringComparison.Ordinal);
        }
        using var page = await new Visitor(server.Client.BaseAddress!).SignInAsync(babak);
        string inbox = await (await page.GetAsync("/inbox")).Content.ReadAsStringAsync();
        Assert.Contains("Voting opened", inbox, StringComparison.Ordinal);
        foreach (string ballot in new[] { ">no<", ">yes<", receipt, "Your ballot" })
        {
            Assert.DoesNotContain(ballot, inbox, StringComparison.Ordinal);
        }

        // Read: the count goes to nought, for this person alone.
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await api.PostAsync("/me/notices/read", null, babak)).Status);
        Assert.Equal(0, await UnreadAsync(api, babak));
        Assert.Equal(3, await UnreadAsync(api, leyla));
        Assert.All(await NoticesAsync(api, babak), n => Assert.False(n.GetProperty("unread").GetBoolean()));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_answer_a_call_going_ahead_and_a_hidden_text_tell_the_one_person_each_concerns(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var api = server.Api();
        var (leyla, babak, chen) = (await api.RegisterAsync("Leyla"), await api.RegisterAsync("Babak"), await api.RegisterAsync("Chen"));
        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 2, deliberationPeriod = "PT1H", votingPeriod = "PT1H" });
        await api.JoinAsync(council, babak, chen);
        string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Strike on Monday", text = "" });

        string question = (await api.PostAsync($"/motions/{motion}/comments", new { text = "Which lines?" }, leyla)).Ok().Id;
        string answer = (await api.PostAsync($"/motions/{motion}/comments", new { text = "All of them.", replyTo = question }, babak)).Ok().Id;
        (await api.PostAsync($"/motions/{motion}/comments", new { text = "And the depot.", replyTo = question }, leyla)).Ok();
        // Named with an @: Chen is told; Leyla, named too, is told of the answer only, once; Babak, the author, not at all.
        string named = (await api.PostAsync($"/motions/{motion}/comments", new { text = "@Chen, @Leyla and @Babak: the depot opens at 6.", replyTo = question }, babak)).Ok().Id;
        var mention = Assert.Single(await NoticesAsync(api, chen), n => n.GetProperty("kind").GetString() == "mention");
        Assert.Equal($"/motions/{motion}#comment-{named}", mention.GetProperty("link").GetString());
        // Besides "support needed", which the motion told every member.
        var told = (await NoticesAsync(api, leyla)).Where(n => n.GetProperty("kind").GetString() != "support-needed").ToList();
        Assert.Equal(["reply", "reply"], told.Select(n => n.GetProperty("kind").GetString()!).ToArray());
        Assert.Equal($"/motions/{motion}#comment-{answer}", told[1].GetProperty("link").GetString());
        Assert.Equal(["support-needed"], Kinds(await NoticesAsync(api, babak)));
        Assert.Equal(["mention", "support-needed"], Kinds(await NoticesAsync(api, chen)));

        string call = (await api.PostAsync($"/councils/{council}/calls",
            new { title = "March", text = "Come.", place = "The square", startsAt = "2030-01-02T10:00:00Z", threshold = 2, deadline = "2030-01-01T10:00:00Z" }, leyla)).Ok().Id;
        (await api.SendAsync(HttpMethod.Put, $"/calls/{call}/pledge", null, babak)).Ok();
        (await api.SendAsync(HttpMethod.Put, $"/calls/{call}/pledge", null, chen)).Ok();
        Assert.Equal("call-on", Kinds(await NoticesAsync(api, babak))[0]);
        Assert.Equal("call-on", Kinds(await NoticesAsync(api, chen))[0]);
        Assert.DoesNotContain("call-on", Kinds(await NoticesAsync(api, leyla)));

        (await api.SendAsync(HttpMethod.Put, $"/comments/{answer}/flag", null, leyla)).Ok();
        string hide = (await api.SendAsync(HttpMethod.Put, $"/comments/{answer}/flag", null, chen)).Ok().Body.GetProperty("hiddenBy").GetString()!;
        var hidden = (await NoticesAsync(api, babak)).First(n => n.GetProperty("kind").GetString() == "text-hidden");
        Assert.Equal($"/motions/{hide}", hidden.GetProperty("link").GetString());
        Assert.DoesNotContain("text-hidden", Kinds(await NoticesAsync(api, leyla)));
        // The hide motion itself opened voting for everyone.
        Assert.Contains("voting-open", Kinds(await NoticesAsync(api, leyla)));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task One_who_joins_later_reads_nothing_from_before_and_one_who_leaves_reads_nothing_more(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var api = server.Api();
        var (leyla, babak, chen) = (await api.RegisterAsync("Leyla"), await api.RegisterAsync("Babak"), await api.RegisterAsync("Chen"));
        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H", visibility = "members", joinPolicy = "invitation" });
        await api.JoinByInvitationAsync(council, leyla, babak);
        await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Before Chen", text = "" });
        await server.AdvanceAsync(TimeSpan.FromMinutes(1));
        await api.JoinByInvitationAsync(council, leyla, chen);
        await server.AdvanceAsync(TimeSpan.FromMinutes(1));
        await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "With Chen", text = "" });

        Assert.Equal(["With Chen"], (await NoticesAsync(api, chen)).Select(n => n.GetProperty("title").GetString()!).ToArray());
        Assert.Equal(2, (await NoticesAsync(api, babak)).Length);

        (await api.SendAsync(HttpMethod.Delete, $"/councils/{council}/members/me", null, babak)).Ok();
        Assert.Empty(await NoticesAsync(api, babak));
        Assert.Equal(0, await UnreadAsync(api, babak));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_recall_under_way_the_recall_and_the_seat_it_leaves_to_fill_tell_every_member(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var api = server.Api();
        var (leyla, babak, chen) = (await api.RegisterAsync("Leyla"), await api.RegisterAsync("Babak"), await api.RegisterAsync("Chen"));
        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H" });
        await api.JoinAsync(council, babak, chen);
        string mandate = (await api.PostAsync($"/councils/{council}/mandates", new { name = "Convener", kind = "convener" }, leyla)).Ok().Id;
        string election = await api.PutMotionAsync(council, leyla, new { kind = "election", title = "Convener", text = "", mandate, candidates = new[] { leyla.Id } });
        (await api.CastAsync(election, babak, new { ranking = new[] { leyla.Id } })).Ok();
        await server.AdvanceAsync(TimeSpan.FromHours(1));
        await server.StateAsync(election, "decided");
        (await api.PostAsync("/me/notices/read", null, babak)).Ok();

        string recall = await api.PutMotionAsync(council, babak, new { kind = "recall", title = "Recall the convener", text = "", mandate, holder = leyla.Id });
        // A recall votes at once: the recall under way and its voting are told together.
        Assert.Equal(["voting-open", "recall-under-way"], Kinds(await NoticesAsync(api, chen))[..2]);
        (await api.CastAsync(recall, babak, new { choice = "yes" })).Ok();
        (await api.CastAsync(recall, chen, new { choice = "yes" })).Ok();
        await server.AdvanceAsync(TimeSpan.FromDays(1));
        await server.StateAsync(recall, "in-force");

        var kinds = Kinds(await NoticesAsync(api, babak));
        Assert.Contains("recalled", kinds);
        Assert.Contains("seat-to-fill", kinds);
        Assert.Contains("recall-under-way", kinds);
        // The election's three notices (voting opened, closes soon, result) were read before the recall; everything since is new.
        Assert.Equal(kinds.Length - 3, await UnreadAsync(api, babak));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Notices_due_later_come_when_due_and_not_at_all_when_what_they_foretold_does_not_happen(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var api = server.Api();
        var (leyla, babak, chen) = (await api.RegisterAsync("Leyla"), await api.RegisterAsync("Babak"), await api.RegisterAsync("Chen"));
        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 2, deliberationPeriod = "PT0S", votingPeriod = "P3D" });
        await api.JoinAsync(council, babak, chen);

        // A motion that needs support tells every member.
        string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Strike on Monday", text = "" });
        Assert.Equal(["support-needed"], Kinds(await NoticesAsync(api, chen)));
        (await api.PostAsync($"/motions/{motion}/support", null, babak)).Ok();
        Assert.Equal("voting-open", Kinds(await NoticesAsync(api, chen))[0]);

        // Voting lasts three days: "closes soon" comes a day before the end, not earlier.
        await server.AdvanceAsync(TimeSpan.FromDays(2) - TimeSpan.FromMinutes(1));
        Assert.DoesNotContain("closes-soon", Kinds(await NoticesAsync(api, chen)));
        await server.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.Equal("closes-soon", Kinds(await NoticesAsync(api, chen))[0]);
        (await api.CastAsync(motion, babak, new { choice = "yes" })).Ok();
        (await api.CastAsync(motion, chen, new { choice = "yes" })).Ok();
        await server.AdvanceAsync(TimeSpan.FromDays(1));
        await server.StateAsync(motion, "in-force");

        // A call that misses its threshold tells those still pledged at the deadline; one that goes ahead tells nobody it missed.
        string missed = (await api.PostAsync($"/councils/{council}/calls",
            new { title = "March", text = "Come.", place = "The square", startsAt = server.Clock!.GetUtcNow().AddDays(3), threshold = 3, deadline = server.Clock.GetUtcNow().AddDays(2) }, leyla)).Ok().Id;
        string ahead = (await api.PostAsync($"/councils/{council}/calls",
            new { title = "Leaflets", text = "Come.", place = "The depot", startsAt = server.Clock.GetUtcNow().AddDays(3), threshold = 2, deadline = server.Clock.GetUtcNow().AddDays(2) }, leyla)).Ok().Id;
        (await api.SendAsync(HttpMethod.Put, $"/calls/{missed}/pledge", null, babak)).Ok();
        (await api.SendAsync(HttpMethod.Put, $"/calls/{missed}/pledge", null, chen)).Ok();
        (await api.SendAsync(HttpMethod.Delete, $"/calls/{missed}/pledge", null, chen)).Ok();
        (await api.SendAsync(HttpMethod.Put, $"/calls/{ahead}/pledge", null, babak)).Ok();
        (await api.SendAsync(HttpMethod.Put, $"/calls/{ahead}/pledge", null, chen)).Ok();

        // An action due in a day and done before then is never overdue; one left open is, for every member.
        string done = (await api.PostAsync($"/motions/{motion}/actions", new { description = "Print 500 leaflets", due = server.Clock.GetUtcNow().AddDays(1) }, leyla)).Ok().Id;
        string late = (await api.PostAsync($"/motions/{motion}/actions", new { description = "Book the hall", due = server.Clock.GetUtcNow().AddDays(1) }, leyla)).Ok().Id;
        (await api.PostAsync($"/actions/{done}/volunteers", null, leyla)).Ok();
        (await api.PostAsync($"/actions/{done}/reports", new { text = "Printed", status = "done" }, leyla)).Ok();
        Assert.DoesNotContain("action-overdue", Kinds(await NoticesAsync(api, chen)));
        await server.AdvanceAsync(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var overdue = Assert.Single(await NoticesAsync(api, chen), n => n.GetProperty("kind").GetString() == "action-overdue");
        Assert.Equal(("Book the hall", $"/councils/{council}/actions#action-{late}"), (overdue.GetProperty("title").GetString(), overdue.GetProperty("link").GetString()));

        await server.AdvanceAsync(TimeSpan.FromDays(1));
        var babakMissed = (await NoticesAsync(api, babak)).Where(n => n.GetProperty("kind").GetString() == "pledge-missed").ToList();
        Assert.Equal([$"/posts/{missed}"], babakMissed.Select(n => n.GetProperty("link").GetString()!).ToArray());
        Assert.DoesNotContain("pledge-missed", Kinds(await NoticesAsync(api, chen)));
        Assert.DoesNotContain("pledge-missed", Kinds(await NoticesAsync(api, leyla)));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Each_person_chooses_per_kind_how_to_hear_and_a_bad_choice_changes_nothing(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var api = server.Api();
        var (leyla, babak) = (await api.RegisterAsync("Leyla"), await api.RegisterAsync("Babak"));
        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H" });
        await api.JoinAsync(council, babak);

        var channels = (await api.GetAsync("/me/notices/channels", babak)).Ok().Body.GetProperty("channels");
        Assert.Equal(13, channels.EnumerateObject().Count());
        Assert.All(channels.EnumerateObject(), c => Assert.Equal("at-once", c.Value.GetString()));

        string before = Store.Snapshot(server.Database);
        Assert.Equal("invalid-field", (await api.SendAsync(HttpMethod.Put, "/me/notices/channels", new { channels = new Dictionary<string, string> { ["result"] = "off", ["gossip"] = "off" } }, babak)).Code);
        Assert.Equal("invalid-field", (await api.SendAsync(HttpMethod.Put, "/me/notices/channels", new { channels = new Dictionary<string, string> { ["result"] = "pigeon" } }, babak)).Code);
        Assert.Equal("invalid-field", (await api.SendAsync(HttpMethod.Put, "/me/notices/channels", new { channels = new Dictionary<string, string>() }, babak)).Code);
        Assert.Equal(before, Store.Snapshot(server.Database));

        var chosen = (await api.SendAsync(HttpMethod.Put, "/me/notices/channels", new { channels = new Dictionary<string, string> { ["voting-open"] = "off", ["result"] = "digest" } }, babak)).Ok().Body.GetProperty("channels");
        Assert.Equal(("off", "digest", "at-once"), (chosen.GetProperty("voting-open").GetString(), chosen.GetProperty("result").GetString(), chosen.GetProperty("reply").GetString()));

        string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Strike on Monday", text = "" });
        await server.AdvanceAsync(TimeSpan.FromHours(1));
        await server.StateAsync(motion, "rejected");
        // Turned off: not in the inbox; a digest is still in the inbox. Leyla chose nothing and has all.
        Assert.Equal(["result", "closes-soon"], Kinds(await NoticesAsync(api, babak)));
        Assert.Equal(["result", "closes-soon", "voting-open"], Kinds(await NoticesAsync(api, leyla)));

        // The page offers the same choice, and says when the server sends no e-mail.
        using var page = await new Visitor(server.Client.BaseAddress!).SignInAsync(babak);
        string inbox = await (await page.GetAsync("/inbox")).Content.ReadAsStringAsync();
        Assert.Contains("This server sends no e-mail", inbox, StringComparison.Ordinal);
        var saved = await page.PostAsync("/inbox", "/inbox?handler=Channels", new Dictionary<string, string> { ["channel-voting-open"] = "at-once", ["channel-reply"] = "in-app" });
        Assert.True(saved.IsSuccessStatusCode || (int)saved.StatusCode is 302 or 303, saved.StatusCode.ToString());
        chosen = (await api.GetAsync("/me/notices/channels", babak)).Ok().Body.GetProperty("channels");
        Assert.Equal(("at-once", "digest", "in-app"), (chosen.GetProperty("voting-open").GetString(), chosen.GetProperty("result").GetString(), chosen.GetProperty("reply").GetString()));
    }
}
