using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Security;

/// <summary>
/// A members-only council does not exist for those outside it (DESIGN §2): on every route of the
/// OpenAPI document and every page with every handler, an outsider — anonymous, or signed in
/// without being a member — gets exactly what a random id gives: the same status, the same
/// problem code, the same body (ids aside). And none of it writes anything.
/// </summary>
public partial class InvisibleCouncilsTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    /// <summary>Bodies that reach deeper than an empty one, for the routes that take them.</summary>
    private static Dictionary<string, Func<Hidden, object>> TypicalBodies => new(StringComparer.Ordinal)
    {
        ["PUT /api/v1/motions/{id}/ballot"] = _ => new { choice = "yes" },
        ["POST /api/v1/councils/{id}/motions"] = _ => new { kind = "decision", title = "A motion", text = "" },
        ["PATCH /api/v1/councils/{id}"] = _ => new { settings = new { visibility = "public" } },
        ["POST /api/v1/councils/{id}/members"] = _ => new { invitation = "invite_guessed" },
        ["PUT /api/v1/councils/{id}/delegation"] = h => new { to = h.Founder.Id },
        ["PUT /api/v1/councils/{id}/delegation/public"] = _ => new { @public = true },
        ["POST /api/v1/motions/{id}/amendments"] = _ => new { text = "Better words" },
        ["POST /api/v1/motions/{id}/counter-proposals"] = _ => new { text = "Other words" },
        ["POST /api/v1/motions/{id}/candidates"] = h => new { person = h.Founder.Id },
        ["PUT /api/v1/mandates/{id}/holders/{person}/confidence"] = _ => new { withdrawn = true },
        ["PUT /api/v1/mandates/{id}/ranking"] = h => new { ranking = new[] { h.Founder.Id } },
        ["POST /api/v1/motions/{id}/actions"] = _ => new { description = "Do it", due = "2030-01-01" },
        ["POST /api/v1/actions/{id}/reports"] = _ => new { text = "Done", status = "done" },
        ["POST /api/v1/councils/{id}/mandates"] = _ => new { name = "Treasurer", kind = "role" },
    };

    public sealed record Hidden(Person Founder, string Council, string Motion, string Mandate, string Action)
    {
        public string Comment { get; init; } = "";

        public string Post { get; init; } = "";

        public string Image { get; init; } = "";
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_outsider_gets_for_a_members_only_council_exactly_what_a_council_that_does_not_exist_gives(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var (hidden, outsider) = await HiddenCouncilAsync(server);
        var api = server.Api();
        using var visitor = new Visitor(server.Client.BaseAddress!);
        await visitor.SignInAsync(outsider);
        using var anonymousVisitor = new Visitor(server.Client.BaseAddress!);
        var before = Store.Snapshot(server.Database);
        var compared = 0;

        foreach (var (method, template) in await Routes.ApiAsync(server))
        {
            if (Subject(template) is null)
            {
                continue;
            }
            var bodies = new List<object?> { method == HttpMethod.Get || method == HttpMethod.Delete ? null : new { } };
            if (TypicalBodies.TryGetValue($"{method} {template}", out var typical))
            {
                bodies.Add(typical(hidden));
            }
            foreach (var caller in new[] { null, outsider })
            {
                foreach (var body in bodies)
                {
                    var (random, ids) = Fill(template, hidden, randomIds: true);
                    var (real, _) = Fill(template, hidden, randomIds: false);
                    string there = await ApiAnswerAsync(api, method, real, body, caller, hidden, ids);
                    string nowhere = await ApiAnswerAsync(api, method, random, body, caller, hidden, ids);
                    Assert.True(there == nowhere, $"{method} {template} as {caller?.Name ?? "anonymous"} with {JsonSerializer.Serialize(body)}:\n  members-only: {there}\n  random id:    {nowhere}");
                    compared++;
                }
            }
        }

        foreach (var (template, handlers) in Routes.Pages(server))
        {
            if (Subject(template) is null)
            {
                continue;
            }
            foreach (var page in new[] { anonymousVisitor, visitor })
            {
                foreach (string? handler in new string?[] { null }.Concat(handlers))
                {
                    var (random, ids) = Fill(template, hidden, randomIds: true);
                    var (real, _) = Fill(template, hidden, randomIds: false);
                    string there = await PageAnswerAsync(page, real, handler, hidden, ids);
                    string nowhere = await PageAnswerAsync(page, random, handler, hidden, ids);
                    Assert.True(there == nowhere, $"{(handler is null ? "GET" : "POST " + handler)} {template} as {(page == visitor ? outsider.Name : "anonymous")}:\n  members-only: {there}\n  random id:    {nowhere}");
                    compared++;
                }
            }
        }

        Assert.True(compared > 100, $"only {compared} answers compared");
        Assert.Equal(before, Store.Snapshot(server.Database));
    }

    /// <summary>
    /// Review finding 4: the live hub went on telling someone who had left a members-only council
    /// whenever it changed. Both kinds of watching are held to it: "changed" for a council's pages,
    /// and the rendered result pushed to a motion's page.
    /// </summary>
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Someone_who_leaves_a_members_only_council_is_told_nothing_more_of_it(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var world = new World(server);
        var api = world.Api;
        var people = await world.PeopleAsync("Arash", "Bahar", "Cyrus");
        string council = await api.CreateCouncilAsync(people[0], new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H", visibility = "members" });
        await api.JoinByInvitationAsync(council, people[0], people[1], people[2]);
        string motion = await api.PutMotionAsync(council, people[0], new { kind = "decision", title = "Rent strike", text = "" });
        var strangerPerson = await api.RegisterAsync("Stranger");
        Watching[] stays = [await Watching.StartAsync(server, people[1], council), await Watching.MotionAsync(server, people[1], motion)];
        Watching[] leaves = [await Watching.StartAsync(server, people[2], council), await Watching.MotionAsync(server, people[2], motion)];
        Watching[] strangers = [await Watching.StartAsync(server, strangerPerson, council), await Watching.MotionAsync(server, strangerPerson, motion),
            await Watching.StartAsync(server, null, council), await Watching.MotionAsync(server, null, motion)];
        Assert.NotNull(stays[1].First);
        Assert.All(strangers, s => Assert.Null(s.First));

        (await api.CastAsync(motion, people[0], new { choice = "yes" })).Ok();
        foreach (var w in stays.Concat(leaves))
        {
            await w.Next();
        }
        Assert.Contains("1 ballot", leaves[1].Last!.Parts["result"], StringComparison.Ordinal);
        (await api.SendAsync(HttpMethod.Delete, $"/councils/{council}/members/me", null, people[2])).Ok();
        await stays[0].Next();
        (await api.CastAsync(motion, people[1], new { choice = "yes" })).Ok();
        await stays[0].Next();
        await Wait.UntilAsync(() => Task.FromResult(stays[1].Last!.Parts["result"].Contains("2 ballots", StringComparison.Ordinal)), "the member to be shown the second ballot");

        Assert.All(leaves, l => Assert.Equal(1, l.Count)); // the ballot before they left; nothing from the moment they left
        Assert.All(strangers, s => Assert.Equal(0, s.Count));
        foreach (var w in stays.Concat(leaves).Concat(strangers))
        {
            await w.DisposeAsync();
        }
    }

    private static async Task<(Hidden Hidden, Person Outsider)> HiddenCouncilAsync(TestServer server)
    {
        var world = new World(server);
        var api = world.Api;
        var (founder, fellow, outsider) = (await api.RegisterAsync("Leyla"), await api.RegisterAsync("Farid"), await api.RegisterAsync("Nasrin"));
        string council = await api.CreateCouncilAsync(founder, new
        {
            supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H", visibility = "members", delegation = true, joinPolicy = "invitation",
        });
        await api.JoinByInvitationAsync(council, founder, fellow);
        string passed = await api.PutMotionAsync(council, founder, new { kind = "decision", title = "Print leaflets", text = "" });
        (await api.CastAsync(passed, founder, new { choice = "yes" })).Ok();
        (await api.CastAsync(passed, fellow, new { choice = "yes" })).Ok();
        await server.AdvanceAsync(TimeSpan.FromHours(1));
        await server.StateAsync(passed, "in-force", founder);
        string action = (await api.PostAsync($"/motions/{passed}/actions", new { description = "Print 500", due = "2030-01-01" }, founder)).Ok().Id;
        string motion = await api.PutMotionAsync(council, founder, new { kind = "decision", title = "Strike", text = "" });
        string mandate = (await api.PostAsync($"/councils/{council}/mandates", new { name = "Convener", kind = "convener" }, founder)).Ok().Id;
        string comment = (await api.PostAsync($"/motions/{motion}/comments", new { text = "We are ready." }, fellow)).Ok().Id;
        string post = (await api.PostAsync($"/councils/{council}/calls",
            new { title = "Walk out", text = "At noon.", place = "The gate", startsAt = "2030-01-01T12:00:00Z", threshold = 2, deadline = "2029-12-31T12:00:00Z" }, founder)).Ok().Id;
        string image = (await api.UploadImageAsync(post, founder, Api.TinyPng(), "image/png")).Ok().Id;
        return (new Hidden(founder, council, motion, mandate, action) { Comment = comment, Post = post, Image = image }, outsider);
    }


    /// <summary>What the id of a route names: "councils", "motions", "mandates", "actions", "comments", "posts" or "calls" (null for other routes).</summary>
    private static string? Subject(string template)
    {
        return Routes.Subject(template);
    }

    /// <summary>The template with the hidden council's ids (or fresh random ones) in place, and the ids used.</summary>
    private static (string Path, string[] Ids) Fill(string template, Hidden hidden, bool randomIds)
    {
        string id = Subject(template) switch
        {
            "councils" => hidden.Council,
            "motions" => hidden.Motion,
            "mandates" => hidden.Mandate,
            "comments" => hidden.Comment,
            "posts" or "calls" => hidden.Post,
            "images" => hidden.Image,
            _ => hidden.Action,
        };
        if (randomIds)
        {
            id = Guid.NewGuid().ToString();
        }
        return (Routes.Fill(template, id, () => hidden.Founder.Id), [id]);
    }

    private static async Task<string> ApiAnswerAsync(Api api, HttpMethod method, string path, object? body, Person? caller, Hidden hidden, string[] ids)
    {
        using var request = new HttpRequestMessage(method, path);
        if (caller is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", caller.Token);
        }
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }
        using var response = await api.Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        if (text.StartsWith('{'))
        {
            var json = JsonNode.Parse(text)!.AsObject();
            json.Remove("traceId");
            text = json.ToJsonString();
        }
        return Normalize($"{(int)response.StatusCode} {response.Headers.Location} {text}", hidden, ids);
    }

    private static async Task<string> PageAnswerAsync(Visitor visitor, string path, string? handler, Hidden hidden, string[] ids)
    {
        HttpResponseMessage response;
        if (handler is null)
        {
            response = await visitor.GetAsync(path);
        }
        else
        {
            response = await visitor.PostAsync("/", handler.Length == 0 ? path : $"{path}?handler={handler}", []);
        }
        using (response)
        {
            string text = await response.Content.ReadAsStringAsync();
            return Normalize($"{(int)response.StatusCode} {response.Headers.Location} {text}", hidden, ids);
        }
    }

    private static string Normalize(string answer, Hidden hidden, string[] ids)
    {
        foreach (string id in ids.Append(hidden.Council).Append(hidden.Motion).Append(hidden.Mandate).Append(hidden.Action))
        {
            answer = answer.Replace(id, "{id}", StringComparison.OrdinalIgnoreCase).Replace(Uri.EscapeDataString(id), "{id}", StringComparison.OrdinalIgnoreCase);
        }
        return Token().Replace(answer, "{token}");
    }





    [GeneratedRegex(@"value=""CfDJ[^""]+""")]
    private static partial Regex Token();
}
