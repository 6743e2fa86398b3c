using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;
using Shura.Core;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Security;

/// <summary>
/// The secret ballot, as a class (findings 2 and 3): a scripted session of a public council that
/// votes by secret ballot, with delegation on and a public delegate, a member leaving mid-vote, a
/// recall by withdrawn confidence and the by-election it opens. Then everything is read — every
/// API route, every page, every live message, the whole log and its export — by an outsider, an
/// anonymous visitor and each member (the one who left too), and no secret ballot, and no
/// withdrawal of confidence, may be tied to its author from what any of them sees:
/// <list type="bullet">
/// <item>outside the log, nobody sees another's pseudonym or receipt, and "my ballot" is always
/// one's own or, through a delegation, a public delegate's;</item>
/// <item>in the log, no entry under a pseudonym was written by the same request as an entry that
/// names its author (each request of the script has its own instant, so "the same request" is
/// "the same time");</item>
/// <item>a live message says only which council changed.</item>
/// </list>
/// </summary>
public partial class SecrecyTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task No_secret_ballot_can_be_tied_to_its_author_by_anyone(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var clock = server.Clock!;
        var api = server.Api();
        var names = new[] { "Arash", "Bahar", "Cyrus", "Donya", "Ehsan", "Farah", "Golnar" };
        var people = new List<Person>();
        foreach (string name in names)
        {
            people.Add(await api.RegisterAsync(name));
        }
        var (arash, bahar, cyrus, donya, ehsan, farah, golnar) = (people[0], people[1], people[2], people[3], people[4], people[5], people[6]);
        var outsider = await api.RegisterAsync("Outsider");
        // Each request of the script at an instant of its own: what one request wrote shares a time, and only that.
        async Task<Reply> Step(Task<Reply> request)
        {
            var reply = await request;
            clock.Advance(TimeSpan.FromMilliseconds(1));
            return reply;
        }

        string council = (await Step(api.PostAsync("/councils", new
        {
            name = "Warehouse workers", description = "",
            settings = new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H", secretBallots = true, delegation = true },
        }, arash))).Ok().Id;
        foreach (var person in people.Skip(1))
        {
            (await Step(api.PostAsync($"/councils/{council}/members", null, person))).Ok();
        }
        string mandate = (await Step(api.PostAsync($"/councils/{council}/mandates", new { name = "Treasurer", kind = "role" }, arash))).Ok().Id;
        string election = (await Step(api.PostAsync($"/councils/{council}/motions", new { kind = "election", title = "Treasurer", text = "", mandate, candidates = new[] { golnar.Id } }, arash))).Ok().Id;
        foreach (var voter in people)
        {
            (await Step(api.CastAsync(election, voter, new { ranking = new[] { golnar.Id } }))).Ok();
        }
        await server.AdvanceAsync(TimeSpan.FromHours(1));
        await server.StateAsync(election, "decided");

        // Four of the seven withdraw confidence from the treasurer: a recall, and a by-election that takes nominations for an hour.
        foreach (var elector in new[] { arash, bahar, cyrus, ehsan })
        {
            (await Step(api.SendAsync(HttpMethod.Put, $"/mandates/{mandate}/holders/{golnar.Id}/confidence", new { withdrawn = true }, elector))).Ok();
        }
        string byElection = (await api.GetAsync($"/mandates/{mandate}")).Ok().Body.GetProperty("byElection").GetString()!;
        (await Step(api.PostAsync($"/motions/{byElection}/candidates", new { person = cyrus.Id }, donya))).Ok();
        await server.AdvanceAsync(TimeSpan.FromHours(1));
        await server.StateAsync(byElection, "voting");

        // A choice, each member's ranking their own; Bahar trusts Donya, a public delegate; Ehsan may not trust Cyrus, who is not one.
        string[] options = ["Red", "Green", "Blue", "Black", "White"];
        string strike = (await Step(api.PostAsync($"/councils/{council}/motions", new { kind = "choice", title = "Which demand first", text = "", options, method = "schulze" }, arash))).Ok().Id;
        (await Step(api.SendAsync(HttpMethod.Put, $"/councils/{council}/delegation/public", new { @public = true }, donya))).Ok();
        (await Step(api.SendAsync(HttpMethod.Put, $"/councils/{council}/delegation", new { to = donya.Id }, bahar))).Ok();
        Assert.Equal("not-a-public-delegate", (await Step(api.SendAsync(HttpMethod.Put, $"/councils/{council}/delegation", new { to = cyrus.Id }, ehsan))).Code);
        var rankings = new Dictionary<string, string[]>();
        foreach (var (voter, i) in people.Where(p => p != bahar).Select((p, i) => (p, i)))
        {
            rankings[voter.Id] = [.. options.Skip(i % 5).Concat(options.Take(i % 5))];
            (await Step(api.CastAsync(strike, voter, new { ranking = rankings[voter.Id] }))).Ok();
        }
        foreach (var voter in new[] { arash, cyrus, farah })
        {
            (await Step(api.CastAsync(byElection, voter, new { ranking = new[] { cyrus.Id } }))).Ok();
        }
        // Farah leaves while both votes are open.
        (await Step(api.SendAsync(HttpMethod.Delete, $"/councils/{council}/members/me", null, farah))).Ok();

        // Everyone watches the council live while the last ballots come in.
        var observers = new List<(string Name, Person? Person)> { ("anonymous", null), ("outsider", outsider) };
        observers.AddRange(people.Select(p => (p.Name, (Person?)p)));
        var watching = new List<(string Name, List<string> Messages, HubConnection Connection)>();
        foreach (var (name, person) in observers)
        {
            watching.Add((name, [], await WatchAsync(server, person, council)));
        }
        foreach (var (_, messages, connection) in watching)
        {
            connection.On<string>("changed", m => { lock (messages) { messages.Add(m); } });
        }
        (await Step(api.CastAsync(byElection, ehsan, new { ranking = new[] { cyrus.Id } }))).Ok();
        (await Step(api.CastAsync(byElection, donya, new { ranking = new[] { cyrus.Id } }))).Ok();
        (await Step(api.SendAsync(HttpMethod.Delete, $"/motions/{strike}/ballot", null, cyrus))).Ok();
        (await Step(api.CastAsync(strike, cyrus, new { ranking = rankings[cyrus.Id] }))).Ok();
        await server.AdvanceAsync(TimeSpan.FromHours(1));
        await server.StateAsync(strike, "decided");
        await server.StateAsync(byElection, "decided");
        // The live messages travel over a socket: wait (not for a deadline) until the anonymous watcher has had its share.
        var anonymous = watching.Single(w => w.Name == "anonymous").Messages;
        await Wait.UntilAsync(() => { lock (anonymous) { return Task.FromResult(anonymous.Count > 0); } });

        // What the server knows: each member's pseudonyms and the receipts of their ballots.
        byte[] key;
        using (var c = server.Database.OpenConnection())
        {
            key = Convert.FromHexString(c.ExecuteScalar<string>("SELECT value FROM server_keys WHERE name = 'pseudonyms'")!);
        }
        var motions = new[] { election, strike, byElection };
        var pseudonyms = people.ToDictionary(p => p.Id, p => motions.Select(m => Core.Motions.MotionRules.Pseudonym(new MotionId(Guid.Parse(m)), new AccountId(Guid.Parse(p.Id)), key))
            .Append(Core.Mandates.MandateRules.Elector(new MandateId(Guid.Parse(mandate)), new AccountId(Guid.Parse(golnar.Id)), new AccountId(Guid.Parse(p.Id)), secret: true, key)).ToList());
        var log = await api.LogAsync(council);
        var receipts = people.ToDictionary(p => p.Id, p => log.Where(e => pseudonyms[p.Id].Contains(e.GetProperty("actor").GetString()!))
            .Select(e => e.GetProperty("hash").GetString()!).ToList());
        Assert.True(receipts.Values.Sum(r => r.Count) >= 12, "the script cast its secret ballots and withdrawals");

        // 1. The log and its export: nothing under a pseudonym shares its request with its author's name.
        foreach (var moment in log.GroupBy(e => e.GetProperty("time").GetString()))
        {
            // Who the request's other entries name (a ballot's own content, which may rank candidates by id, names no author).
            string named = string.Join("\n", moment.Where(e => !e.GetProperty("actor").GetString()!.StartsWith("p:", StringComparison.Ordinal)).Select(e => e.GetRawText()));
            string underPseudonyms = string.Join("\n", moment.Select(e => e.GetProperty("actor").GetString()).Concat(moment.Select(e => e.GetProperty("payload").GetString())));
            foreach (var (author, secrets) in pseudonyms)
            {
                if (secrets.Any(p => underPseudonyms.Contains(p, StringComparison.Ordinal)))
                {
                    Assert.False(named.Contains(author, StringComparison.Ordinal), $"entries written together tie {author} to a pseudonym:\n{string.Join("\n", moment.Select(e => e.GetRawText()))}");
                }
            }
        }
        var exported = ExportLines(server, council);
        Assert.Equal(log.Select(e => e.GetProperty("hash").GetString()), exported.Select(e => e.GetProperty("hash").GetString()));

        // 2. Everything else each observer can read: no one else's pseudonym or receipt, and only their own ballot (or their public delegate's).
        var routes = (await Routes.ApiAsync(server)).Where(r => r.Method == HttpMethod.Get).Select(r => r.Template).ToList();
        var pages = Routes.Pages(server).Select(p => p.Template).ToList();
        foreach (var (name, person) in observers)
        {
            using var visitor = new Visitor(server.Client.BaseAddress!);
            if (person is not null)
            {
                await visitor.SignInAsync(person);
            }
            var seen = new List<(string What, string Text)>();
            foreach (string template in routes.Where(r => !r.Contains("/log", StringComparison.Ordinal) && !r.StartsWith("/openapi", StringComparison.Ordinal)))
            {
                foreach (string path in Paths(template, council, motions, mandate, golnar.Id))
                {
                    var reply = await api.GetAsync(path[("/api/v1".Length)..], person);
                    seen.Add(($"GET {path}", reply.Body.ValueKind == JsonValueKind.Undefined ? "" : reply.Body.GetRawText()));
                    if (reply.Body.ValueKind == JsonValueKind.Object && reply.Body.TryGetProperty("myBallot", out var mine) && mine.ValueKind == JsonValueKind.Object)
                    {
                        string via = mine.TryGetProperty("via", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
                        Assert.True(via.Length == 0 ? person is not null && receipts[person.Id].Contains(mine.GetProperty("receipt").GetString()!)
                            : person == bahar && via == donya.Id, $"{name} reads a ballot not theirs at {path}: {mine}");
                    }
                }
            }
            foreach (string template in pages.Where(p => !p.Contains("/log", StringComparison.Ordinal)))
            {
                foreach (string path in Paths(template, council, motions, mandate, golnar.Id))
                {
                    using var response = await visitor.GetAsync(path);
                    seen.Add(($"page {path}", await response.Content.ReadAsStringAsync()));
                }
            }
            foreach (var (what, text) in seen)
            {
                foreach (var other in people.Where(p => p != person))
                {
                    var leaks = pseudonyms[other.Id].Concat(receipts[other.Id]).Where(secret => text.Contains(secret, StringComparison.Ordinal)).ToList();
                    Assert.True(leaks.Count == 0, $"{name} sees {other.Name}'s pseudonym or receipt at {what}");
                }
            }
        }

        // 3. Live messages: the council's id, nothing more.
        foreach (var (name, messages, connection) in watching)
        {
            lock (messages)
            {
                Assert.All(messages, m => Assert.Equal(council, m));
            }
            await connection.DisposeAsync();
        }
        Assert.NotEmpty(watching.Single(w => w.Name == "anonymous").Messages);
    }

    /// <summary>Every path a GET template gives with the session's ids.</summary>
    private static IEnumerable<string> Paths(string template, string council, string[] motions, string mandate, string holder)
    {
        string[] ids = Routes.Subject(template) switch
        {
            "councils" => [council],
            "motions" => motions,
            "mandates" => [mandate],
            _ => [Guid.NewGuid().ToString()],
        };
        return ids.Select(id => Routes.Fill(template, id, () => holder));
    }

    private static List<JsonElement> ExportLines(TestServer server, string council)
    {
        var stdout = new StringWriter();
        Assert.Equal(0, Shura.Cli.Shell.Run(["export", "--council", council, "--db", server.Db], stdout, new StringWriter(), quietErrors: true));
        return [.. stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    private static async Task<HubConnection> WatchAsync(TestServer server, Person? person, string council)
    {
        var cookies = new CookieContainer();
        if (person is not null)
        {
            using var visitor = new Visitor(server.Client.BaseAddress!);
            await visitor.SignInAsync(person);
            cookies = visitor.Cookies;
        }
        var connection = new HubConnectionBuilder().WithUrl(new Uri(server.Client.BaseAddress!, "/live"), o => o.Cookies = cookies).Build();
        await connection.StartAsync();
        await connection.InvokeAsync("Watch", council);
        return connection;
    }




}
