using System.Net;
using Shura.Web.Fediverse;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Fediverse;

/// <summary>The server's outgoing requests to the federated social web never reach its own network in production, and read no more than they should.</summary>
public class SafeHttpTests
{
    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)] // the cloud metadata service
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("93.184.216.34", true)]
    [InlineData("2a00:1450:4001:80b::200e", true)]
    public void Only_public_addresses_are_public(string address, bool isPublic) =>
        Assert.Equal(isPublic, SafeHttp.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public async Task A_fetch_of_a_loopback_or_localhost_address_is_refused_in_production_and_made_when_tests_allow_it()
    {
        await using var server = await TestServer.StartAsync();
        string url = new Uri(server.Client.BaseAddress!, "/health").ToString();
        string byName = url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

        using var production = SafeHttp.Create(new FediverseOptions());
        var refused = await Assert.ThrowsAnyAsync<HttpRequestException>(() => production.GetAsync(url));
        Assert.IsType<RefusedDestinationException>(refused.InnerException ?? refused);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => production.GetAsync(byName));

        using var tests = SafeHttp.Create(new FediverseOptions(AllowPrivate: true));
        Assert.Equal(HttpStatusCode.OK, (await tests.GetAsync(url)).StatusCode);
    }
}
