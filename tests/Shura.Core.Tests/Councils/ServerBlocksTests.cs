using System.Text.Json;
using Shura.Core.Councils;
using Shura.Core.Log;

namespace Shura.Core.Tests.Councils;

public class ServerBlocksTests
{
    [Theory]
    [InlineData("Bad.Example", "bad.example")]
    [InlineData("  bad.example. ", "bad.example")]
    [InlineData("مثال.ایران", "xn--mgbh0fb.xn--mgba3a4f16a")]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("[2001:DB8::1]", "2001:db8::1")]
    public void A_server_is_kept_by_its_host_name_in_lower_case_ascii_or_by_its_address(string given, string kept) =>
        Assert.Equal(kept, ServerBlocks.Normalize(given));

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("https://bad.example/")]
    [InlineData("bad.example/users")]
    [InlineData("bad example")]
    [InlineData("bad..example")]
    [InlineData("bad.example:443")]
    public void Anything_but_a_server_is_not_one(string given) => Assert.Null(ServerBlocks.Normalize(given));

    [Fact]
    public void A_list_is_kept_once_each_in_order_and_an_empty_one_is_none()
    {
        var kept = ServerBlocks.Of(["b.example", "A.example", "a.example."]);
        Assert.Null(kept.Refusal);
        Assert.Equal(["a.example", "b.example"], kept.Value!);
        Assert.Null(ServerBlocks.Of([]).Value);
        Assert.Null(ServerBlocks.Of([]).Refusal);
    }

    [Fact]
    public void A_bad_entry_is_named_with_its_place_in_the_list()
    {
        var refused = ServerBlocks.Of(["good.example", "https://bad.example"]).Refusal!;
        Assert.Equal(Codes.InvalidField, refused.Code);
        Assert.Equal("settings.blockedServers", refused.Field);
        Assert.Contains("blockedServers[1]", refused.Message, StringComparison.Ordinal);
        Assert.Equal(Codes.InvalidField, ServerBlocks.Of(Enumerable.Range(0, ServerBlocks.Most + 1).Select(i => $"s{i}.example")).Refusal!.Code);
    }

    [Theory]
    [InlineData("bad.example", true)]
    [InlineData("BAD.example", true)]
    [InlineData("social.bad.example", true)]
    [InlineData("notbad.example", false)]
    [InlineData("bad.example.org", false)]
    [InlineData("192.0.2.7", true)]
    [InlineData("192.0.2.70", false)]
    [InlineData("1.192.0.2.7", false)]
    [InlineData("[2001:db8::1]", true)]
    [InlineData("good.example", false)]
    public void A_block_holds_for_the_server_and_its_subdomains_and_an_address_for_itself_only(string host, bool blocked) =>
        Assert.Equal(blocked, ServerBlocks.Blocks(["192.0.2.7", "2001:db8::1", "bad.example"], host));

    [Fact]
    public void Settings_without_blocks_are_written_as_before_so_older_logs_still_verify()
    {
        string written = JsonSerializer.Serialize(CouncilSettings.Default, EventJson.Options);
        Assert.DoesNotContain("blockedServers", written, StringComparison.Ordinal);
        var blocking = CouncilSettings.Default with { BlockedServers = ["bad.example"] };
        var read = JsonSerializer.Deserialize<CouncilSettings>(JsonSerializer.Serialize(blocking, EventJson.Options), EventJson.Options)!;
        Assert.Equal(["bad.example"], read.BlockedServers!);

        var change = SettingsChange.Between(CouncilSettings.Default, blocking);
        Assert.Equal(["blockedServers"], change.Names);
        Assert.Equal("{\"blockedServers\":[\"bad.example\"]}", JsonSerializer.Serialize(change, EventJson.Options));
        Assert.Null(SettingsChange.Between(blocking, CouncilSettings.Default).Apply(blocking).BlockedServers);
    }

    [Fact]
    public void Settings_read_back_with_a_list_not_as_kept_are_a_problem()
    {
        Assert.Equal(Codes.InvalidField, (CouncilSettings.Default with { BlockedServers = ["Bad.Example"] }).Problem()!.Code);
        Assert.Null((CouncilSettings.Default with { BlockedServers = ["bad.example"] }).Problem());
    }
}
