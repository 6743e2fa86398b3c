using System.Globalization;

namespace Shura.Core;

/// <summary>
/// Checks on what people write: free texts (descriptions, motions, amendments, reports), and the
/// names they know each other and their councils by (display names, council and mandate names,
/// titles, options). Both engines must give the same answer, so nothing that one of them cannot
/// store (a NUL character, broken UTF-16) gets past here.
/// </summary>
public static class Text
{
    /// <summary>
    /// A refusal when free text is missing, blank, outside the length bounds, or holds what no text
    /// needs: control characters other than tabs and line breaks (NUL among them), or a lone half of
    /// a surrogate pair.
    /// </summary>
    public static Refusal? Problem(string? value, string field, int min, int max)
    {
        if (value is null || value.Trim().Length < min)
        {
            return Refusal.Invalid(Codes.InvalidField, min <= 1 ? $"{field} is required." : $"{field} needs at least {min} characters.", field);
        }
        if (value.Length > max)
        {
            return Refusal.Invalid(Codes.InvalidField, $"{field} may have at most {max} characters.", field);
        }
        if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            return Refusal.Invalid(Codes.InvalidField, $"{field} contains control characters.", field);
        }
        if (!IsWellFormed(value))
        {
            return Refusal.Invalid(Codes.InvalidField, $"{field} is not well-formed text (a lone surrogate).", field);
        }
        return null;
    }

    /// <summary>Free text that may be empty (a description, a motion's text): <see cref="Problem"/> without a least length.</summary>
    public static Refusal? Optional(string? value, string field, int max) => Problem(value ?? "", field, 0, max);

    /// <summary>
    /// A refusal for a name people see one another and their councils by: besides <see cref="Problem"/>'s
    /// rules, one line, and nothing invisible that could make one name look like another —
    /// no bidirectional controls (which reorder what follows them), no zero-width or other format
    /// characters, no space but the plain one, no blank letters. The zero-width non-joiner that
    /// Persian writes with (U+200C, نیم‌فاصله) is allowed between two letters of a script that joins,
    /// and the zero-width joiner between the parts of an emoji.
    /// </summary>
    public static Refusal? NameProblem(string? value, string field, int min, int max)
    {
        if (Problem(value, field, min, max) is { } refusal)
        {
            return refusal;
        }
        for (int i = 0; i < value!.Length; i++)
        {
            if (!MayStandInName(value, i))
            {
                return Refusal.Invalid(Codes.InvalidField,
                    $"{field} contains an invisible or direction-changing character (U+{(int)value[i]:X4}) at position {i + 1}: names may not, so that nobody can look like someone else.", field);
            }
        }
        return null;
    }

    private static bool MayStandInName(string s, int i)
    {
        char c = s[i];
        if (c is '\n' or '\r' or '\t' or '\u115F' or '\u1160' or '\u3164' or '\uFFA0' or '\u2800')
        {
            return false; // line breaks, and the "filler" letters that draw nothing
        }
        if (char.IsWhiteSpace(c))
        {
            return c == ' ';
        }
        if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format)
        {
            return true;
        }
        char before = i > 0 ? s[i - 1] : '\0';
        char after = i + 1 < s.Length ? s[i + 1] : '\0';
        return c switch
        {
            '\u200C' => JoiningLetter(before) && JoiningLetter(after),
            '\u200D' => (char.IsLowSurrogate(before) || before == '\uFE0F') && char.IsHighSurrogate(after),
            _ => false,
        };
    }

    /// <summary>A letter of a script written joined up (Arabic, Persian, the Indic scripts…): not Latin, Greek or Cyrillic.</summary>
    private static bool JoiningLetter(char c) => char.IsLetter(c) && c > '\u052F';

    /// <summary>True when every surrogate is half of a pair: text that both engines can store.</summary>
    public static bool IsWellFormed(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return false;
            }
        }
        return true;
    }
}
