using System.Diagnostics.Metrics;

namespace Shura.Storage;

/// <summary>
/// What the writer measures for the operator's metrics endpoint: commands by outcome, ballots
/// acknowledged, the size of each batch and the time it took to commit. Counts only: no person,
/// council, motion or ballot content is ever a tag.
/// </summary>
public static class Metrics
{
    public const string MeterName = "Shura";

    public static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Commands = Meter.CreateCounter<long>("shura.commands", "{command}", "Commands run by the writer, by outcome (accepted, refused)");

    public static readonly Counter<long> Ballots = Meter.CreateCounter<long>("shura.ballots", "{ballot}", "Ballots cast, changed or withdrawn, committed and acknowledged");

    public static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("shura.writer.batch.size", "{command}", "Commands committed together in one transaction");

    public static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>("shura.writer.commit.duration", "s", "From taking a batch to answering it, its commit included");
}
