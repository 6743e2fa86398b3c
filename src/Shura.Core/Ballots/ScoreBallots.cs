using System.Collections.Immutable;

namespace Shura.Core.Ballots;

/// <summary>
/// Score ballots (each candidate gets 0 to <see cref="MaxScore"/>), grouped like
/// <see cref="BallotBox"/>: identical ballots are stored once with their count.
/// A candidate a voter left blank scores 0.
/// </summary>
public sealed class ScoreBallots
{
    public const int MaxScore = 5;

    private readonly byte[] _scores;
    private readonly int[] _counts;

    private ScoreBallots(ImmutableArray<string> candidates, byte[] scores, int[] counts)
    {
        Candidates = candidates;
        _scores = scores;
        _counts = counts;
        VoterCount = counts.Sum(c => (long)c);
    }

    public ImmutableArray<string> Candidates { get; }

    public int GroupCount => _counts.Length;

    public long VoterCount { get; }

    public int Count(int group) => _counts[group];

    /// <summary>The score ballot <paramref name="group"/> gives to each candidate, by index.</summary>
    public ReadOnlySpan<byte> Scores(int group) =>
        _scores.AsSpan(group * Candidates.Length, Candidates.Length);

    public ScoreBallots WithCandidates(ImmutableArray<string> names) =>
        names.Length == Candidates.Length
            ? new ScoreBallots(names, _scores, _counts)
            : throw new ArgumentException($"Expected {Candidates.Length} names.", nameof(names));

    public sealed class Builder(ImmutableArray<string> candidates)
    {
        private readonly Dictionary<string, int> _groups = new(StringComparer.Ordinal);
        private readonly List<byte> _scores = [];
        private readonly List<int> _counts = [];

        /// <summary>Adds <paramref name="count"/> voters who gave exactly these scores.</summary>
        public void Add(ReadOnlySpan<byte> scores, int count)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
            if (scores.Length != candidates.Length)
            {
                throw new ArgumentException($"Expected {candidates.Length} scores.", nameof(scores));
            }
            foreach (byte score in scores)
            {
                ArgumentOutOfRangeException.ThrowIfGreaterThan(score, (byte)MaxScore, nameof(scores));
            }

            // Scores are 0..5, so each one is a character of a short key.
            string key = string.Create(scores.Length, scores.ToArray(), static (span, s) =>
            {
                for (int i = 0; i < s.Length; i++)
                {
                    span[i] = (char)('0' + s[i]);
                }
            });
            if (_groups.TryGetValue(key, out int group))
            {
                _counts[group] = checked(_counts[group] + count);
                return;
            }
            _groups.Add(key, _counts.Count);
            _counts.Add(count);
            foreach (byte score in scores)
            {
                _scores.Add(score);
            }
        }

        public ScoreBallots Build() => new(candidates, [.. _scores], [.. _counts]);
    }
}
