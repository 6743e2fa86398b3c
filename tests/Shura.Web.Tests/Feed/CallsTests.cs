using System.Net;
using System.Text.Json;
using Dapper;
using Shura.Storage.Log;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Feed;

/// <summary>
/// Calls to action over HTTP, once per engine: five members pledge to a call with threshold five —
/// the fifth request's answer already says it is on; one takes their pledge back before the deadline
/// and it is off again; the log shows each step; after the deadline pledges are fixed and a call
/// below its threshold is off for good; `shura verify` recomputes it all from the log.
/// </summary>
public abstract class CallsTests(string engine) : IAsyncLifetime
{
    private TestServer _server = null!;
    private Api _api = null!;
    private Person[] _members = [];
    private Person _outsider = null!;
    private string _council = "";

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(engine, fakeClock: true);
        _api = _server.Api();
        _members = [.. await Task.WhenAll(Enumerable.Range(1, 6).Select(i => _api.RegisterAsync($"Member {i}")))];
        _outsider = await _api.RegisterAsync("Sara");
        _council = await _api.CreateCouncilAsync(_members[0], Api.QuickSettings(voting: "P1D"));
        await _api.JoinAsync(_council, _members[1..]);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private DateTimeOffset Now => _server.Clock!.GetUtcNow();

    private Task<Reply> PledgeAsync(string call, Person who) => _api.SendAsync(HttpMethod.Put, $"/calls/{call}/pledge", null, who);

    private async Task<string> CallAsync(int? threshold = 5, DateTimeOffset? endsAt = null) =>
        (await _api.PostAsync($"/councils/{_council}/calls", new
        {
            title = "Strike at the mill", text = "We stop work **together**.", place = "The mill gate, Saadi Street",
            startsAt = Now.AddDays(3), threshold, deadline = threshold is null ? (DateTimeOffset?)null : Now.AddDays(1), endsAt,
        }, _members[0])).Ok().Id;

    [Fact]
    public async Task The_fifth_pledge_puts_the_call_on_in_its_own_answer_and_a_withdrawal_puts_it_off_again()
    {
        string call = await CallAsync();
        var view = (await _api.GetAsync($"/calls/{call}")).Ok().Body;
        Assert.Equal("gathering", view.GetProperty("status").GetString());
        Assert.Equal("The mill gate, Saadi Street", view.GetProperty("place").GetString());

        for (int i = 0; i < 4; i++)
        {
            var answer = (await PledgeAsync(call, _members[i])).Ok().Body;
            Assert.Equal(i + 1, answer.GetProperty("pledges").GetInt32());
            Assert.Equal("gathering", answer.GetProperty("status").GetString());
        }
        var fifth = (await PledgeAsync(call, _members[4])).Ok().Body;
        Assert.Equal("on", fifth.GetProperty("status").GetString());
        Assert.Equal(5, fifth.GetProperty("pledges").GetInt32());
        Assert.True(fifth.GetProperty("pledged").GetBoolean());

        var back = (await _api.SendAsync(HttpMethod.Delete, $"/calls/{call}/pledge", null, _members[2])).Ok().Body;
        Assert.Equal("gathering", back.GetProperty("status").GetString());
        Assert.Equal(4, back.GetProperty("pledges").GetInt32());

        // The log shows each step, in order.
        var steps = (await _api.LogAsync(_council)).Select(e => e.GetProperty("type").GetString())
            .Where(t => t is "call-published" or "pledged" or "pledge-withdrawn" or "call-on" or "call-off").ToList();
        Assert.Equal(["call-published", "pledged", "pledged", "pledged", "pledged", "pledged", "call-on", "pledge-withdrawn", "call-off"], steps);

        // At the deadline below the threshold it is off for good, and pledges are fixed.
        await _server.AdvanceAsync(TimeSpan.FromDays(1));
        Assert.Equal("off", (await _api.GetAsync($"/calls/{call}")).Ok().Body.GetProperty("status").GetString());
        Assert.Equal("pledges-closed", (await PledgeAsync(call, _members[5])).Code);
        Assert.Equal("pledges-closed", (await _api.SendAsync(HttpMethod.Delete, $"/calls/{call}/pledge", null, _members[0])).Code);

        var verification = Verifier.Run(_server.Database, Now);
        Assert.True(verification.IsIntact, string.Join("; ", verification.Problems));
    }

