using Shura.Core.Log;

namespace Shura.Core.Tests.Log;

public class LogEntryTests
{
    private static List<LogEntry> ThreeEntries()
    {
        var time = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        var first = LogEntry.Create("c", 1, time, "a", "council-created", "{\"name\":\"x\"}", LogEntry.Genesis);
        var second = LogEntry.Create("c", 2, time, "a", "member-joined", "{}", first.Hash);
        var third = LogEntry.Create("c", 3, time, "p:1", "ballot-cast", "{\"ballot\":{\"choice\":\"yes\"}}", second.Hash);
        return [first, second, third];
    }

    [Fact]
    public void An_untouched_chain_verifies() => Assert.Null(Chain.Verify(ThreeEntries()));

    [Fact]
    public void Changing_one_character_of_a_payload_is_caught_at_that_entry()
    {
        var entries = ThreeEntries();
        entries[2] = entries[2] with { Payload = entries[2].Payload.Replace("yes", "yeS", StringComparison.Ordinal) };

        var broken = Chain.Verify(entries);

        Assert.Equal(3, broken?.Sequence);
    }

    [Fact]
    public void Removing_an_entry_is_caught()
    {
        var entries = ThreeEntries();
        entries.RemoveAt(1);

        Assert.Equal(3, Chain.Verify(entries)?.Sequence);
    }

    [Fact]
    public void Rehashing_a_changed_entry_still_breaks_the_link_to_the_next()
    {
        var entries = ThreeEntries();
        var e = entries[1];
        entries[1] = LogEntry.Create(e.Chain, e.Sequence, e.Time, e.Actor, e.Type, "{\"forged\":true}", e.PreviousHash);

        Assert.Equal(3, Chain.Verify(entries)?.Sequence);
    }

    [Fact]
    public void The_hash_is_SHA_256_of_the_fields_joined_by_line_feeds()
    {
        // printf 'c\n1\n2026-11-24T12:00:00.0000000Z\na\nt\n0000…0000\n{}' | sha256sum
        var entry = LogEntry.Create("c", 1, new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero), "a", "t", "{}", LogEntry.Genesis);

        string text = $"c\n1\n2026-11-24T12:00:00.0000000Z\na\nt\n{LogEntry.Genesis}\n{{}}";
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))), entry.Hash);
    }
}
