using System.Net;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Feed;

/// <summary>The feed in the pages, without JavaScript: a member writes a post, readers see its safe HTML, the author takes it back.</summary>
public class PostPagesTests
{
    [Fact]
    public async Task A_member_writes_a_post_readers_see_it_rendered_and_inert_and_the_author_takes_it_back()
    {
        await using var server = await TestServer.StartAsync();
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        string council = await api.CreateCouncilAsync(leyla, Api.QuickSettings(voting: "P1D"));
        using var writer = await new Visitor(server.Client.BaseAddress!).SignInAsync(leyla);

        var written = await writer.PostAsync($"/councils/{council}/posts/new", $"/councils/{council}/posts/new", new()
        {
            ["kind"] = "news", ["title"] = "The mill is ours",
            ["text"] = "We **voted** to run it ourselves.\n\n<script>document.title='owned'</script>\n\n<img src=x onerror=alert(1)>",
        });
        Assert.Equal(HttpStatusCode.Redirect, written.StatusCode);
        string page = written.Headers.Location!.OriginalString;
        Assert.StartsWith("/posts/", page, StringComparison.Ordinal);

        using var reader = new Visitor(server.Client.BaseAddress!);
        reader.Speak("fa");
        string html = await (await reader.GetAsync(page)).Content.ReadAsStringAsync();
        Assert.Contains("<strong>voted</strong>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>document.title", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        Assert.Contains("خبر", html, StringComparison.Ordinal);
        Assert.Contains("The mill is ours", await (await reader.GetAsync($"/councils/{council}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await writer.PostAsync(page, $"{page}?handler=Delete", [])).StatusCode);
        html = await (await reader.GetAsync(page)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("voted", html, StringComparison.Ordinal);
        Assert.DoesNotContain("The mill is ours", await (await reader.GetAsync($"/councils/{council}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_members_only_councils_posts_are_not_found_by_others()
    {
        await using var server = await TestServer.StartAsync();
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        var sara = await api.RegisterAsync("Sara");
        string council = await api.CreateCouncilAsync(leyla, new { supportThreshold = 1, deliberationPeriod = "PT0S", votingPeriod = "P1D", visibility = "members" });
        string post = (await api.PostAsync($"/councils/{council}/posts", new { kind = "statement", title = "We strike", text = "Monday." }, leyla)).Ok().Id;
        using var outsider = await new Visitor(server.Client.BaseAddress!).SignInAsync(sara);

        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/posts/{post}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/councils/{council}/posts/new")).StatusCode);
        using var anonymous = new Visitor(server.Client.BaseAddress!);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/posts/{post}")).StatusCode);
    }
}
