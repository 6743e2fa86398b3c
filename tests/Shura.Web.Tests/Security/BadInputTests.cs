using System.Net;
using System.Text;
using CsCheck;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Security;

public abstract class BadInputFixture(string engine) : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;
    public Api Api { get; private set; } = null!;
    public Person Member { get; private set; } = null!;
    public string Council { get; private set; } = "";
    public string Choice { get; private set; } = "";
    public string Decision { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(engine);
        Api = Server.Api();
        Member = await Api.RegisterAsync("Leyla");
        Council = await Api.CreateCouncilAsync(Member, Api.QuickSettings(voting: "P1D"));
        Choice = await Api.PutMotionAsync(Council, Member, new { kind = "choice", title = "Logo", text = "", options = new[] { "Red", "Green", "Blue" }, method = "irv" });
        Decision = await Api.PutMotionAsync(Council, Member, new { kind = "decision", title = "Buy flour", text = "" });
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// Bad input gets a 4xx problem+json with a specific code, and changes nothing: the log is the
/// same length afterwards. No request, however malformed, produces a 500.
/// </summary>
public abstract class BadInputTests(BadInputFixture f)
{
    public static TheoryData<string, string, string, int, string> Cases => new()
    {
        // route kind, method, body, expected status, expected code
        { "ballot", "PUT", "{\"ranking\": [\"Red\", ", 400, "invalid-json" },
        { "ballot", "PUT", "not json at all", 400, "invalid-json" },
        { "ballot", "PUT", "{\"ranking\": \"Red\"}", 400, "invalid-json" },
        { "ballot", "PUT", "{\"ranking\": [1, 2]}", 400, "invalid-json" },
        { "ballot", "PUT", "{\"ranking\": [\"Red\"], \"weight\": 5}", 400, "invalid-json" },
        { "ballot", "PUT", "{\"ranking\": [\"Purple\"]}", 422, "unknown-option" },
        { "ballot", "PUT", "{\"ranking\": [\"Red\", \"Red\"]}", 422, "duplicate-ranking" },
        { "ballot", "PUT", "{\"choice\": \"yes\"}", 400, "wrong-ballot-kind" },
        { "ballot", "PUT", "{}", 400, "invalid-ballot" },
        { "ballot", "PUT", "null", 400, "invalid-json" },
        { "decision", "PUT", "{\"choice\": \"perhaps\"}", 400, "wrong-ballot-kind" },
        { "decision", "PUT", "{\"choice\": true}", 400, "invalid-json" },
        { "motion", "POST", "{\"kind\": \"referendum\", \"title\": \"x\", \"text\": \"\"}", 400, "invalid-field" },
        { "motion", "POST", "{\"kind\": \"choice\", \"title\": \"x\", \"text\": \"\", \"options\": [\"A\", \"A\"], \"method\": \"irv\"}", 400, "invalid-field" },
        { "motion", "POST", "{\"kind\": \"choice\", \"title\": \"x\", \"text\": \"\", \"options\": [\"A\", \"B\"], \"method\": \"borda\"}", 400, "invalid-field" },
        { "motion", "POST", "{\"kind\": \"election\", \"title\": \"x\", \"text\": \"\", \"options\": [\"A\", \"B\"], \"seats\": 3}", 400, "invalid-field" },
        { "motion", "POST", "{\"kind\": \"decision\", \"title\": \"\", \"text\": \"\"}", 400, "invalid-field" },
        { "motion", "POST", "{\"kind\": \"decision\", \"title\": \"x\", \"text\": \"\", \"seats\": \"two\"}", 400, "invalid-json" },
        { "council", "POST", "{\"name\": \"x\", \"settings\": {\"votingPeriod\": \"PT0S\"}}", 400, "invalid-field" },
        { "council", "POST", "{\"name\": \"x\", \"settings\": {\"deliberationPeriod\": \"two days\"}}", 400, "invalid-field" },
        { "council", "POST", "{\"name\": \"x\", \"settings\": {\"quorum\": \"2/1\"}}", 400, "invalid-field" },
        { "council", "POST", "{\"name\": \"x\", \"settings\": {\"joinPolicy\": \"everyone\"}}", 400, "invalid-field" },
        { "council", "POST", "{\"name\": \"x\", \"settings\": {\"supportThreshold\": 0}}", 400, "invalid-field" },
        { "account", "POST", "{\"name\": \"x\", \"email\": \"not-an-address\", \"password\": \"long enough\"}", 400, "invalid-field" },
        { "account", "POST", "{\"name\": \"x\", \"email\": \"a@b.org\", \"password\": \"short\"}", 400, "invalid-field" },
        { "token", "POST", "{\"email\": \"nobody@example.org\", \"password\": \"whatever1\"}", 401, "invalid-credentials" },
    };

    private string Path(string kind) => kind switch
    {
        "ballot" => $"/motions/{f.Choice}/ballot",
        "decision" => $"/motions/{f.Decision}/ballot",
        "motion" => $"/councils/{f.Council}/motions",
        "council" => "/councils",
        "account" => "/accounts",
        _ => "/tokens",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_is_refused_with_a_specific_code_and_changes_nothing(string kind, string method, string body, int status, string code)
    {
        int before = (await f.Api.LogAsync(f.Council)).Length;

        var reply = await f.Api.SendAsync(new HttpMethod(method), Path(kind), rawBody: body, who: f.Member);

        Assert.Equal((status, code), ((int)reply.Status, reply.Code));
        Assert.Equal("application/problem+json", reply.ContentType);
        Assert.Equal(before, (await f.Api.LogAsync(f.Council)).Length);
    }

    [Fact]
    public async Task An_oversize_body_is_refused_with_413()
    {
        string huge = "{\"ranking\": [\"" + new string('R', 300_000) + "\"]}";

        var reply = await f.Api.SendAsync(HttpMethod.Put, $"/motions/{f.Choice}/ballot", rawBody: huge, who: f.Member);

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "body-too-large"), (reply.Status, reply.Code));
    }

    [Fact]
    public async Task An_unknown_route_or_method_is_a_problem_too()
    {
        Assert.Equal("not-found", (await f.Api.GetAsync("/nowhere")).Code);
        Assert.Equal("not-found", (await f.Api.GetAsync("/motions/not-a-guid")).Code);
        Assert.Equal("method-not-allowed", (await f.Api.SendAsync(HttpMethod.Put, "/councils")).Code);
    }

    private static readonly string[] Routes =
    [
        "POST /accounts", "POST /tokens", "DELETE /tokens/{guid}", "POST /councils", "PATCH /councils/{council}",
        "POST /councils/{council}/members", "DELETE /councils/{council}/members/me", "POST /councils/{council}/invitations",
        "POST /councils/{council}/motions", "POST /motions/{choice}/propose", "POST /motions/{choice}/support",
        "POST /motions/{choice}/amendments", "POST /motions/{choice}/amendments/1/adopt", "PUT /motions/{choice}/ballot",
        "PUT /motions/{decision}/ballot", "DELETE /motions/{choice}/ballot", "GET /councils/{council}/log?after=-1",
    ];

    /// <summary>Random bodies — JSON of random shapes, truncated JSON, random bytes — on every route never give a 500.</summary>
    [Fact]
    public async Task Random_bodies_on_every_route_never_produce_a_server_error()
    {
        var json = Gen.Recursive<string>((depth, self) => depth >= 3
            ? Gen.OneOf(Gen.Const("null"), Gen.Const("true"), Gen.Int.Select(i => i.ToString()), Gen.String.Select(s => System.Text.Json.JsonSerializer.Serialize(s)))
            : Gen.OneOf(
                Gen.Int.Select(i => i.ToString()),
                Gen.String.Select(s => System.Text.Json.JsonSerializer.Serialize(s)),
                self.Array[0, 4].Select(items => "[" + string.Join(",", items) + "]"),
                Gen.Select(Gen.OneOf(Gen.Const("ranking"), Gen.Const("choice"), Gen.Const("kind"), Gen.Const("settings"), Gen.Const("name"), Gen.String), self)
                    .Array[0, 4].Select(fields => "{" + string.Join(",", fields.Select(p => System.Text.Json.JsonSerializer.Serialize(p.Item1) + ":" + p.Item2)) + "}")));
        var body = Gen.Frequency(
            (6, json),
            (2, json.Select(Gen.Int[0, 20], (s, cut) => s[..Math.Min(s.Length, cut)])),
            (1, Gen.Byte.Array[0, 200].Select(bytes => Encoding.Latin1.GetString(bytes))));
        var request = Gen.Select(Gen.Int[0, Routes.Length - 1], body, Gen.Bool);

        int before = (await f.Api.LogAsync(f.Council)).Length;
        var failures = new List<string>();
        await request.SampleAsync(async sample =>
        {
            var (route, content, signedIn) = sample;
            string[] parts = Routes[route].Split(' ');
            string path = parts[1].Replace("{council}", f.Council).Replace("{choice}", f.Choice).Replace("{decision}", f.Decision)
                .Replace("{guid}", Guid.NewGuid().ToString());
            var reply = await f.Api.SendAsync(new HttpMethod(parts[0]), path, rawBody: content, who: signedIn ? f.Member : null);
            if ((int)reply.Status >= 500 || ((int)reply.Status >= 400 && reply.Code is null))
            {
                lock (failures)
                {
                    failures.Add($"{Routes[route]} with {content}: {(int)reply.Status} {reply.Body}");
                }
            }
        }, iter: 400, threads: 4);

        Assert.Empty(failures);
        // Random bodies may by chance form a valid ballot or motion; whatever they did, the chain still holds.
        Assert.True((await f.Api.LogAsync(f.Council)).Length >= before);
    }
}

public sealed class BadInputFixtureOnSqlite() : BadInputFixture(Engines.Sqlite);

public sealed class BadInputFixtureOnPostgres() : BadInputFixture(Engines.PostgresOrSqlite);

public class BadInputOnSqlite(BadInputFixtureOnSqlite f) : BadInputTests(f), IClassFixture<BadInputFixtureOnSqlite>;

public class BadInputOnPostgres(BadInputFixtureOnPostgres f) : BadInputTests(f), IClassFixture<BadInputFixtureOnPostgres>;
