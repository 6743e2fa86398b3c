using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Shura.Web.Councils;

/// <summary>
/// Invitations by e-mail for a list of people (<see cref="MemberImport"/>): one single-use link
/// each, written in the inviter's language, pointing at this server's own address. Any member may
/// invite (P4); where the council admits by motion, the link leads to applying.
/// </summary>
public sealed class MemberInvitations(
    IStringLocalizer<Site.Words> words, Notifications.SiteAddress address, Accounts.AccountMails mails, Storage.Councils.CouncilQueries councils)
{
    public async Task<Result<int>> SendAsync(
        CouncilId council, AccountId by, string inviter, IReadOnlyList<Invitee> people,
        Func<AccountId, Func<Storage.WriteSession, Result<int>>, Task<Result<int>>> run, CancellationToken ct)
    {
        if (!mails.On)
        {
            return Accounts.OwnAccountApi.MailOff();
        }
        string name = (await councils.GetAsync(council, ct))?.Council.Name ?? "";
        var site = address.Base;
        var culture = CultureInfo.CurrentUICulture;
        // Written in the inviter's language: the writer runs the command on another thread.
        return await run(by, s => Storage.Councils.CouncilCommands.InviteMany(s, council, by, [.. people.Select(p => (p.Name, p.Email))], (person, secret) =>
            Site.InLanguage.Run(culture, () =>
            {
                string link = new Uri(site, $"/councils/{council}/join?invitation={Uri.EscapeDataString(secret)}").ToString();
                return (words["{0} invites you to {1} on Shura", inviter, name].Value,
                    $"{words["Hello {0},", person]}\n\n{words["{0} invites you to join {1} on Shura, where its members decide together.", inviter, name]}\n\n"
                    + $"{words["Join here (the link works once):"]}\n{link}\n\n{words["If you do not know them, ignore this e-mail."]}\n");
            })));
    }
}
