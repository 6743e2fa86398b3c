using Microsoft.Playwright;
using Shura.Browser.Tests.Support;

namespace Shura.Browser.Tests;

/// <summary>
/// Every page of the demo city, in both languages, read by a browser for text of the other
/// direction that is not isolated: a Persian name on an English page, a Latin one on a Persian
/// page, must sit in an isolating element (<c>&lt;bdi&gt;</c>, an element with <c>dir</c>, or
/// <c>unicode-bidi: isolate</c>), or it drags the digits and separators beside it out of order.
/// </summary>
public sealed class BidiTests(Browsers browsers) : IClassFixture<Browsers>
{
    /// <summary>
    /// Each visible text node holding a strong character of the direction the page is not written
    /// in, with no isolating element between it and the page: the page's path, the element, the text.
    /// </summary>
    private const string Scan = """
        () => {
          const rtl = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/, ltr = /[A-Za-z\u00C0-\u024F]/;
          const other = document.documentElement.dir === 'rtl' ? ltr : rtl;
          const pageDirection = getComputedStyle(document.documentElement).direction;
          // Isolated: inside a bdi, a form control, or an element with dir, before the paragraph's
          // block is reached (blocks are isolated by the browser, but the text in them is not), an
          // inline element styled unicode-bidi: isolate, or a block laid out as plaintext (as dir=auto).
          // Past the block, only a container that sets the direction of all it holds (dir) still counts.
          const isolated = el => {
            let inParagraph = true;
            for (let e = el; e && e !== document.body; e = e.parentElement) {
              if (['bdi', 'button', 'input', 'textarea', 'select', 'option'].includes(e.localName)) return true;
              if (!inParagraph) continue;
              const style = getComputedStyle(e);
              if (style.unicodeBidi === 'plaintext') return true; // each paragraph in the direction of its own first letter, as dir=auto
              if (style.display.startsWith('inline') || style.display === 'contents') {
                if (['isolate', 'isolate-override'].includes(style.unicodeBidi)) return true;
              } else {
                // The paragraph: one set in the other direction (dir on it or on a block around it) is that text's own.
                if (style.direction !== pageDirection) return true;
                inParagraph = false;
              }
            }
            return false;
          };
          const found = [];
          let other_seen = 0;
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const el = node.parentElement;
            if (!el || ['script', 'style', 'noscript', 'template'].includes(el.localName) || el.closest('[hidden], [aria-hidden=true]')) continue;
            if (el.getClientRects().length === 0) continue;
            // What plain text isolates itself (between U+2066–U+2068 and U+2069, as dates do a zone's name) is isolated too.
            const text = node.data.replace(/[\u2066\u2067\u2068][^\u2069]*\u2069/g, '');
            if (other.test(node.data)) other_seen++;
            if (other.test(text) && !isolated(el)) found.push(`<${el.localName}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''}> ${node.data.trim().slice(0, 80)}`);
          }
          return [String(other_seen), ...found];
        }
        """;

    [Theory]
    [InlineData("en")]
    [InlineData("fa")]
    public async Task No_page_of_the_demo_lets_text_of_the_other_direction_run_unisolated(string language)
    {
        await using var server = await Demo.StartAsync();
        var page = await browsers.OpenAsync(server.Client.BaseAddress!, language, width: 1280);
        // Each reads in their own language: Sam in English, Leyla in Persian (an account's language decides the pages').
        await Demo.SignInAsync(page, language == "en" ? "sam" : "leyla");

        // The scan finds what it looks for: a sentence of the page with a name of the other script in it, not isolated.
        await page.GotoAsync("/");
        await page.EvaluateAsync("name => { const p = document.createElement('p'); p.textContent = 'proposed by ' + name + ' on 28 November'; document.querySelector('main').append(p); }",
            language == "en" ? "لیلا احمدی" : "Sam Carter");
        string[] control = await page.EvaluateAsync<string[]>(Scan);
        Assert.True(control.Length == 2, "the scan of a page with one unisolated name found: " + string.Join(" | ", control));

        // Every page reachable by its links from the home page, as a reader would find them.
        var seen = new HashSet<string>(StringComparer.Ordinal) { "/" };
        var queue = new Queue<string>(["/"]);
        var problems = new List<string>();
        int otherDirection = 0; // pieces of text of the other direction seen: the scan has something to judge
        while (queue.Count > 0 && seen.Count <= 150)
        {
            string path = queue.Dequeue();
            IResponse? response;
            try
            {
                response = await page.GotoAsync(path);
            }
            catch (PlaywrightException e) when (e.Message.Contains("Download is starting", StringComparison.Ordinal))
            {
                continue; // a file to save (the account's data, a log), not a page
            }
            if (response is null || !(response.Headers.GetValueOrDefault("content-type") ?? "").StartsWith("text/html", StringComparison.Ordinal))
            {
                continue;
            }
            Assert.Equal(language, await page.Locator("html").GetAttributeAsync("lang"));
            string[] scanned = await page.EvaluateAsync<string[]>(Scan);
            otherDirection += int.Parse(scanned[0], System.Globalization.CultureInfo.InvariantCulture);
            problems.AddRange(scanned.Skip(1).Select(p => $"{path}: {p}"));
            foreach (string href in await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('a[href^=\"/\"]:not([download])')].map(a => a.getAttribute('href'))"))
            {
                string next = href.Split('#')[0];
                if (next.Length > 0 && !next.StartsWith("/signout", StringComparison.Ordinal) && !next.StartsWith("/ap/", StringComparison.Ordinal)
                    && !next.Contains(".ics", StringComparison.Ordinal) && !next.Contains(".atom", StringComparison.Ordinal) && !next.StartsWith("/images/", StringComparison.Ordinal)
                    && seen.Add(next))
                {
                    queue.Enqueue(next);
                }
            }
        }
        Assert.True(seen.Count > 40, $"only {seen.Count} pages found from the home page");
        Assert.True(otherDirection > 100, $"only {otherDirection} pieces of text of the other direction on {seen.Count} pages");
        Assert.True(problems.Count == 0, $"{problems.Count} unisolated pieces of text:\n" + string.Join("\n", problems.Distinct().Take(80)));
    }
}
