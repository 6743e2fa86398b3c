using System.Text;
using Dapper;

namespace Shura.Storage.Fediverse;

/// <summary>
/// A council's handle on the federated social web (<c>@bakery_workers@host</c>): made once from its
/// name when it is formed — lower-case Latin letters, digits and underscores, as Mastodon takes —
/// and never changed after, so that followers keep following. A name with no Latin letters (a
/// Persian one) gets <c>council_</c> and the start of its id; a handle taken already gets a short
/// piece of the id after it. Kept beside the log, not in it: the server chooses it, nobody decides it.
/// </summary>
public static class Handles
{
    public const int MaxLength = 30;

    /// <summary>The handle a council's name asks for, before checking it is free.</summary>
    public static string From(string name, Guid id)
    {
        var handle = new StringBuilder();
        foreach (char c in name.Normalize(NormalizationForm.FormKD).ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                handle.Append(c);
            }
            else if (handle.Length > 0 && handle[^1] != '_' && (char.IsWhiteSpace(c) || char.IsPunctuation(c) || c == '-'))
            {
                handle.Append('_');
            }
            if (handle.Length >= MaxLength)
            {
                break;
            }
        }
        string made = handle.ToString().Trim('_');
        return made.Length < 3 ? "council_" + id.ToString("N")[^8..] : made;
    }

    /// <summary>Gives the council its handle (when it has none yet): the one its name asks for, or that one with a piece of its id when taken.</summary>
    internal static void Assign(System.Data.IDbConnection c, System.Data.IDbTransaction? t, Guid id, string name)
    {
        string wanted = From(name, id);
        string handle = c.ExecuteScalar<long>("SELECT COUNT(*) FROM councils WHERE handle = @wanted", new { wanted }, t) == 0
            ? wanted
            : $"{wanted[..Math.Min(wanted.Length, MaxLength - 9)].TrimEnd('_')}_{id.ToString("N")[^8..]}";
        c.Execute("UPDATE councils SET handle = @handle WHERE id = @id AND handle IS NULL", new { handle, id = id.ToString() }, t);
    }
}
