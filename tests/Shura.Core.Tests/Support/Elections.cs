using System.Text.Json;
using System.Text.Json.Serialization;
using CsCheck;
using Shura.Core.Ballots;
using Shura.Core.Counting;

namespace Shura.Core.Tests.Support;

/// <summary>A random election for property tests: candidates 0..m-1 and grouped ballots.</summary>
public sealed record Election(int Candidates, Election.Ballot[] Ballots)
{
    public sealed record Ballot(ushort[] Ranking, ushort[] Ranks, int Count);

    public static string[] Names(int m, string prefix = "c") =>
        [.. Enumerable.Range(0, m).Select(i => $"<{prefix}{i}>")];

    public BallotBox Box(string prefix = "c") => Box(Ballots, prefix);

    public BallotBox Box(IEnumerable<Ballot> ballots, string prefix = "c")
    {
        var builder = new BallotBoxBuilder([.. Names(Candidates, prefix)]);
        foreach (var b in ballots)
        {
            builder.Add(b.Ranking, b.Ranks, b.Count);
        }
        return builder.Build();
    }

    public override string ToString() =>
        $"{Candidates} candidates: " + string.Join("; ", Ballots.Select(b =>
            $"{b.Count}: " + string.Join(' ', b.Ranking.Select((c, i) => (i > 0 && b.Ranks[i] == b.Ranks[i - 1] ? "=" : "") + c))));

    /// <summary>One ballot: a shuffled order of the candidates, cut short unless complete, with some equal ranks if ties.</summary>
    public static Gen<Ballot> BallotOf(int m, bool ties, bool complete) =>
        Gen.Select(
            Gen.Shuffle(Enumerable.Range(0, m).Select(i => (ushort)i).ToArray()),
            Gen.Int[complete ? m : 0, m],
            Gen.Int[0, 3].Array[m],
            Gen.Int[1, 4],
            (order, length, tie, count) =>
            {
                var ranks = new ushort[length];
                for (int i = 1; i < length; i++)
                {
                    ranks[i] = (ushort)(ranks[i - 1] + (ties && tie[i] == 0 ? 0 : 1));
                }
                return new Ballot(order[..length], ranks, count);
            });

    public static Gen<Election> Random(int minCandidates, int maxCandidates, bool ties, bool complete = false, int maxBallots = 30) =>
        CsCheck.Gen.Int[minCandidates, maxCandidates].SelectMany(m =>
            BallotOf(m, ties, complete).Array[1, maxBallots].Select(ballots => new Election(m, ballots)));

    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Everything a result says, as text, so two results can be compared whole.</summary>
    public static string Fingerprint(TallyResult result, bool withSeed = true) =>
        JsonSerializer.Serialize(new
        {
            result.Method,
            result.Seats,
            result.Ballots,
            result.Invalid,
            result.Candidates,
            result.Winners,
            result.Ranking,
            result.Quota,
            Lot = withSeed ? result.Lot : result.Lot with { Seed = "" },
            Rounds = result.Rounds.Cast<object>(),
        }, Json);
}
