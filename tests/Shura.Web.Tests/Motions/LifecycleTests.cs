using System.Net;
using System.Text.Json;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Motions;

/// <summary>The motion lifecycle through the API, with a fake clock moving deadlines; once per engine.</summary>
public abstract class LifecycleTests(string engine) : IAsyncLifetime
{
    private TestServer _server = null!;
    private Api _api = null!;
    private Person _leyla = null!, _babak = null!, _chen = null!;
    private string _council = "";

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(engine, fakeClock: true);
        _api = _server.Api();
        _leyla = await _api.RegisterAsync("Leyla");
        _babak = await _api.RegisterAsync("Babak");
        _chen = await _api.RegisterAsync("Chen");
        var settings = new { supportThreshold = 2, deliberationPeriod = "P1D", votingPeriod = "P2D", secretBallots = false };
        _council = await _api.CreateCouncilAsync(_leyla, settings);
        await _api.JoinAsync(_council, _babak, _chen);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Moves the fake clock on and waits until the deadline service has moved the motion to <paramref name="state"/>.</summary>
    private async Task PassAsync(TimeSpan time, string motion, string state)
    {
        await _server.AdvanceAsync(time);
        await _server.StateAsync(motion, state);
    }

    [Fact]
    public async Task A_draft_is_proposed_supported_deliberated_amended_and_voted()
    {
        string motion = (await _api.PostAsync($"/councils/{_council}/motions",
            new { kind = "decision", title = "Open a second shop", text = "On Ferdowsi Street.", draft = true }, _leyla)).Ok().Id;
        Assert.Equal("draft", await _api.StateAsync(motion));

        Assert.Equal("not-proposer", (await _api.PostAsync($"/motions/{motion}/propose", null, _babak)).Code);
        Assert.Equal("proposed", (await _api.PostAsync($"/motions/{motion}/propose", null, _leyla)).Ok().Body.GetProperty("state").GetString());
        Assert.Equal("already-supported", (await _api.PostAsync($"/motions/{motion}/support", null, _leyla)).Code);
        Assert.Equal("deliberation", (await _api.PostAsync($"/motions/{motion}/support", null, _babak)).Ok().Body.GetProperty("state").GetString());

        int amendment = (await _api.PostAsync($"/motions/{motion}/amendments", new { text = "On Saadi Street." }, _chen)).Ok().Body.GetProperty("number").GetInt32();
        Assert.Equal("not-proposer", (await _api.PostAsync($"/motions/{motion}/amendments/{amendment}/adopt", null, _chen)).Code);
        (await _api.PostAsync($"/motions/{motion}/amendments/{amendment}/adopt", null, _leyla)).Ok();
        Assert.Equal("On Saadi Street.", (await _api.MotionAsync(motion)).GetProperty("text").GetString());

        await PassAsync(TimeSpan.FromDays(1), motion, "voting");
        (await _api.CastAsync(motion, _chen, new { choice = "yes" })).Ok();
        await PassAsync(TimeSpan.FromDays(2), motion, "in-force");
    }

    [Fact]
    public async Task Settings_change_only_by_a_motion_that_passes()
    {
        var patch = await _api.SendAsync(HttpMethod.Patch, $"/councils/{_council}", new { settings = new { secretBallots = true, quorum = "1/3" } }, _babak);
        Assert.Equal(HttpStatusCode.Accepted, patch.Status);
        string motion = patch.Body.GetProperty("motion").GetString()!;
        var council = (await _api.GetAsync($"/councils/{_council}")).Ok().Body;
        Assert.False(council.GetProperty("settings").GetProperty("secretBallots").GetBoolean()); // nothing changed yet

        (await _api.PostAsync($"/motions/{motion}/support", null, _chen)).Ok();
        await PassAsync(TimeSpan.FromDays(1), motion, "voting");
        foreach (var member in new[] { _leyla, _babak })
        {
            (await _api.CastAsync(motion, member, new { choice = "yes" })).Ok();
        }
        await PassAsync(TimeSpan.FromDays(2), motion, "in-force");

        var settings = (await _api.GetAsync($"/councils/{_council}")).Ok().Body.GetProperty("settings");
        Assert.True(settings.GetProperty("secretBallots").GetBoolean());
        Assert.Equal("1/3", settings.GetProperty("quorum").GetString());
    }

    [Fact]
    public async Task A_repeal_lifts_a_decision_in_force()
    {
        var quick = new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H" };
        string council = await _api.CreateCouncilAsync(_leyla, quick);
        string decision = await _api.PutMotionAsync(council, _leyla, new { kind = "decision", title = "No work on Fridays", text = "" });
        (await _api.CastAsync(decision, _leyla, new { choice = "yes" })).Ok();
        await PassAsync(TimeSpan.FromHours(1), decision, "in-force");

        string repeal = await _api.PutMotionAsync(council, _leyla, new { kind = "repeal", title = "Work on Fridays again", text = "", repeals = decision });
        (await _api.CastAsync(repeal, _leyla, new { choice = "yes" })).Ok();
        await PassAsync(TimeSpan.FromHours(1), repeal, "in-force");

        Assert.Equal("repealed", await _api.StateAsync(decision));
    }