    [Fact]
    public async Task A_call_that_is_on_at_its_deadline_stays_on_and_one_without_a_threshold_counts_sign_ups()
    {
        string call = await CallAsync(threshold: 2);
        (await PledgeAsync(call, _members[1])).Ok();
        Assert.Equal("on", (await PledgeAsync(call, _members[2])).Ok().Body.GetProperty("status").GetString());
        await _server.AdvanceAsync(TimeSpan.FromDays(1));
        Assert.Equal("on", (await _api.GetAsync($"/calls/{call}")).Ok().Body.GetProperty("status").GetString());

        string open = await CallAsync(threshold: null);
        var signedUp = (await PledgeAsync(open, _members[3])).Ok().Body;
        Assert.Equal("open", signedUp.GetProperty("status").GetString());
        Assert.Equal(1, signedUp.GetProperty("pledges").GetInt32());
    }

    [Fact]
    public async Task A_decision_becomes_a_call_to_action_in_one_step()
    {
        string motion = await _api.PutMotionAsync(_council, _members[0], new { kind = "decision", title = "Strike on Monday", text = "All shifts stop at 8." });
        object Request() => new { place = "The mill gate", startsAt = Now.AddDays(5), threshold = 3, deadline = Now.AddDays(4) };
        Assert.Equal("not-decided", (await _api.PostAsync($"/motions/{motion}/call", Request(), _members[0])).Code);

        await _server.StateAsync(motion, "voting");
        foreach (var member in _members.Take(4))
        {
            (await _api.CastAsync(motion, member, new { choice = "yes" })).Ok();
        }
        await _server.AdvanceAsync(TimeSpan.FromDays(1));
        await _server.StateAsync(motion, "in-force");

        string call = (await _api.PostAsync($"/motions/{motion}/call", Request(), _members[1])).Ok().Id;
        var view = (await _api.GetAsync($"/calls/{call}")).Ok().Body;
        Assert.Equal("Strike on Monday", view.GetProperty("post").GetProperty("title").GetString());
        Assert.Equal("All shifts stop at 8.", view.GetProperty("post").GetProperty("text").GetString());
        Assert.Equal("gathering", view.GetProperty("status").GetString());
        Assert.Equal("not-a-member", (await _api.PostAsync($"/motions/{motion}/call", Request(), _outsider)).Code);

        // The same step from the motion's page: the form's times are UTC.
        using var visitor = await new Visitor(_server.Client.BaseAddress!).SignInAsync(_members[2]);
        var posted = await visitor.PostAsync($"/motions/{motion}", $"/motions/{motion}?handler=Call", new()
        {
            ["place"] = "The bus depot", ["startsAt"] = Now.AddDays(6).UtcDateTime.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture),
            ["endsAt"] = Now.AddDays(6).AddHours(8).UtcDateTime.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture),
            ["threshold"] = "", ["deadline"] = "",
        });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        string fromPage = posted.Headers.Location!.OriginalString.Split('/')[^1];
        var made = (await _api.GetAsync($"/calls/{fromPage}")).Ok().Body;
        Assert.Equal(("The bus depot", "open"), (made.GetProperty("place").GetString(), made.GetProperty("status").GetString()));
        Assert.Equal(Now.AddDays(6).AddHours(8).UtcDateTime, made.GetProperty("endsAt").GetDateTimeOffset().UtcDateTime, TimeSpan.FromMinutes(1));
        Assert.Equal(JsonValueKind.Null, view.GetProperty("endsAt").ValueKind);
    }

    [Fact]
    public async Task A_call_goes_into_peoples_calendars_at_its_time_and_place()
    {
        string call = await CallAsync(endsAt: Now.AddDays(3).AddHours(6));
        using var response = await _server.Client.GetAsync($"/calls/{call}.ics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType!.MediaType);

        var calendar = Ical.Net.Calendar.Load(await response.Content.ReadAsStringAsync())!;
        var e = Assert.Single(calendar.Events);
        Assert.Equal("Strike at the mill", e.Summary);
        Assert.Equal("The mill gate, Saadi Street", e.Location);
        Assert.Equal(Now.AddDays(3).UtcDateTime, e.Start!.AsUtc, TimeSpan.FromSeconds(1));
        Assert.Equal(Now.AddDays(3).AddHours(6).UtcDateTime, e.End!.AsUtc, TimeSpan.FromSeconds(1));
        Assert.Contains("Ends", await _server.Client.GetStringAsync($"/posts/{call}"), StringComparison.Ordinal);
        Assert.EndsWith($"/posts/{call}", e.Url!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.GetAsync($"/calls/{Guid.NewGuid()}.ics")).StatusCode);
    }

    [Fact]
    public async Task Refusals_store_nothing()
    {
        string call = await CallAsync();
        (await PledgeAsync(call, _members[1])).Ok();
        long pledges, entries, texts;
        using (var c = _server.Database.OpenConnection())
        {
            (pledges, entries, texts) = (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pledges"), await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM log"),
                await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM texts"));
        }

        Assert.Equal("already-pledged", (await PledgeAsync(call, _members[1])).Code);
        Assert.Equal("no-pledge", (await _api.SendAsync(HttpMethod.Delete, $"/calls/{call}/pledge", null, _members[2])).Code);
        Assert.Equal("not-a-member", (await PledgeAsync(call, _outsider)).Code);
        Assert.Equal("not-found", (await PledgeAsync(Guid.NewGuid().ToString(), _members[1])).Code);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PledgeAsync(call, null!)).Status);
        object Call(object? startsAt, int? threshold, object? deadline, string place = "Here", object? endsAt = null) =>
            new { title = "Go", text = "Now.", place, startsAt, threshold, deadline, endsAt };
        foreach (var (body, field) in new (object, string)[]
        {
            (Call(Now.AddDays(-1), null, null), "startsAt"),
            (Call(Now.AddDays(2), 5, null), "deadline"),
            (Call(Now.AddDays(2), null, Now.AddDays(1)), "threshold"),
            (Call(Now.AddDays(2), 0, Now.AddDays(1)), "threshold"),
            (Call(Now.AddDays(2), 5, Now.AddDays(3)), "deadline"),
            (Call(Now.AddDays(2), null, null, place: ""), "place"),
            (Call(Now.AddDays(2), null, null, endsAt: Now.AddDays(2)), "endsAt"),
            (Call(Now.AddDays(2), null, null, endsAt: Now.AddDays(1)), "endsAt"),
            (Call(Now.AddDays(2), null, null, endsAt: Now.AddDays(2 + 367)), "endsAt"),
        })
        {
            var refused = await _api.PostAsync($"/councils/{_council}/calls", body, _members[0]);
            Assert.Equal(("invalid-field", field), (refused.Code, refused.Body.GetProperty("field").GetString()));
        }
        Assert.Equal("not-a-member", (await _api.PostAsync($"/councils/{_council}/calls", Call(Now.AddDays(2), null, null), _outsider)).Code);

        using (var c = _server.Database.OpenConnection())
        {
            Assert.Equal(pledges, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pledges"));
            Assert.Equal(entries, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM log"));
            Assert.Equal(texts, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM texts"));
        }
    }
}

public class CallsOnSqlite() : CallsTests(Engines.Sqlite);

public class CallsOnPostgres() : CallsTests(Engines.PostgresOrSqlite);
