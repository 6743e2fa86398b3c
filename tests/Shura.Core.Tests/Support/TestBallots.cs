using Shura.Core.Ballots;

namespace Shura.Core.Tests.Support;

/// <summary>
/// Builds ballot boxes from a short notation: <c>"5: A>C>B"</c> is five voters ranking A, then C,
/// then B; <c>"2: A=B>C"</c> ranks A and B equal first; <c>"1:"</c> is a blank ballot.
/// </summary>
public static class TestBallots
{
    public static BallotBox Of(string candidates, params string[] ballots)
    {
        var names = candidates.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var builder = new BallotBoxBuilder([.. names]);
        foreach (string ballot in ballots)
        {
            var (ranking, ranks, count) = ParseOne(ballot, names);
            builder.Add(ranking, ranks, count);
        }
        return builder.Build();
    }

    public static (ushort[] Ranking, ushort[] Ranks, int Count) ParseOne(string ballot, string[] names)
    {
        int colon = ballot.IndexOf(':');
        int count = int.Parse(ballot[..colon]);
        var ranking = new List<ushort>();
        var ranks = new List<ushort>();
        string order = ballot[(colon + 1)..].Trim();
        if (order.Length > 0)
        {
            var levels = order.Split('>');
            for (int level = 0; level < levels.Length; level++)
            {
                foreach (string name in levels[level].Split('='))
                {
                    int index = Array.IndexOf(names, name.Trim());
                    Assert.True(index >= 0, $"unknown candidate {name} in test ballot \"{ballot}\"");
                    ranking.Add((ushort)index);
                    ranks.Add((ushort)level);
                }
            }
        }
        return ([.. ranking], [.. ranks], count);
    }
}
