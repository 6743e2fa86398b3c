using System.Net;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Discussion;

/// <summary>
/// The discussion on a motion's page, without JavaScript, as a member sees it in English and
/// Persian: comment, answer, take back; words that look like markup stay words.
/// </summary>
public class DiscussionPageTests
{
    [Fact]
    public async Task A_member_comments_answers_and_takes_back_through_the_page_and_markup_stays_text()
    {
        await using var server = await TestServer.StartAsync();
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        var babak = await api.RegisterAsync("Babak");
        string council = await api.CreateCouncilAsync(leyla, Api.QuickSettings(voting: "P1D"));
        await api.JoinAsync(council, babak);
        string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Buy flour", text = "" });
        string page = $"/motions/{motion}";
        using var visitor = await new Visitor(server.Client.BaseAddress!).SignInAsync(babak);

        var posted = await visitor.PostAsync(page, $"{page}?handler=Comment", new() { ["text"] = "<script>document.title='owned'</script> From the mill on Saadi Street?" });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        string question = (await api.GetAsync($"/motions/{motion}/comments")).Ok().Body[0].GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.Redirect, (await visitor.PostAsync(page, $"{page}?handler=Comment", new() { ["text"] = "Or the one by the river.", ["replyTo"] = question })).StatusCode);

        string html = await (await visitor.GetAsync(page)).Content.ReadAsStringAsync();
        Assert.Contains("&lt;script&gt;document.title=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>document.title", html, StringComparison.Ordinal);
        Assert.Contains("Or the one by the river.", html, StringComparison.Ordinal);
        Assert.Contains($"id=\"comment-{question}\"", html, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await visitor.PostAsync(page, $"{page}?handler=DeleteComment", new() { ["comment"] = question })).StatusCode);
        using var persian = await new Visitor(server.Client.BaseAddress!).SignInAsync(leyla);
        persian.Speak("fa");
        html = await (await persian.GetAsync(page)).Content.ReadAsStringAsync();
        Assert.Contains("گفت‌وگو", html, StringComparison.Ordinal);
        Assert.Contains("نویسنده این نظر را پس گرفته است.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Saadi Street", html, StringComparison.Ordinal);
        Assert.Contains("Or the one by the river.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_comment_is_answered_on_the_page_and_stores_nothing()
    {
        await using var server = await TestServer.StartAsync();
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        var sara = await api.RegisterAsync("Sara");
        string council = await api.CreateCouncilAsync(leyla, Api.QuickSettings(voting: "P1D"));
        string motion = await api.PutMotionAsync(council, leyla, new { kind = "decision", title = "Buy flour", text = "" });
        string page = $"/motions/{motion}";
        using var outsider = await new Visitor(server.Client.BaseAddress!).SignInAsync(sara);

        var refused = await outsider.PostAsync(page, $"{page}?handler=Comment", new() { ["text"] = "Not a member here." });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Empty((await api.GetAsync($"/motions/{motion}/comments")).Ok().Body.EnumerateArray());
    }
}
