using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Shura.Web.Site;

/// <summary>
/// The keys that protect sign-in cookies and antiforgery tokens, kept in Shura's own store: every
/// server process on one database reads the same keys, so a person signed in through one is
/// signed in through all, and a restart on a fresh machine signs nobody out.
/// </summary>
public sealed class KeysInTheStore(Database database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var c = database.OpenConnection();
        return [.. c.Query<string>("SELECT xml FROM protection_keys ORDER BY name").Select(x => XElement.Parse(x))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var c = database.OpenConnection();
        // A key is written once and never changed; two processes making keys at once both keep theirs.
        c.Execute("INSERT INTO protection_keys (name, xml) VALUES (@name, @xml) ON CONFLICT (name) DO NOTHING",
            new { name = friendlyName, xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}