    [Fact]
    public async Task An_applicant_is_admitted_by_a_motion_of_the_members()
    {
        string council = await _api.CreateCouncilAsync(_leyla, new { joinPolicy = "admission", supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H" });
        var dara = await _api.RegisterAsync("Dara");

        var application = await _api.PostAsync($"/councils/{council}/members", null, dara);
        Assert.Equal(HttpStatusCode.Accepted, application.Status);
        string motion = application.Body.GetProperty("motion").GetString()!;
        Assert.Equal("already-applied", (await _api.PostAsync($"/councils/{council}/members", null, dara)).Code);
        Assert.Equal("proposed", await _api.StateAsync(motion));

        (await _api.PostAsync($"/motions/{motion}/support", null, _leyla)).Ok();
        Assert.Equal("not-a-member", (await _api.CastAsync(motion, dara, new { choice = "yes" })).Code);
        (await _api.CastAsync(motion, _leyla, new { choice = "yes" })).Ok();
        await PassAsync(TimeSpan.FromHours(1), motion, "in-force");

        Assert.True((await _api.GetAsync($"/councils/{council}", dara)).Ok().Body.GetProperty("member").GetBoolean());
    }

    [Fact]
    public async Task An_invitation_admits_one_person_once()
    {
        string council = await _api.CreateCouncilAsync(_leyla, new { joinPolicy = "invitation" });
        var dara = await _api.RegisterAsync("Dara");
        var elham = await _api.RegisterAsync("Elham");
        Assert.Equal("invitation-required", (await _api.PostAsync($"/councils/{council}/members", null, dara)).Code);
        Assert.Equal("not-a-member", (await _api.PostAsync($"/councils/{council}/invitations", null, dara)).Code);

        var invitation = (await _api.PostAsync($"/councils/{council}/invitations", null, _leyla)).Ok().Body;
        string secret = invitation.GetProperty("invitation").GetString()!;
        Assert.Contains(secret, invitation.GetProperty("url").GetString()!, StringComparison.Ordinal);

        (await _api.PostAsync($"/councils/{council}/members", new { invitation = secret }, dara)).Ok();
        Assert.Equal("invitation-required", (await _api.PostAsync($"/councils/{council}/members", new { invitation = secret }, elham)).Code);
    }

    [Fact]
    public async Task Leaving_withdraws_the_leavers_open_ballots()
    {
        string council = await _api.CreateCouncilAsync(_leyla, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H" });
        await _api.JoinAsync(council, _babak);
        string motion = await _api.PutMotionAsync(council, _leyla, new { kind = "decision", title = "Paint the shop", text = "" });
        (await _api.CastAsync(motion, _babak, new { choice = "no" })).Ok();
        Assert.Equal(1, (await _api.MotionAsync(motion)).GetProperty("ballots").GetInt64());

        Assert.Equal(HttpStatusCode.NoContent, (await _api.SendAsync(HttpMethod.Delete, $"/councils/{council}/members/me", null, _babak)).Status);

        Assert.Equal(0, (await _api.MotionAsync(motion)).GetProperty("ballots").GetInt64());
        Assert.Equal("not-a-member", (await _api.SendAsync(HttpMethod.Delete, $"/councils/{council}/members/me", null, _babak)).Code);
    }

    [Fact]
    public async Task Results_are_hidden_until_the_close_when_the_council_says_so()
    {
        string council = await _api.CreateCouncilAsync(_leyla, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H", liveResults = false });
        string motion = await _api.PutMotionAsync(council, _leyla, new { kind = "decision", title = "Raise wages", text = "" });
        (await _api.CastAsync(motion, _leyla, new { choice = "yes" })).Ok();

        Assert.Equal(JsonValueKind.Null, (await _api.MotionAsync(motion)).GetProperty("result").ValueKind);
        await PassAsync(TimeSpan.FromHours(1), motion, "in-force");
        Assert.True((await _api.MotionAsync(motion)).GetProperty("result").GetProperty("final").GetBoolean());
    }

    [Fact]
    public async Task A_voter_sees_their_own_ballot_and_finds_its_receipt_in_the_log()
    {
        string council = await _api.CreateCouncilAsync(_leyla, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H", secretBallots = true });
        string motion = await _api.PutMotionAsync(council, _leyla, new { kind = "choice", title = "Logo colour", text = "", options = new[] { "Red", "Green" }, method = "plurality" });

        string receipt = (await _api.CastAsync(motion, _leyla, new { choice = "Green" })).Ok().Body.GetProperty("receipt").GetString()!;

        var mine = (await _api.MotionAsync(motion, _leyla)).GetProperty("myBallot");
        Assert.Equal(receipt, mine.GetProperty("receipt").GetString());
        var entry = (await _api.LogAsync(council)).Single(e => e.GetProperty("hash").GetString() == receipt);
        Assert.StartsWith("p:", entry.GetProperty("actor").GetString(), StringComparison.Ordinal); // a pseudonym, not the account
        Assert.DoesNotContain(_leyla.Id, entry.GetProperty("payload").GetString()!, StringComparison.Ordinal);
    }
}

public class LifecycleOnSqlite() : LifecycleTests(Engines.Sqlite);

public class LifecycleOnPostgres() : LifecycleTests(Engines.PostgresOrSqlite);
