using Shura.Core;
using Shura.Core.Councils;
using Shura.Storage;
using Shura.Storage.Accounts;
using Shura.Storage.Councils;
using Shura.Web;

namespace Shura.Load;

/// <summary>Builds large councils quickly: many accounts and joins per transaction, through the same commands the server runs.</summary>
internal static class Seeding
{
    private const int Batch = 1000;

    /// <summary>Registers <paramref name="count"/> accounts; the first <paramref name="withTokens"/> get an API token, returned as secrets.</summary>
    public static async Task<(List<AccountId> Accounts, List<string> Tokens)> AccountsAsync(Writer writer, int count, int withTokens)
    {
        var accounts = new List<AccountId>(count);
        var tokens = new List<string>();
        for (int start = 0; start < count; start += Batch)
        {
            int end = Math.Min(count, start + Batch);
            var secrets = Enumerable.Range(start, end - start).Select(i => i < withTokens ? Shura.Web.Accounts.BearerTokens.NewSecret() : null).ToList();
            accounts.AddRange(await writer.RunAsync(s =>
            {
                var made = new List<AccountId>();
                for (int i = start; i < end; i++)
                {
                    var id = AccountCommands.Register(s, $"Member {i}", $"member{i}@load.example.org", "no-password").Value;
                    if (secrets[i - start] is { } secret)
                    {
                        AccountCommands.CreateToken(s, id, "load", Shura.Web.Accounts.BearerTokens.HashOf(secret));
                    }
                    made.Add(id);
                }
                return made;
            }));
            tokens.AddRange(secrets.OfType<string>());
        }
        return (accounts, tokens);
    }

    /// <summary>A council founded by the first account, which all the others join.</summary>
    public static async Task<CouncilId> CouncilAsync(Writer writer, IReadOnlyList<AccountId> accounts, CouncilSettings settings, string name)
    {
        var council = (await writer.RunAsync(s => CouncilCommands.Create(s, accounts[0], name, "", settings))).Value;
        for (int start = 1; start < accounts.Count; start += Batch)
        {
            int from = start;
            await writer.RunAsync(s =>
            {
                for (int i = from; i < Math.Min(accounts.Count, from + Batch); i++)
                {
                    CouncilCommands.Join(s, council, accounts[i], null);
                }
                return true;
            });
        }
        return council;
    }
}
