using Shura.Web.Feed;

namespace Shura.Web.Tests.Feed;

/// <summary>A post's Markdown becomes HTML in which nothing can run, whatever was written into it.</summary>
public class MarkdownTests
{
    private static readonly HashSet<string> Allowed = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a",
        "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
    };

    /// <summary>The rendered HTML as a browser builds it: every element and attribute it would act on.</summary>
    private static AngleSharp.Dom.IElement[] Elements(string html)
    {
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument("<body>" + html + "</body>");
        return [.. document.Body!.QuerySelectorAll("*")];
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<a href=\"#\" onclick=\"alert(1)\">click</a>")]
    [InlineData("<iframe src=\"https://example.org\"></iframe>")]
    [InlineData("<svg onload=alert(1)>")]
    [InlineData("<style>body{display:none}</style>")]
    [InlineData("**bold <b onmouseover=alert(1)>x</b>**")]
    public void Raw_html_is_written_out_as_text(string written)
    {
        string html = Markdown.ToSafeHtml(written);
        var elements = Elements(html);

        Assert.All(elements, e => Assert.Contains(e.LocalName, Allowed));
        Assert.All(elements, e => Assert.DoesNotContain(e.Attributes, a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)));
        Assert.Contains("&lt;", html, StringComparison.Ordinal); // still there, as words
    }

    [Theory]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JaVaScRiPt:alert(1))")]
    [InlineData("[click](  javascript:alert(1))")]
    [InlineData("[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")]
    [InlineData("[click](vbscript:msgbox(1))")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("[click](&#106;avascript:alert(1))")]
    public void Links_that_would_run_something_lose_their_target(string written)
    {
        var links = Elements(Markdown.ToSafeHtml(written)).Where(e => e.LocalName == "a").ToList();

        Assert.All(links, link =>
        {
            string? href = link.GetAttribute("href");
            Assert.True(href is null || href.StartsWith("http://", StringComparison.Ordinal) || href.StartsWith("https://", StringComparison.Ordinal)
                || href.StartsWith("mailto:", StringComparison.Ordinal), href);
        });
    }

    [Fact]
    public void Images_are_not_pulled_from_elsewhere()
    {
        // An image from another server would tell that server who reads the post, and when.
        Assert.DoesNotContain("<img", Markdown.ToSafeHtml("![tracker](https://example.org/pixel.gif)"), StringComparison.Ordinal);
    }

    [Fact]
    public void Ordinary_markdown_renders_and_links_are_marked_as_the_writers()
    {
        string html = Markdown.ToSafeHtml("## Strike on Monday\n\nWe meet at **8:00** at the [gate](https://example.org/map).\n\n- bring water\n- bring a sign\n\n> solidarity");

        Assert.Contains("<h2>Strike on Monday</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>8:00</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<li>bring water</li>", html, StringComparison.Ordinal);
        Assert.Contains("<blockquote>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.org/map\"", html, StringComparison.Ordinal);
        Assert.Contains("rel=\"nofollow noopener noreferrer ugc\"", html, StringComparison.Ordinal);
    }
}
