using Microsoft.Extensions.Localization;
using Shura.Core.Motions;

namespace Shura.Web.Site;

/// <summary>
/// The title a reader sees. A person's motion keeps the words they wrote; the motions the council
/// opens itself — a by-election when seats fall vacant, a hide motion its members' flags open — have
/// titles the server wrote in English into the log, and are said in the reader's language.
/// </summary>
public static class MotionTitles
{
    public static string MotionTitle(this IStringLocalizer<Words> words, string kind, string title) => kind switch
    {
        "hide" => words[title],
        "election" when title.StartsWith(MotionRules.ByElectionTitle, StringComparison.Ordinal) =>
            words["By-election: {0}", title[MotionRules.ByElectionTitle.Length..]],
        _ => title,
    };

    public static string MotionTitle(this IStringLocalizer<Words> words, Motion motion) => words.MotionTitle(motion.Kind.Name(), motion.Title);

    /// <summary>A title where the motion's kind is not at hand (a notice, an e-mail): the council's own titles are known by their words.</summary>
    public static string MotionTitle(this IStringLocalizer<Words> words, string title) =>
        title.StartsWith(MotionRules.ByElectionTitle, StringComparison.Ordinal) ? words.MotionTitle("election", title)
        : HideTitles.Contains(title) ? words[title]
        : title;

    private static readonly HashSet<string> HideTitles = ["Keep a flagged post hidden?", "Keep a flagged comment hidden?"];

    /// <summary>A by-election's text, in the reader's language: how many seats of which mandate it fills.</summary>
    public static string? ByElectionText(this IStringLocalizer<Words> words, Motion motion, Formats formats) =>
        motion.ByElection && motion.Title.StartsWith(MotionRules.ByElectionTitle, StringComparison.Ordinal)
            ? words[motion.Seats == 1 ? "{0} seat of {1} is vacant until this election is decided." : "{0} seats of {1} are vacant until this election is decided.",
                formats.Number(motion.Seats), motion.Title[MotionRules.ByElectionTitle.Length..]].Value
            : null;
}
