using System.Text.Json;
using Shura.Core.Councils;
using Shura.Core.Log;

namespace Shura.Core.Tests.Councils;

public class SettingsChangeTests
{
    [Fact]
    public void A_change_names_only_the_settings_that_differ_and_is_written_with_only_those()
    {
        var hidden = CouncilSettings.Default with { Visibility = Visibility.Members };

        var change = SettingsChange.Between(CouncilSettings.Default, hidden);

        Assert.Equal(["visibility"], change.Names);
        Assert.Equal("{\"visibility\":\"members\"}", JsonSerializer.Serialize(change, EventJson.Options));
    }

    [Fact]
    public void Two_changes_passed_one_after_the_other_both_hold()
    {
        var hide = SettingsChange.Between(CouncilSettings.Default, CouncilSettings.Default with { Visibility = Visibility.Members });
        var quiet = SettingsChange.Between(CouncilSettings.Default, CouncilSettings.Default with { LiveResults = false });

        var after = quiet.Apply(hide.Apply(CouncilSettings.Default));

        Assert.Equal(CouncilSettings.Default with { Visibility = Visibility.Members, LiveResults = false }, after);
    }

    [Fact]
    public void A_change_read_back_from_the_log_applies_the_same()
    {
        var change = SettingsChange.Of(["supportThreshold", "votingPeriod"], CouncilSettings.Default with { SupportThreshold = null, VotingPeriod = TimeSpan.FromHours(5) });
        var current = CouncilSettings.Default with { SupportThreshold = 7, Quorum = new Shura.Core.Counting.Quorum(1, 3) };

        var read = JsonSerializer.Deserialize<SettingsChange>(JsonSerializer.Serialize(change, EventJson.Options), EventJson.Options)!;

        Assert.Equal(change.Apply(current), read.Apply(current));
        Assert.Equal(current with { SupportThreshold = null, VotingPeriod = TimeSpan.FromHours(5) }, read.Apply(current));
    }

    [Fact]
    public void A_name_that_is_no_setting_is_refused_when_read()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<SettingsChange>("{\"admin\":true}", EventJson.Options));
    }
}
