using System.Text.Json.Serialization;

namespace Shura.Core.Motions;

/// <summary>
/// A member's ballot on one motion, in the API's shape: exactly one of <see cref="Choice"/>
/// (yes / no / abstain on a decision, or one option for plurality), <see cref="Ranking"/>
/// (options best first), <see cref="Approvals"/> or <see cref="Scores"/> (0–5 per option).
/// </summary>
public sealed record MotionBallot(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Choice = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Ranking = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Approvals = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, int>? Scores = null)
{
    /// <summary>
    /// Checks the ballot against the motion's kind and method and returns it in the one form the
    /// count reads (a plurality choice becomes a one-option ranking), or a refusal naming the field.
    /// </summary>
    public (MotionBallot? Ballot, Refusal? Refusal) Validate(Motion motion)
    {
        int given = (Choice is null ? 0 : 1) + (Ranking is null ? 0 : 1) + (Approvals is null ? 0 : 1) + (Scores is null ? 0 : 1);
        if (given != 1)
        {
            return (null, Refusal.Invalid(Codes.InvalidBallot, "A ballot has exactly one of choice, ranking, approvals or scores."));
        }
        if (motion.IsDecision)
        {
            return Choice is not null && DecisionBallots.TryParseChoice(Choice, out var c)
                ? (new MotionBallot(Choice: c.ToString().ToLowerInvariant()), null)
                : (null, Refusal.Invalid(Codes.WrongBallotKind, "A decision takes {\"choice\": \"yes\" | \"no\" | \"abstain\"}.", "choice"));
        }

        var options = motion.Options;
        switch (motion.Method)
        {
            case TallyMethod.Plurality when Choice is not null:
                return options.Contains(Choice)
                    ? (new MotionBallot(Ranking: [Choice]), null)
                    : (null, UnknownOption(Choice, "choice"));
            case TallyMethod.Approval:
                if (Approvals is null)
                {
                    return (null, Refusal.Invalid(Codes.WrongBallotKind, "An approval vote takes {\"approvals\": [options]}.", "approvals"));
                }
                return CheckList(Approvals, options, "approvals", allowEmpty: true) is Refusal a
                    ? (null, a)
                    : (new MotionBallot(Approvals: [.. Approvals]), null);
            case TallyMethod.Score:
                if (Scores is null)
                {
                    return (null, Refusal.Invalid(Codes.WrongBallotKind, "A score vote takes {\"scores\": {option: 0 to 5}}.", "scores"));
                }
                foreach (var (option, score) in Scores)
                {
                    if (!options.Contains(option))
                    {
                        return (null, UnknownOption(option, "scores"));
                    }
                    if (score is < 0 or > ScoreBallots.MaxScore)
                    {
                        return (null, Refusal.Unprocessable(Codes.ScoreOutOfRange, $"The score of \"{option}\" must be from 0 to 5, not {score}.", "scores"));
                    }
                }
                return (new MotionBallot(Scores: new Dictionary<string, int>(Scores)), null);
            default:
                if (Ranking is null)
                {
                    return (null, Refusal.Invalid(Codes.WrongBallotKind, $"A {motion.Method.Name()} vote takes {{\"ranking\": [options, best first]}}.", "ranking"));
                }
                return CheckList(Ranking, options, "ranking", allowEmpty: false) is Refusal r
                    ? (null, r)
                    : (new MotionBallot(Ranking: [.. Ranking]), null);
        }
    }

    /// <summary>
    /// Whether two ballots say the same: the same choice, the same ranking in the same order, the
    /// same approvals and the same scores (in whatever order those two were written).
    /// </summary>
    public bool SameAs(MotionBallot other) =>
        Choice == other.Choice
        && Same(Ranking, other.Ranking, (a, b) => a.SequenceEqual(b, StringComparer.Ordinal))
        && Same(Approvals, other.Approvals, (a, b) => a.ToHashSet(StringComparer.Ordinal).SetEquals(b))
        && Same(Scores, other.Scores, (a, b) => a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out int v) && v == p.Value));

    private static bool Same<T>(T? a, T? b, Func<T, T, bool> equal) where T : class =>
        a is null ? b is null : b is not null && equal(a, b);

    private static Refusal? CheckList(IReadOnlyList<string> list, IReadOnlyList<string> options, string field, bool allowEmpty)
    {
        if (list.Count == 0 && !allowEmpty)
        {
            return Refusal.Invalid(Codes.InvalidBallot, $"{field} needs at least one option.", field);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string option in list)
        {
            if (!options.Contains(option))
            {
                return UnknownOption(option, field);
            }
            if (!seen.Add(option))
            {
                return Refusal.Unprocessable(Codes.DuplicateRanking, $"\"{option}\" appears twice in {field}.", field);
            }
        }
        return null;
    }

    private static Refusal UnknownOption(string option, string field) =>
        Refusal.Unprocessable(Codes.UnknownOption, $"\"{option}\" is not an option of this motion.", field);
}
