using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Shura.Web.Tests.Support;

/// <summary>Someone with an account and a token.</summary>
public sealed record Person(string Id, string Name, string Email, string Token);

/// <summary>A response: status, problem code if any, and the JSON body.</summary>
public sealed record Reply(HttpStatusCode Status, string? ContentType, JsonElement Body)
{
    public string? Code => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("code", out var c) ? c.GetString() : null;

    public string Id => Body.GetProperty("id").GetString()!;

    public Reply Ok()
    {
        Assert.True((int)Status is >= 200 and < 300, $"expected success, got {(int)Status}: {Body}");
        return this;
    }
}

/// <summary>The API as a client script uses it, with builders that fill in sensible defaults.</summary>
public sealed class Api(HttpClient http)
{
    private static int _people;

    public HttpClient Http => http;

    /// <summary>Settings that let a test run a whole motion in seconds: one supporter, no deliberation, 3 s of voting.</summary>
    public static object QuickSettings(bool secret = true, bool live = true, string voting = "PT3S", string? quorum = null, string join = "open", string visibility = "public") => new
    {
        joinPolicy = join,
        visibility,
        supportThreshold = 1,
        deliberationPeriod = "PT0S",
        votingPeriod = voting,
        quorum,
        secretBallots = secret,
        liveResults = live,
    };

    public async Task<Reply> SendAsync(HttpMethod method, string path, object? body = null, Person? who = null, string? rawBody = null, string rawType = "application/json")
    {
        using var request = new HttpRequestMessage(method, "/api/v1" + path);
        if (who is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", who.Token);
        }
        if (rawBody is not null)
        {
            request.Content = new StringContent(rawBody, Encoding.UTF8, rawType);
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, json);
    }

    public Task<Reply> GetAsync(string path, Person? who = null) => SendAsync(HttpMethod.Get, path, null, who);

    /// <summary>
    /// Attaches an image file to a post (<c>POST /posts/{id}/images</c>, the file as the body), as a
    /// careful client sends a large body: asking first (Expect: 100-continue), so that the server may
    /// refuse it before a byte is sent.
    /// </summary>
    public async Task<Reply> UploadImageAsync(string post, Person? who, byte[] file, string contentType, string description = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/posts/{post}/images?description={Uri.EscapeDataString(description)}")
        {
            Content = new ByteArrayContent(file),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (who is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", who.Token);
        }
        request.Headers.ExpectContinue = true;
        using var response = await http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>A small picture, PNG-encoded, for tests that need an image and not what is in it.</summary>
    public static byte[] TinyPng()
    {
        using var bitmap = new SkiaSharp.SKBitmap(4, 4);
        using var encoded = SkiaSharp.SKImage.FromBitmap(bitmap).Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return encoded.ToArray();
    }

    public Task<Reply> PostAsync(string path, object? body = null, Person? who = null) => SendAsync(HttpMethod.Post, path, body, who);

    public async Task<Person> RegisterAsync(string name)
    {
        string email = $"{name.ToLowerInvariant().Replace(' ', '.')}.{Interlocked.Increment(ref _people)}.{Guid.NewGuid():N}@example.org";
        var account = (await PostAsync("/accounts", new { name, email, password = "correct horse" })).Ok();
        var token = (await PostAsync("/tokens", new { email, password = "correct horse" })).Ok();
        return new Person(account.Id, name, email, token.Body.GetProperty("token").GetString()!);
    }

    public async Task<string> CreateCouncilAsync(Person founder, object? settings = null, string name = "Bakery workers' council") =>
        (await PostAsync("/councils", new { name, description = "The council of the bakery on Hafez Street.", settings = settings ?? QuickSettings() }, founder)).Ok().Id;

    public async Task JoinAsync(string council, params Person[] people)
    {
        foreach (var person in people)
        {
            (await PostAsync($"/councils/{council}/members", null, person)).Ok();
        }
    }

    /// <summary>A member invites each person, who joins with the invitation: the way into a members-only council.</summary>
    public async Task JoinByInvitationAsync(string council, Person member, params Person[] people)
    {
        foreach (var person in people)
        {
            string invitation = (await PostAsync($"/councils/{council}/invitations", null, member)).Ok().Body.GetProperty("invitation").GetString()!;
            (await PostAsync($"/councils/{council}/members", new { invitation }, person)).Ok();
        }
    }

    public async Task<string> PutMotionAsync(string council, Person proposer, object motion) =>
        (await PostAsync($"/councils/{council}/motions", motion, proposer)).Ok().Id;

    public Task<Reply> CastAsync(string motion, Person? voter, object ballot) =>
        SendAsync(HttpMethod.Put, $"/motions/{motion}/ballot", ballot, voter);

    public async Task<JsonElement> MotionAsync(string motion, Person? who = null) => (await GetAsync($"/motions/{motion}", who)).Ok().Body;

    public async Task<string> StateAsync(string motion) => (await MotionAsync(motion)).GetProperty("state").GetString()!;

    /// <summary>A council's whole log, page after page.</summary>
    public async Task<JsonElement[]> LogAsync(string council, Person? who = null)
    {
        var all = new List<JsonElement>();
        long after = 0;
        while (true)
        {
            var page = (await GetAsync($"/councils/{council}/log?after={after}&limit=1000", who)).Ok().Body;
            all.AddRange(page.GetProperty("entries").EnumerateArray());
            if (page.GetProperty("next").ValueKind == JsonValueKind.Null)
            {
                return [.. all];
            }
            after = page.GetProperty("next").GetInt64();
        }
    }

    /// <summary>Waits (real time) until the motion reaches a state; fails after <paramref name="seconds"/>.</summary>
    public async Task<JsonElement> WaitForStateAsync(string motion, string state, double seconds = 15, Person? who = null)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var body = await MotionAsync(motion, who);
            if (body.GetProperty("state").GetString() == state)
            {
                return body;
            }
            Assert.True(waited.Elapsed.TotalSeconds < seconds, $"motion {motion} did not reach {state}; it is {body.GetProperty("state")}");
            await Task.Delay(50);
        }
    }
}
