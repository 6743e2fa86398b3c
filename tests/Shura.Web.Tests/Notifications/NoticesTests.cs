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
            Assert.Equal(["result", "voting-open"], Kinds(notices));
            Assert.All(notices, n => Assert.Equal($"/motions/{motion}", n.GetProperty("link").GetString()));
            Assert.All(notices, n => Assert.Equal("Strike on Monday", n.GetProperty("title").GetString()));
            Assert.Equal(2, await UnreadAsync(api, person));
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
        Assert.Equal(2, await UnreadAsync(api, leyla));
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
        var told = Assert.Single(await NoticesAsync(api, leyla));
        Assert.Equal(("reply", $"/motions/{motion}#comment-{answer}"), (told.GetProperty("kind").GetString(), told.GetProperty("link").GetString()));
        Assert.Empty(await NoticesAsync(api, babak));
        Assert.Empty(await NoticesAsync(api, chen));

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
        // The election's two notices (voting opened, result) were read before the recall; everything since is new.
        Assert.Equal(kinds.Length - 2, await UnreadAsync(api, babak));
    }
}
