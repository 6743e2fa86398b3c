using System.Collections.Concurrent;
using Markdig;

namespace Shura.Web.Pages.Docs;

/// <summary>
/// The documents a member may want while deciding — the guide (in Persian for Persian readers), how
/// each method counts, how to check the log, what the server can and cannot learn — served by the
/// server itself from the copies built into it, so a council's own server answers "how was this
/// counted?" even where the project's site cannot be reached. Only these names; nothing else on disk.
/// </summary>
public sealed class DocModel : ShuraPage
{
    private static readonly string[] Names = ["guide", "counting", "log", "security"];

    // Headings get ids (links go to a method's section); raw HTML in a document is not passed on.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables().UseAutoIdentifiers(Markdig.Extensions.AutoIdentifiers.AutoIdentifierOptions.GitHub).DisableHtml().Build();

    private static readonly ConcurrentDictionary<string, string?> Rendered = new();

    public string Html { get; private set; } = "";

    public string Title { get; private set; } = "";

    public bool RightToLeft { get; private set; }

    public IActionResult OnGet(string name)
    {
        if (!Names.Contains(name))
        {
            return NotFound();
        }
        // The guide has a Persian edition; the others are in English for everyone.
        string file = name == "guide" && System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "fa" ? "guide.fa.md" : name + ".md";
        if (Rendered.GetOrAdd(file, Render) is not { } html)
        {
            return NotFound();
        }
        (Html, RightToLeft) = (html, file.EndsWith(".fa.md", StringComparison.Ordinal));
        Title = Words["doc:" + name];
        return Page();
    }

    /// <summary>
    /// In a Persian document, each run of Latin words in the text (a command's name, "CSV", a zone)
    /// gets a &lt;bdi&gt;, so it keeps its order and leaves the Persian sentence around it alone; only
    /// text between tags is touched (not entities), and code (isolated by the style sheet) is left as it is.
    /// </summary>
    private static string IsolateLatin(string html) =>
        System.Text.RegularExpressions.Regex.Replace(html, "(<code>.*?</code>|<[^>]+>|&#?[A-Za-z0-9]+;)|([A-Za-z][A-Za-z0-9_./:@-]*(?:[ ,][A-Za-z0-9_./:@-]+)*)",
            m => m.Groups[1].Success ? m.Value : $"<bdi>{m.Value}</bdi>", System.Text.RegularExpressions.RegexOptions.Singleline);

    private static string? Render(string file)
    {
        using var stream = typeof(DocModel).Assembly.GetManifestResourceStream("docs." + file);
        if (stream is null)
        {
            return null;
        }
        using var reader = new StreamReader(stream);
        // The Persian guide wraps itself in <div dir="rtl"> for renderers without a page of their
        // own; here the page sets the direction, and raw HTML is not passed on.
        string markdown = string.Join('\n', reader.ReadToEnd().Split('\n').Where(l => l.Trim() is not ("<div dir=\"rtl\">" or "</div>")));
        string html = Markdown.ToHtml(markdown, Pipeline);
        if (file.EndsWith(".fa.md", StringComparison.Ordinal))
        {
            html = IsolateLatin(html);
        }
        // What may scroll sideways on a phone (code, tables) can be reached by keyboard to scroll it.
        html = html.Replace("<pre>", "<pre tabindex=\"0\">", StringComparison.Ordinal).Replace("<table>", "<table tabindex=\"0\">", StringComparison.Ordinal);
        // Links between the served documents stay on this server.
        return System.Text.RegularExpressions.Regex.Replace(html, "href=\"(guide|counting|log|security)(?:\\.fa)?\\.md", "href=\"/docs/$1");
    }
}
