using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Security;

/// <summary>
/// The class of findings 7 and 8: typed and random bodies, query strings and form posts to every
/// route of the OpenAPI document and every page handler (the passkey routes among them), as an
/// anonymous visitor, a member and an outsider. Every answer is 2xx, 3xx or 4xx — never a 500 —
/// and after every refused request the store's tables are byte for byte what they were before.
/// The cases are drawn from a seed, printed on failure, so any one can be run again.
/// </summary>
public partial class NoServerErrorsTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    /// <summary>Cases per engine in CI (SHURA_FUZZ_CASES sets another number, for a longer search).</summary>
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("SHURA_FUZZ_CASES"), out int cases) ? cases : 2000;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task No_request_gets_a_500_and_no_refused_request_writes_anything(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true,
            // Past the rate limits (tested on their own), so that the cases reach what lies behind them.
            limits: new Shura.Web.Site.Limits { Creations = (100_000, 100_000), Accounts = (100_000, 100_000), SignIn = (100_000, 100_000) });
        var world = await WorldAsync(server);
        var api = (await Routes.ApiAsync(server)).Where(r => !r.Template.StartsWith("/openapi", StringComparison.Ordinal)).ToList();
        api.AddRange([(HttpMethod.Post, "/passkeys/creation-options"), (HttpMethod.Post, "/passkeys/attestation"),
            (HttpMethod.Post, "/passkeys/request-options"), (HttpMethod.Post, "/passkeys/assertion"), (HttpMethod.Post, "/language")]);
        var pages = Routes.Pages(server);
        int seed = Environment.GetEnvironmentVariable("SHURA_FUZZ_SEED") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 20261201;
        var random = new Random(seed);
        string before = Store.Snapshot(server.Database);
        var counted = new Dictionary<int, int>();

        for (int i = 0; i < Cases; i++)
        {
            string described;
            HttpStatusCode status;
            if (random.Next(3) > 0)
            {
                var (method, template) = api[random.Next(api.Count)];
                (described, status) = await ApiCaseAsync(server, world, random, method, template);
            }
            else
            {
                var (template, handlers) = pages[random.Next(pages.Count)];
                (described, status) = await PageCaseAsync(world, random, template, handlers);
            }
            counted[(int)status / 100] = counted.GetValueOrDefault((int)status / 100) + 1;
            Assert.True((int)status < 500, $"case {i} (seed {seed}): {described} → {(int)status}\n{string.Join("\n", server.Errors)}");
            string after = Store.Snapshot(server.Database);
            if ((int)status >= 400)
            {
                Assert.True(before == after, $"case {i} (seed {seed}): {described} was refused with {(int)status} and still changed the store");
            }
            before = after;
        }

        // The cases reached past the door: many were refused, and many went through.
        Assert.True(counted.GetValueOrDefault(2) > Cases / 20 && counted.GetValueOrDefault(4) > Cases / 4,
            string.Join(", ", counted.Select(c => $"{c.Key}xx: {c.Value}")));
    }

    private sealed record World(Person Member, Person Outsider, Visitor MemberPage, Visitor OutsiderPage, Visitor Anonymous,
        string[] Councils, string[] Motions, string[] Mandates, string[] Actions, string[] People)
    {
        /// <summary>Comments on a motion and on a post, standing and taken back.</summary>
        public string[] Comments { get; init; } = [];

        /// <summary>Posts and calls to action, standing and taken back.</summary>
        public string[] Posts { get; init; } = [];

        public string[] Images { get; init; } = [];
    }

    private static async Task<World> WorldAsync(TestServer server)
    {
        var api = server.Api();
        var (member, fellow, outsider) = (await api.RegisterAsync("Leyla"), await api.RegisterAsync("Farid"), await api.RegisterAsync("Nasrin"));
        string open = await api.CreateCouncilAsync(member, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H", delegation = true });
        await api.JoinAsync(open, fellow);
        string hidden = await api.CreateCouncilAsync(member, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H", visibility = "members", joinPolicy = "invitation" });
        string decision = await api.PutMotionAsync(open, member, new { kind = "decision", title = "Buy flour", text = "" });
        string choice = await api.PutMotionAsync(open, member, new { kind = "choice", title = "Logo", text = "", options = new[] { "Red", "Green", "Blue" }, method = "schulze" });
        string secret = await api.PutMotionAsync(hidden, member, new { kind = "decision", title = "Strike", text = "" });
        string draft = await api.PutMotionAsync(open, member, new { kind = "decision", title = "Later", text = "", draft = true });
        string mandate = (await api.PostAsync($"/councils/{open}/mandates", new { name = "Convener", kind = "convener", powers = new[] { "schedule-motions" } }, member)).Ok().Id;
        string continuous = (await api.PostAsync($"/councils/{open}/mandates", new { name = "Treasurer", kind = "role", continuous = true }, member)).Ok().Id;
        string election = await api.PutMotionAsync(open, member, new { kind = "election", title = "Convener", text = "", mandate, candidates = new[] { member.Id, fellow.Id } });
        (await api.CastAsync(decision, member, new { choice = "yes" })).Ok();
        string post = (await api.PostAsync($"/councils/{open}/posts", new { kind = "news", title = "Flour", text = "It came." }, member)).Ok().Id;
        string call = (await api.PostAsync($"/councils/{open}/calls", new { title = "March", text = "Come.", place = "The square", startsAt = "2030-01-01T10:00:00Z", threshold = 2, deadline = "2029-12-31T10:00:00Z" }, member)).Ok().Id;
        string gone = (await api.PostAsync($"/councils/{open}/posts", new { kind = "report", title = "Old", text = "Taken back." }, member)).Ok().Id;
        string onMotion = (await api.PostAsync($"/motions/{decision}/comments", new { text = "Why now?" }, fellow)).Ok().Id;
        string onPost = (await api.PostAsync($"/posts/{post}/comments", new { text = "Good." }, fellow)).Ok().Id;
        string takenBack = (await api.PostAsync($"/posts/{post}/comments", new { text = "Oops." }, member)).Ok().Id;
        (await api.SendAsync(HttpMethod.Delete, $"/comments/{takenBack}", null, member)).Ok();
        // An image, so that its routes meet a real one.
        string image = (await api.UploadImageAsync(post, member, Api.TinyPng(), "image/png")).Ok().Id;
        (await api.SendAsync(HttpMethod.Delete, $"/posts/{gone}", null, member)).Ok();
        var pages = new List<Visitor>();
        foreach (var person in new[] { member, outsider })
        {
            var visitor = new Visitor(server.Client.BaseAddress!);
            await visitor.SignInAsync(person);
            pages.Add(visitor);
        }
        return new World(member, outsider, pages[0], pages[1], new Visitor(server.Client.BaseAddress!),
            [open, hidden], [decision, choice, secret, draft, election], [mandate, continuous], [], [member.Id, fellow.Id, outsider.Id])
        {
            Comments = [onMotion, onPost, takenBack], Posts = [post, call, gone], Images = [image],
        };
    }

    private static async Task<(string, HttpStatusCode)> ApiCaseAsync(TestServer server, World world, Random random, HttpMethod method, string template)
    {
        string path = Fill(template, world, random) + Query(random);
        var caller = random.Next(3) switch { 0 => null, 1 => world.Member, _ => world.Outsider };
        using var request = new HttpRequestMessage(method, path);
        if (caller is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", caller.Token);
        }
        if (path.StartsWith("/passkeys", StringComparison.Ordinal) && random.Next(4) > 0)
        {
            request.Headers.Add(Shura.Web.Accounts.PasskeyEndpoints.Header, "1");
        }
        string body = "";
        if (method != HttpMethod.Get && random.Next(8) > 0)
        {
            // A lone surrogate cannot be written by a JSON writer (it becomes U+FFFD): it is put in as an escape.
            body = Body(random, template, world).Replace("~lone~", "\\ud800", StringComparison.Ordinal);
            var content = new ByteArrayContent(random.Next(30) == 0 ? [0xff, 0xfe, 0x00, (byte)'{'] : Encoding.UTF8.GetBytes(body));
            content.Headers.ContentType = random.Next(12) switch
            {
                0 => new MediaTypeHeaderValue("text/plain"),
                1 => new MediaTypeHeaderValue("application/x-www-form-urlencoded"),
                _ => new MediaTypeHeaderValue("application/json"),
            };
            request.Content = content;
        }
        using var response = await server.Client.SendAsync(request);
        return ($"{method} {path} as {caller?.Name ?? "anonymous"} with {Clip(body)}", response.StatusCode);
    }

    private static async Task<(string, HttpStatusCode)> PageCaseAsync(World world, Random random, string template, IReadOnlyList<string> handlers)
    {
        string path = Fill(template, world, random);
        var visitor = random.Next(3) switch { 0 => world.Anonymous, 1 => world.MemberPage, _ => world.OutsiderPage };
        string who = visitor == world.Anonymous ? "anonymous" : visitor == world.MemberPage ? "a member" : "an outsider";
        if (handlers.Count == 0 || random.Next(3) == 0)
        {
            string query = Query(random);
            using var get = await visitor.GetAsync(path + query);
            return ($"GET {path}{query} as {who}", get.StatusCode);
        }
        string handler = handlers[random.Next(handlers.Count)];
        var fields = new Dictionary<string, string>();
        foreach (string name in FieldsOf(template, handler).Concat(["back", "text", "title"]))
        {
            if (random.Next(4) > 0)
            {
                fields[name] = FormValue(random, world);
            }
        }
        string action = handler.Length == 0 ? path : $"{path}?handler={handler}";
        using var post = await visitor.PostAsync("/", action, fields, withToken: random.Next(10) > 0);
        return ($"POST {action} as {who} with {string.Join("&", fields.Select(f => $"{f.Key}={Clip(f.Value)}"))}", post.StatusCode);
    }

    /// <summary>The form fields a page handler reads: the parameters of its On{Post}{Handler} method.</summary>
    private static IEnumerable<string> FieldsOf(string template, string handler)
    {
        var models = typeof(ShuraServer).Assembly.GetTypes().Where(t => typeof(PageModel).IsAssignableFrom(t));
        return models.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.Name == $"OnPost{handler}Async" || m.Name == $"OnPost{handler}")
            .SelectMany(m => m.GetParameters())
            .Where(p => p.ParameterType != typeof(CancellationToken) && p.Name != "id")
            .Select(p => p.Name!).Distinct();
    }

    private static string Fill(string template, World world, Random random)
    {
        string Pick(string[] ids) => random.Next(6) switch
        {
            0 => Guid.NewGuid().ToString(),
            1 when random.Next(4) == 0 => "not-an-id",
            _ => ids.Length == 0 ? Guid.NewGuid().ToString() : ids[random.Next(ids.Length)],
        };
        string id = Routes.Subject(template) switch
        {
            "councils" => Pick(world.Councils),
            "motions" => Pick(world.Motions),
            "mandates" => Pick(world.Mandates),
            "actions" => Pick(world.Actions),
            "comments" => Pick(world.Comments),
            "posts" or "calls" => Pick(world.Posts),
            "images" => Pick(world.Images),
            _ => Guid.NewGuid().ToString(),
        };
        return Routes.Fill(template, id, () => Pick(world.People), () => random.Next(4) switch { 0 => "0", 1 => "-1", 2 => "99999999999", _ => "1" });
    }

    private static string Query(Random random)
    {
        if (random.Next(3) > 0)
        {
            return "";
        }
        string[] names = ["after", "limit", "motion", "overdue", "language", "back", "invitation", "kind", "before", "handler"];
        var parts = Enumerable.Range(0, random.Next(1, 4)).Select(_ => $"{names[random.Next(names.Length)]}={Uri.EscapeDataString(Scalar(random))}");
        return "?" + string.Join("&", parts) + (random.Next(10) == 0 ? "&x=%00" : "");
    }

    private static readonly string[] Strings =
    [
        "", " ", "yes", "no", "abstain", "Red", "open", "members", "public", "decision", "choice", "election", "schulze", "irv", "stv", "plurality",
        "approval", "score", "ranked-pairs", "meek", "P1D", "PT0S", "P10675200D", "PT-1S", "1/3", "2/1", "0", "-1", "2147483648", "1e400",
        "a\u0000b", "\u202EevilA", "Ley\u200Bla", "\ud800", "🙂", "لیلا", "/\\evil.example", "//evil.example", "/%09/evil", "invite_nothing",
        "done", "blocked", "in-progress", "2030-01-01", "1999-12-31", "not a date", new string('x', 300), "schedule-motions", "delegate",
        "convener", "executor", "role", "settings", "repeal", "recall", "federate", "instruction", "referral", "admission", "null", "true",
    ];

    private static readonly string[] Hostile =
        ["a\u0000b", "x~lone~y", "~lone~", "\u202EevilA", "Ley\u200Bla", "\u0007", new string('x', 100_000), "\uFEFF", "   ", "%00", "\r\n"];

    private static string Scalar(Random random) => random.Next(4) == 0 ? Hostile[random.Next(Hostile.Length)]
        : random.Next(5) == 0 ? Guid.NewGuid().ToString() : Strings[random.Next(Strings.Length)];

    private static string FormValue(Random random, World world) => random.Next(5) switch
    {
        0 => world.People[random.Next(world.People.Length)],
        1 => world.Motions[random.Next(world.Motions.Length)],
        2 => random.Next(-5, 100_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => Scalar(random),
    };

    /// <summary>A body for the route: a typical one, one with a field changed to any JSON value, with a field added or given twice, or any JSON at all, or broken JSON.</summary>
    private static string Body(Random random, string template, World world)
    {
        var typical = Typical(template, world);
        switch (random.Next(9))
        {
            case 0:
                return Value(random, 3)?.ToJsonString() ?? "null";
            case 1:
                string text = typical.ToJsonString();
                return text[..random.Next(text.Length)];
            case 2 when typical.Count > 0:
                string key = typical.Select(p => p.Key).ElementAt(random.Next(typical.Count));
                return "{" + $"\"{key}\":{Value(random, 1)?.ToJsonString() ?? "null"}," + typical.ToJsonString()[1..];
            case 3:
                typical["extra"] = Value(random, 1);
                return typical.ToJsonString();
            case 6 or 7:
                // Every text of a well-formed request hostile at once: where a check is missing, this is where it shows.
                foreach (string name in typical.Where(p => p.Value is JsonValue v && v.TryGetValue<string>(out _)).Select(p => p.Key).ToList())
                {
                    typical[name] = Hostile[random.Next(Hostile.Length)];
                }
                return typical.ToJsonString();
            case 4 or 5 when typical.Count > 0:
                string field = typical.Select(p => p.Key).ElementAt(random.Next(typical.Count));
                typical[field] = Value(random, 2);
                return typical.ToJsonString();
            default:
                return typical.ToJsonString();
        }
    }

    private static JsonNode? Value(Random random, int depth) => random.Next(depth > 0 ? 9 : 6) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(random.Next(4) switch { 0 => -1, 1 => 0, 2 => long.MaxValue, _ => random.Next(1, 300) }),
        3 => JsonValue.Create(1.5),
        4 or 5 => JsonValue.Create(Scalar(random)),
        6 or 7 => new JsonArray([.. Enumerable.Range(0, random.Next(4)).Select(_ => Value(random, depth - 1))]),
        _ => new JsonObject(Enumerable.Range(0, random.Next(3)).Select(i => KeyValuePair.Create(Strings[random.Next(10, 30)] + i, Value(random, depth - 1)))),
    };

    private static JsonObject Typical(string template, World world)
    {
        string person = world.People[0];
        return template switch
        {
            "/api/v1/accounts" => new() { ["name"] = "Somebody", ["email"] = $"{Guid.NewGuid():N}@example.org", ["password"] = "correct horse" },
            "/api/v1/tokens" => new() { ["email"] = world.Member.Email, ["password"] = "correct horse", ["label"] = "fuzz" },
            "/api/v1/councils" => new() { ["name"] = "A council", ["description"] = "", ["settings"] = new JsonObject { ["votingPeriod"] = "PT1H" } },
            "/api/v1/councils/{id}" => new() { ["settings"] = new JsonObject { ["liveResults"] = false }, ["title"] = "Quiet", ["text"] = "" },
            "/api/v1/councils/{id}/members" => new() { ["invitation"] = "invite_nothing" },
            "/api/v1/councils/{id}/motions" => new() { ["kind"] = "decision", ["title"] = "A motion", ["text"] = "" },
            "/api/v1/councils/{id}/mandates" => new() { ["name"] = "Treasurer", ["kind"] = "role", ["seats"] = 1 },
            "/api/v1/councils/{id}/delegation" => new() { ["to"] = person },
            "/api/v1/councils/{id}/delegation/public" => new() { ["public"] = true },
            "/api/v1/motions/{id}/ballot" => new() { ["choice"] = "yes" },
            "/api/v1/motions/{id}/amendments" => new() { ["text"] = "Better words" },
            "/api/v1/motions/{id}/candidates" => new() { ["person"] = person },
            "/api/v1/motions/{id}/actions" => new() { ["description"] = "Do it", ["due"] = "2030-01-01" },
            "/api/v1/actions/{id}/reports" => new() { ["text"] = "Done", ["status"] = "done" },
            "/api/v1/mandates/{id}/holders/{person}/confidence" => new() { ["withdrawn"] = true },
            "/api/v1/mandates/{id}/ranking" => new() { ["ranking"] = new JsonArray(person) },
            _ => [],
        };
    }

    private static string Clip(string text) => text.Length <= 120 ? text : text[..120] + "…";




}
