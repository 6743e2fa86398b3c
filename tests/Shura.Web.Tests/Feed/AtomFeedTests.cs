using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Feed;

/// <summary>
/// A public council's Atom feed, read by an independent parser (feedparser, from npm) and checked
/// against what RFC 4287 requires of every feed and entry; a members-only council has none.
/// </summary>
public class AtomFeedTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    /// <summary>Runs feedparser (pinned in package-lock.json) on the feed; its reading as JSON.</summary>
    private static async Task<JsonElement> ParseAsync(string feed)
    {
        string script = Path.Combine(Repository.Root, "tests", "Shura.Web.Tests", "Feed", "parse-feed.js");
        var start = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = Path.Combine(Repository.Root, "tests", "Shura.Web.Tests") };
        start.ArgumentList.Add(script);
        using var node = Process.Start(start)!;
        await node.StandardInput.WriteAsync(feed);
        node.StandardInput.Close();
        string output = await node.StandardOutput.ReadToEndAsync();
        string errors = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, $"feedparser refused the feed: {errors}");
        return JsonDocument.Parse(output).RootElement;
    }

    [Fact]
    public async Task A_public_councils_feed_reads_in_an_independent_parser_and_has_what_RFC_4287_requires()
    {
        await using var server = await TestServer.StartAsync();
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla Ahmadi");
        string council = await api.CreateCouncilAsync(leyla, Api.QuickSettings(voting: "P1D"), name: "Bakery workers & friends");
        string first = (await api.PostAsync($"/councils/{council}/posts", new { kind = "report", title = "Strike, day one", text = "We **stopped** at 8. <script>x()</script>" }, leyla)).Ok().Id;
        string second = (await api.PostAsync($"/councils/{council}/posts", new { kind = "statement", title = "بیانیه شورا", text = "ما ادامه می‌دهیم." }, leyla)).Ok().Id;
        string gone = (await api.PostAsync($"/councils/{council}/posts", new { kind = "news", title = "Taken back", text = "Oops." }, leyla)).Ok().Id;
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"/posts/{gone}", null, leyla)).Status);

        using var response = await server.Client.GetAsync($"/councils/{council}/feed.atom");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        string feed = await response.Content.ReadAsStringAsync();

        // What RFC 4287 requires: a feed has id, title, updated and an author (or every entry one);
        // every entry has id, title, updated, and a link or content.
        var root = XDocument.Parse(feed).Root!;
        Assert.Equal(Atom + "feed", root.Name);
        Assert.Equal($"urn:uuid:{council}", root.Element(Atom + "id")!.Value);
        Assert.Equal("Bakery workers & friends", root.Element(Atom + "title")!.Value);
        Assert.True(DateTimeOffset.TryParse(root.Element(Atom + "updated")!.Value, out _));
        Assert.Contains(root.Elements(Atom + "link"), l => (string?)l.Attribute("rel") == "self" && ((string)l.Attribute("href")!).EndsWith($"/councils/{council}/feed.atom", StringComparison.Ordinal));
        var entries = root.Elements(Atom + "entry").ToList();
        Assert.Equal([$"urn:uuid:{second}", $"urn:uuid:{first}"], entries.Select(e => e.Element(Atom + "id")!.Value));
        Assert.All(entries, e =>
        {
            Assert.NotEmpty(e.Element(Atom + "title")!.Value);
            Assert.True(DateTimeOffset.TryParse(e.Element(Atom + "updated")!.Value, out _));
            Assert.Equal("Leyla Ahmadi", e.Element(Atom + "author")!.Element(Atom + "name")!.Value);
            Assert.Equal("html", (string?)e.Element(Atom + "content")!.Attribute("type"));
        });
        Assert.DoesNotContain("Taken back", feed, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", XDocument.Parse(feed).Descendants(Atom + "content").First(c => c.Value.Contains("stopped", StringComparison.Ordinal)).Value, StringComparison.Ordinal);

        // The whole structure of RFC 4287, checked by jing against the grammar of its sections 3 and 4.
        var (valid, said) = await ValidateAsync(feed);
        Assert.True(valid, said);

        var parsed = await ParseAsync(feed);
        Assert.Equal("atom", parsed.GetProperty("type").GetString());
        Assert.Equal("Bakery workers & friends", parsed.GetProperty("title").GetString());
        var items = parsed.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["بیانیه شورا", "Strike, day one"], items.Select(i => i.GetProperty("title").GetString()));
        Assert.Equal([$"urn:uuid:{second}", $"urn:uuid:{first}"], items.Select(i => i.GetProperty("guid").GetString()));
        Assert.EndsWith($"/posts/{first}", items[1].GetProperty("link").GetString(), StringComparison.Ordinal);
        Assert.Equal("Leyla Ahmadi", items[1].GetProperty("author").GetString());
        Assert.Contains("<strong>stopped</strong>", items[1].GetProperty("description").GetString(), StringComparison.Ordinal);

        // The council's page points feed readers to it.
        string page = await server.Client.GetStringAsync($"/councils/{council}");
        Assert.Contains($"type=\"application/atom+xml\"", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/councils/{council}/feed.atom\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_schema_check_can_fail()
    {
        const string Valid = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>Council</title><id>urn:uuid:1</id><updated>2026-12-01T12:00:00Z</updated>
            <author><name>Council</name></author><entry><id>urn:uuid:2</id><title>Post</title><updated>2026-12-01T12:00:00Z</updated>
            <link rel="alternate" href="https://example.org/posts/2"/></entry></feed>
            """;
        Assert.True((await ValidateAsync(Valid)).Valid);
        var (noId, said) = await ValidateAsync(Valid.Replace("<id>urn:uuid:1</id>", "", StringComparison.Ordinal));
        Assert.False(noId);
        Assert.Contains("\"id\"", said, StringComparison.Ordinal);
        // An instant without its offset from UTC is no RFC 3339 date.
        Assert.False((await ValidateAsync(new System.Text.RegularExpressions.Regex("12:00:00Z").Replace(Valid, "12:00:00", 1))).Valid);
        Assert.False((await ValidateAsync(Valid.Replace("<title>Post</title>", "<title>Post</title><title>Again</title>", StringComparison.Ordinal))).Valid);
    }

    /// <summary>Validates a feed with jing (Debian's RELAX NG validator) against tests/…/Feed/atom.rnc.</summary>
    private static async Task<(bool Valid, string Said)> ValidateAsync(string feed)
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("shura-atom-").FullName, "feed.atom");
        await File.WriteAllTextAsync(file, feed);
        var start = new ProcessStartInfo("jing") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])["-c", Path.Combine(Repository.Root, "tests", "Shura.Web.Tests", "Feed", "atom.rnc"), file])
        {
            start.ArgumentList.Add(arg);
        }
        Process jing;
        try
        {
            jing = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail("jing is missing: test.sh installs it (Debian: apt-get install jing)");
            throw;
        }
        using (jing)
        {
            string output = await jing.StandardOutput.ReadToEndAsync();
            string errors = await jing.StandardError.ReadToEndAsync();
            await jing.WaitForExitAsync();
            // Debian's wrapper warns about optional jars it does not find; those lines say nothing about the feed.
            string said = string.Join('\n', (output + errors).Split('\n').Where(l => !l.StartsWith("[warning]", StringComparison.Ordinal)));
            return (jing.ExitCode == 0, said);
        }
    }

    [Fact]
    public async Task A_members_only_council_has_no_feed()
    {
        await using var server = await TestServer.StartAsync();
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "P1D", visibility = "members" });
        (await api.PostAsync($"/councils/{council}/posts", new { kind = "statement", title = "We strike", text = "Monday." }, leyla)).Ok();

        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync($"/councils/{council}/feed.atom")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync($"/councils/{Guid.NewGuid()}/feed.atom")).StatusCode);
        using var visitor = await new Visitor(server.Client.BaseAddress!).SignInAsync(leyla);
        string page = await (await visitor.GetAsync($"/councils/{council}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("application/atom+xml", page, StringComparison.Ordinal);
    }
}
