using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Shura.Cli.Councils;

/// <summary>
/// <c>shura import members --council ID FILE.csv [--server URL] [--token TOKEN]</c>: invites a list
/// of people (CSV: name,email) by e-mail in one step. It acts as a member, through the server's API
/// with the member's personal access token — the same as the page's upload, under the same rules —
/// never as an operator reaching into the store: no account stands above the members (P4).
/// </summary>
internal static class ImportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var council = new Option<string>("--council") { Description = "The council's id", Required = true };
        var server = new Option<string>("--server")
        {
            Description = "The Shura server (default http://127.0.0.1:5000, as `shura serve` listens)",
            DefaultValueFactory = _ => "http://127.0.0.1:5000",
        };
        var token = new Option<string?>("--token") { Description = "A member's personal access token (default: the SHURA_TOKEN environment variable)" };
        var file = new Argument<FileInfo>("FILE") { Description = "The list: a CSV file with the header name,email and one person per line" };
        var members = new Command("members", "Invite a list of people to a council by e-mail, as one of its members") { council, server, token, file };
        members.SetAction(async (parsed, ct) =>
        {
            string? secret = parsed.GetValue(token) ?? Environment.GetEnvironmentVariable("SHURA_TOKEN");
            if (string.IsNullOrEmpty(secret))
            {
                await stderr.WriteLineAsync("shura import: a member's token is needed: --token or SHURA_TOKEN (make one on your account page or with POST /api/v1/tokens)");
                return Shell.BadInput;
            }
            if (!Guid.TryParse(parsed.GetValue(council), out var id))
            {
                await stderr.WriteLineAsync($"shura import: --council \"{parsed.GetValue(council)}\" is not a council id");
                return Shell.BadInput;
            }
            var list = parsed.GetValue(file)!;
            if (!list.Exists)
            {
                await stderr.WriteLineAsync($"shura import: {list.FullName}: no such file");
                return Shell.BadInput;
            }
            using var http = new HttpClient { BaseAddress = new Uri(parsed.GetValue(server)!) };
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/councils/{id}/invitations/import")
            {
                Content = new ByteArrayContent(await File.ReadAllBytesAsync(list.FullName, ct)) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } },
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, ct);
            }
            catch (HttpRequestException e)
            {
                await stderr.WriteLineAsync($"shura import: cannot reach {http.BaseAddress}: {e.Message}");
                return Shell.BadInput;
            }
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct) is { Length: > 0 } text ? text : "{}");
            if (response.IsSuccessStatusCode)
            {
                await stdout.WriteLineAsync($"{body.RootElement.GetProperty("invited").GetInt32()} invitations sent");
                return Shell.Success;
            }
            string detail = body.RootElement.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : response.ReasonPhrase ?? "";
            await stderr.WriteLineAsync($"shura import: {list.Name}: {detail} (nothing was imported)");
            return Shell.BadInput;
        });
        return new Command("import", "Import into a council") { members };
    }
}
