using Shura.Core.Counting;

namespace Shura.Cli.Tally;

/// <summary>
/// The machine-readable result of <c>shura tally --json</c>: exactly one JSON object on standard
/// output, in the shape the API and the log use too (<see cref="Core.Counting.TallyJson"/>).
/// </summary>
internal static class TallyJsonOutput
{
    public static void Write(TallyResult result, TextWriter stdout) =>
        stdout.WriteLine(Core.Counting.TallyJson.Write(Core.Counting.TallyJson.ToJson(result)));

    public static void Write(DecisionResult result, TextWriter stdout) =>
        stdout.WriteLine(Core.Counting.TallyJson.Write(Core.Counting.TallyJson.ToJson(result)));
}
