using System.Net;
using System.Net.Http.Headers;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Site;

public class StatusPageTests
{
    [Theory]
    [InlineData("en", "ltr", "This page does not exist.")]
    [InlineData("fa", "rtl", "۴۰۴")]
    public async Task A_page_that_does_not_exist_says_so_in_the_readers_language(string language, string direction, string said)
    {
        await using var server = await TestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no/such/page");
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        using var response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<html lang=\"{language}\" dir=\"{direction}\">", html, StringComparison.Ordinal);
        Assert.Contains(said, html, StringComparison.Ordinal);
        if (language == "fa")
        {
            Assert.DoesNotContain("This page does not exist.", html, StringComparison.Ordinal);
        }
    }
}
