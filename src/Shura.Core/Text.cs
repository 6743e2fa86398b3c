namespace Shura.Core;

/// <summary>Checks on free text that members write: names, titles, motion texts.</summary>
public static class Text
{
    /// <summary>A refusal when <paramref name="value"/> is missing, blank, or outside the length bounds.</summary>
    public static Refusal? Problem(string? value, string field, int min, int max)
    {
        if (value is null || value.Trim().Length < min)
        {
            return Refusal.Invalid("invalid-field", min <= 1 ? $"{field} is required." : $"{field} needs at least {min} characters.", field);
        }
        if (value.Length > max)
        {
            return Refusal.Invalid("invalid-field", $"{field} may have at most {max} characters.", field);
        }
        if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            return Refusal.Invalid("invalid-field", $"{field} contains control characters.", field);
        }
        return null;
    }
}
