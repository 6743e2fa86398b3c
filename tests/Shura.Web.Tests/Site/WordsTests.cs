using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Shura.Web.Site;

namespace Shura.Web.Tests.Site;

/// <summary>
/// Every text the pages show exists in every language: the English resource file, the Persian one,
/// and the literal keys written in the pages and page models all agree. A language is added by
/// adding a resource file, and this test then checks it too.
/// </summary>
public sealed partial class WordsTests
{
    private static readonly ResourceManager Resources = new("Shura.Web.Site.Words", typeof(Words).Assembly);

    private static Dictionary<string, string> Texts(string culture)
    {
        var set = Resources.GetResourceSet(culture.Length == 0 ? CultureInfo.InvariantCulture : new CultureInfo(culture), createIfNotExists: true, tryParents: false)!;
        return set.Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    }

    [Fact]
    public void Persian_has_every_English_text_and_no_other()
    {
        var english = Texts("");
        var persian = Texts("fa");
        Assert.Empty(english.Keys.Except(persian.Keys));
        Assert.Empty(persian.Keys.Except(english.Keys));
        Assert.All(persian, p => Assert.False(string.IsNullOrWhiteSpace(p.Value), p.Key));
        // A placeholder in the English text is in the Persian one too.
        foreach (var (key, text) in english)
        {
            foreach (Match slot in Slot().Matches(text))
            {
                Assert.True(persian[key].Contains(slot.Value, StringComparison.Ordinal), $"\"{key}\" in Persian lacks {slot.Value}");
            }
        }
    }

    [Fact]
    public void Every_text_a_page_asks_for_by_name_exists()
    {
        var english = Texts("");
        string pages = Path.Combine(Root(), "src", "Shura.Web");
        var asked = Directory.EnumerateFiles(pages, "*.cs*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => Asked().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups[1].Value)))
            .Where(a => !a.Key.EndsWith(':'))
            .ToList();
        Assert.NotEmpty(asked);
        Assert.Empty(asked.Where(a => !english.ContainsKey(a.Key)).Select(a => $"{a.File}: {a.Key}"));
    }

    [Fact]
    public void Every_kind_of_log_entry_has_a_name_in_the_pages()
    {
        var english = Texts("");
        Assert.NotEmpty(Core.Log.EventJson.TypeNames);
        Assert.DoesNotContain(Core.Log.EventJson.TypeNames, t => !english.ContainsKey("event:" + t));
    }

    [Fact]
    public async Task A_refused_form_says_what_is_wrong_in_the_page_language()
    {
        await using var server = await Support.TestServer.StartAsync();
        var leyla = await server.Api().RegisterAsync("Leyla Ahmadi");
        using var visitor = new Support.Visitor(server.Client.BaseAddress!);
        visitor.Speak("fa");
        await visitor.PostAsync("/signin", "/signin", new() { ["email"] = leyla.Email, ["password"] = "correct horse" });

        var refused = await visitor.PostAsync("/councils/new", "/councils/new", new() { ["name"] = "  ", ["votingMinutes"] = "60" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        string html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("فیلد «نام» را بررسی کنید", html, StringComparison.Ordinal);
        Assert.Contains("dir=\"rtl\"", html, StringComparison.Ordinal);

        var wrong = await visitor.PostAsync("/signin", "/signin", new() { ["email"] = leyla.Email, ["password"] = "not her password" });
        Assert.Contains("نشانی ایمیل یا گذرواژه نادرست است.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Shura.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("the repository root (Shura.slnx) was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Slot();

    [GeneratedRegex(@"(?:\bW|\bWords)\[""([^""]+)""")]
    private static partial Regex Asked();
}
