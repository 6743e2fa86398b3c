using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Shura.Core.Councils;

/// <summary>
/// What a settings motion changes, by name (DESIGN §2): only these settings take the proposed
/// values when it passes, laid over the settings in force at that moment, so two settings motions
/// never undo each other. In the log it is a JSON object with exactly the changed settings, named
/// as in the council's settings: <c>{"visibility":"members"}</c>.
/// </summary>
[JsonConverter(typeof(SettingsChangeJson))]
public sealed record SettingsChange
{
    private SettingsChange(ImmutableSortedSet<string> names, CouncilSettings proposed)
    {
        Names = names;
        Proposed = proposed;
    }

    /// <summary>The settings it changes, by their names in JSON (camelCase).</summary>
    public ImmutableSortedSet<string> Names { get; }

    /// <summary>The proposed values (for the names changed; the others are the defaults and mean nothing).</summary>
    public CouncilSettings Proposed { get; }

    /// <summary>A change of the settings named (as in JSON: "votingPeriod"), to their values in <paramref name="proposed"/>.</summary>
    public static SettingsChange Of(IEnumerable<string> names, CouncilSettings proposed)
    {
        var known = Object(proposed);
        var set = ImmutableSortedSet.CreateRange(StringComparer.Ordinal, names);
        if (set.FirstOrDefault(n => !known.ContainsKey(n)) is { } unknown)
        {
            throw new ArgumentException($"\"{unknown}\" is not a council setting.", nameof(names));
        }
        return new SettingsChange(set, proposed);
    }

    /// <summary>The change from <paramref name="before"/> to <paramref name="after"/>: the settings whose values differ.</summary>
    public static SettingsChange Between(CouncilSettings before, CouncilSettings after)
    {
        var was = Object(before);
        var now = Object(after);
        var names = ImmutableSortedSet.CreateRange(StringComparer.Ordinal, now.Where(p => !JsonNode.DeepEquals(p.Value, was[p.Key])).Select(p => p.Key));
        return new SettingsChange(names, after);
    }

    /// <summary>The settings after this change is laid over <paramref name="current"/>.</summary>
    public CouncilSettings Apply(CouncilSettings current)
    {
        var merged = Object(current);
        var proposed = Object(Proposed);
        foreach (string name in Names)
        {
            merged[name] = proposed[name]?.DeepClone();
        }
        return merged.Deserialize<CouncilSettings>(Log.EventJson.Options)!;
    }

    public bool IsEmpty => Names.Count == 0;

    /// <summary>
    /// The settings as the log writes them: the one naming of settings a change refers to — every
    /// setting named, also one the log leaves out while it has its default.
    /// </summary>
    private static JsonObject Object(CouncilSettings settings)
    {
        var written = JsonSerializer.SerializeToNode(settings, Log.EventJson.Options)!.AsObject();
        foreach (var property in Log.EventJson.Options.GetTypeInfo(typeof(CouncilSettings)).Properties)
        {
            if (!written.ContainsKey(property.Name))
            {
                written[property.Name] = JsonSerializer.SerializeToNode(property.Get!(settings), property.PropertyType, Log.EventJson.Options);
            }
        }
        return written;
    }

    /// <summary>Writes only the changed settings; reads them back over the defaults.</summary>
    private sealed class SettingsChangeJson : JsonConverter<SettingsChange>
    {
        public override SettingsChange Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var changed = JsonNode.Parse(ref reader)?.AsObject() ?? throw new JsonException("A change of settings is a JSON object.");
            var merged = Object(CouncilSettings.Default);
            foreach (var (name, value) in changed)
            {
                if (!merged.ContainsKey(name))
                {
                    throw new JsonException($"\"{name}\" is not a council setting.");
                }
                merged[name] = value?.DeepClone();
            }
            var proposed = merged.Deserialize<CouncilSettings>(Log.EventJson.Options) ?? throw new JsonException("Unreadable settings.");
            return new SettingsChange(ImmutableSortedSet.CreateRange(StringComparer.Ordinal, changed.Select(p => p.Key)), proposed);
        }

        public override void Write(Utf8JsonWriter writer, SettingsChange change, JsonSerializerOptions options)
        {
            var all = Object(change.Proposed);
            writer.WriteStartObject();
            foreach (string name in change.Names)
            {
                writer.WritePropertyName(name);
                JsonSerializer.Serialize(writer, all[name], Log.EventJson.Options);
            }
            writer.WriteEndObject();
        }
    }
}
