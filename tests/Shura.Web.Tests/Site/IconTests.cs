using System.Net;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Site;

public class IconTests
{
    [Fact]
    public async Task The_pages_name_an_icon_and_favicon_ico_leads_to_it()
    {
        await using var server = await TestServer.StartAsync();
        string home = await server.Client.GetStringAsync("/");
        Assert.Contains("<link rel=\"icon\" href=\"/static/icon.svg\" type=\"image/svg+xml\">", home, StringComparison.Ordinal);
        using var asked = await server.Client.GetAsync("/favicon.ico"); // the client follows the redirect
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Equal("image/svg+xml", asked.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("<svg", await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
