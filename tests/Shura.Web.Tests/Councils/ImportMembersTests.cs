using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Councils;

/// <summary>
/// `shura import members` and the page's upload (DESIGN §7): a member invites a list of people by
/// e-mail in one step, through the API with their own token; a list with one bad row invites nobody
/// and names the line and column. The e-mails go through a real SMTP server on loopback.
/// </summary>
public partial class ImportMembersTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    [GeneratedRegex(@"https?://[^\s]+/councils/[0-9a-f-]+/join\?invitation=([^\s]+)")]
    private static partial Regex InvitationLink();

    private static string List(int people, Func<int, string>? row = null)
    {
        var text = new StringBuilder("name,email\n");
        for (int i = 1; i <= people; i++)
        {
            text.Append(row?.Invoke(i) ?? $"Person {i},person.{i}@example.org").Append('\n');
        }
        return text.ToString();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_list_of_a_thousand_people_invites_them_all_and_each_link_lets_one_person_in_once(string engine)
    {
        using var smtp = await SmtpSink.StartAsync(m => m.GetProperty("subject").GetString()!.Contains("invites you", StringComparison.Ordinal));
        await using var server = await TestServer.StartAsync(engine, smtp: $"smtp://127.0.0.1:{smtp.Port}");
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        string council = await api.CreateCouncilAsync(leyla, Api.QuickSettings(join: "invitation"), name: "Bakery council");
        string file = Path.Combine(Directory.CreateTempSubdirectory("shura-import-").FullName, "people.csv");
        await File.WriteAllTextAsync(file, List(1000));

        var (code, output, errors) = ShuraCli.Run("import", "members", "--council", council, "--server", server.Client.BaseAddress!.ToString(), "--token", leyla.Token, file);
        Assert.True(code == 0, errors);
        Assert.Equal("1000 invitations sent", output.Trim());
        using (var c = server.Database.OpenConnection())
        {
            Assert.Equal(1000L, c.ExecuteScalar<long>("SELECT COUNT(*) FROM invitations WHERE council_id = @council AND created_by = @by", new { council, by = leyla.Id }));
        }
        var mails = await smtp.WaitAsync(1000, seconds: 180);
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => $"person.{i}@example.org").Order(), mails.Select(m => m.GetProperty("envelopeTo")[0].GetString()!).Order());
        var mail = mails.Single(m => m.GetProperty("envelopeTo")[0].GetString() == "person.500@example.org");
        Assert.Equal("Leyla invites you to Bakery council on Shura", mail.GetProperty("subject").GetString());
        string text = mail.GetProperty("text").GetString()!;
        Assert.Contains("Hello Person 500,", text, StringComparison.Ordinal);

        // The link lets the person in, once.
        string invitation = Uri.UnescapeDataString(InvitationLink().Match(text).Groups[1].Value);
        var newcomer = await api.RegisterAsync("Person 500");
        (await api.PostAsync($"/councils/{council}/members", new { invitation }, newcomer)).Ok();
        var second = await api.RegisterAsync("Someone else");
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"/councils/{council}/members", new { invitation }, second)).Status);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_list_with_one_bad_row_invites_nobody_and_names_its_line_and_column(string engine)
    {
        using var smtp = await SmtpSink.StartAsync();
        await using var server = await TestServer.StartAsync(engine, smtp: $"smtp://127.0.0.1:{smtp.Port}");
        var api = server.Api();
        var leyla = await api.RegisterAsync("Leyla");
        var stranger = await api.RegisterAsync("Stranger");
        string council = await api.CreateCouncilAsync(leyla);
        string hidden = await api.CreateCouncilAsync(leyla, Api.QuickSettings(visibility: "members"), name: "Quiet council");
        await smtp.WaitAsync(2); // the sign-up e-mails
        await server.MailerDoneAsync();
        string before = Store.Snapshot(server.Database);

        async Task<(int Line, int Column)> RefusedAsync(string list)
        {
            var (line, column, _) = await RefusedWithDetailAsync(list);
            return (line, column);
        }
        async Task<(int Line, int Column, string Detail)> RefusedWithDetailAsync(string list)
        {
            var reply = await api.SendAsync(HttpMethod.Post, $"/councils/{council}/invitations/import", null, leyla, rawBody: list, rawType: "text/csv");
            Assert.Equal((HttpStatusCode.UnprocessableEntity, "invalid-list", "application/problem+json"), (reply.Status, reply.Code, reply.ContentType));
            return (reply.Body.GetProperty("line").GetInt32(), reply.Body.GetProperty("column").GetInt32(), reply.Body.GetProperty("detail").GetString()!);
        }

        Assert.Equal((500, 2), (await RefusedAsync(List(1000, i => i == 499 ? "Person 499,not-an-address" : $"Person {i},person.{i}@example.org"))));
        Assert.Equal((1, 1), (await RefusedAsync("email,name\nLeyla,leyla@example.org\n")));
        Assert.Equal((3, 3), (await RefusedAsync("name,email\nA,a@example.org\nB,b@example.org,extra\n")));
        Assert.Equal((3, 1), (await RefusedAsync("name,email\nA,a@example.org\n,b@example.org\n")));
        var twice = await RefusedWithDetailAsync("name,email\nA,a@example.org\nB,A@Example.org\n");
        Assert.Equal((3, 2), (twice.Line, twice.Column));
        Assert.Contains("line 2", twice.Detail, StringComparison.Ordinal);
        Assert.Equal((2, 1), (await RefusedAsync("name,email\n")));
        Assert.Equal(2, (await RefusedAsync("name,email\nA,a@exa\"mple.org\n")).Line);
        Assert.Equal(before, Store.Snapshot(server.Database));

        // Only a member invites; a council one may not read is not there at all.
        Assert.Equal("not-a-member", (await api.SendAsync(HttpMethod.Post, $"/councils/{council}/invitations/import", null, stranger, rawBody: List(2), rawType: "text/csv")).Code);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Post, $"/councils/{hidden}/invitations/import", null, stranger, rawBody: List(2), rawType: "text/csv")).Status);
        Assert.Equal(before, Store.Snapshot(server.Database));

        // The command line says the same, and imports nothing.
        string file = Path.Combine(Directory.CreateTempSubdirectory("shura-import-").FullName, "people.csv");
        await File.WriteAllTextAsync(file, "name,email\nA,a@example.org\nB,b-at-example.org\n");
        var (code, _, errors) = ShuraCli.Run("import", "members", "--council", council, "--server", server.Client.BaseAddress!.ToString(), "--token", leyla.Token, file);
        Assert.Equal(2, code);
        Assert.Contains("line 3, column 2", errors, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", errors, StringComparison.Ordinal);

        // The page: the same upload, the same answer, in Persian too.
        using var page = await new Visitor(server.Client.BaseAddress!).SignInAsync(leyla);
        await server.MailerDoneAsync();
        before = Store.Snapshot(server.Database); // with the session signing in opened
        var refused = await page.PostFileAsync($"/councils/{council}", $"/councils/{council}?handler=ImportMembers", [], "list",
            Encoding.UTF8.GetBytes("name,email\nA,a@example.org\nB,b-at-example.org\n"), "text/csv");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("line 3, column 2", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, Store.Snapshot(server.Database));
        var invited = await page.PostFileAsync($"/councils/{council}", $"/councils/{council}?handler=ImportMembers", [], "list",
            Encoding.UTF8.GetBytes(List(3)), "text/csv");
        Assert.Contains("3 invitations are on their way.", await invited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(3, (await smtp.WaitAsync(5)).Count(m => m.GetProperty("subject").GetString()!.Contains("invites you", StringComparison.Ordinal)));
    }
}
