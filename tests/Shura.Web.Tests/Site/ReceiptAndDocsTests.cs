using System.Net;
using System.Net.Http.Headers;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Site;

/// <summary>
/// The receipt page finds a ballot's entry only in councils the reader may read, and says nothing
/// of what the ballot was; the documents the pages link to are served, and nothing else.
/// </summary>
public class ReceiptAndDocsTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_receipt_is_found_by_those_who_may_read_its_council_and_tells_no_ballot(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        var outsider = await api.RegisterAsync("Outsider");
        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "PT1H", visibility = "members" }, "Hidden bakery");
        string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Strike on Monday", text = "" });
        string receipt = (await api.CastAsync(motion, leyla, new { choice = "yes" })).Ok().Body.GetProperty("receipt").GetString()!;

        using (var member = await new Visitor(server.Client.BaseAddress!).SignInAsync(leyla))
        {
            string found = await (await member.GetAsync($"/receipt?r={receipt}")).Content.ReadAsStringAsync();
            Assert.Contains("This receipt is in the log, unchanged.", found, StringComparison.Ordinal);
            Assert.Contains("Strike on Monday", found, StringComparison.Ordinal);
            Assert.DoesNotContain(">yes<", found, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("\"choice\"", found, StringComparison.Ordinal);
        }
        // To anyone else the council's receipt reads as one that does not exist.
        string missing = await (await server.Client.GetAsync($"/receipt?r={new string('a', 64)}")).Content.ReadAsStringAsync();
        foreach (var stranger in new[] { await new Visitor(server.Client.BaseAddress!).SignInAsync(outsider), new Visitor(server.Client.BaseAddress!) })
        {
            using (stranger)
            {
                string page = await (await stranger.GetAsync($"/receipt?r={receipt}")).Content.ReadAsStringAsync();
                Assert.Contains("No entry in the log of a council you may read has this receipt.", page, StringComparison.Ordinal);
                Assert.DoesNotContain("Hidden bakery", page, StringComparison.Ordinal);
                Assert.DoesNotContain("Strike on Monday", page, StringComparison.Ordinal);
            }
        }
        Assert.Contains("No entry in the log of a council you may read has this receipt.", missing, StringComparison.Ordinal);
        var bad = await server.Client.GetAsync("/receipt?r=not-a-receipt");
        Assert.Contains("A receipt is 64 characters", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_documents_the_pages_link_are_served_the_guide_in_the_readers_language_and_nothing_else()
    {
        await using var server = await TestServer.StartAsync(Support.Engines.Sqlite);
        string counting = await server.Client.GetStringAsync("/docs/counting");
        foreach (var anchor in new[] { "decision", "plurality-approval-score", "irv--instant-runoff-one-seat", "stv--scottish-stv", "meek--meek-stv", "pairwise-methods-schulze-and-ranked-pairs" })
        {
            Assert.Contains($"id=\"{anchor}\"", counting, StringComparison.Ordinal); // the sections the motion pages link
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, "/docs/guide");
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("fa"));
        string guide = await (await server.Client.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains("dir=\"rtl\" lang=\"fa\"", guide, StringComparison.Ordinal);
        foreach (var path in new[] { "/docs/api", "/docs/README", "/docs/..%2FREADME", "/docs/guide.md" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync(path)).StatusCode);
        }
    }
}
