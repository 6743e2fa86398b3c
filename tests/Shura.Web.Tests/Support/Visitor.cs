using System.Net;
using System.Text.RegularExpressions;

namespace Shura.Web.Tests.Support;

/// <summary>A browser without a browser: cookies kept, forms posted with the token from the page.</summary>
public sealed partial class Visitor : IDisposable
{
    private readonly HttpClient _http;

    public Visitor(Uri server)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = server };
    }

    public CookieContainer Cookies { get; }

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    /// <summary>Any request, with this visitor's cookies.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => _http.SendAsync(request);

    /// <summary>Loads the page, takes its antiforgery token, and posts the form (or posts without a token when told to).</summary>
    public async Task<HttpResponseMessage> PostAsync(string page, string action, Dictionary<string, string> fields, bool withToken = true)
    {
        string html = await (await _http.GetAsync(page)).Content.ReadAsStringAsync();
        if (withToken)
        {
            fields["__shura"] = Token().Match(html).Groups[1].Value;
        }
        return await _http.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    /// <summary>Loads the page, takes its antiforgery token, and posts the form as multipart, with one file, as a browser sends a file input.</summary>
    public async Task<HttpResponseMessage> PostFileAsync(string page, string action, Dictionary<string, string> fields, string fileField, byte[] file, string contentType)
    {
        string html = await (await _http.GetAsync(page)).Content.ReadAsStringAsync();
        using var form = new MultipartFormDataContent();
        fields["__shura"] = Token().Match(html).Groups[1].Value;
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        form.Add(content, fileField, "photo");
        return await _http.PostAsync(action, form);
    }

    /// <summary>Signs in through the sign-in page, as a person does.</summary>
    public async Task<Visitor> SignInAsync(Person person)
    {
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync("/signin", "/signin", new() { ["email"] = person.Email, ["password"] = "correct horse" })).StatusCode);
        return this;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Sends the page's language, as a browser set to it does.</summary>
    public void Speak(string language) => _http.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);

    [GeneratedRegex(@"name=""__shura"" type=""hidden"" value=""([^""]+)""")]
    private static partial Regex Token();
}
