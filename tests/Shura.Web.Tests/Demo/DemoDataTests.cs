using Dapper;
using Shura.Storage;
using Shura.Storage.Log;
using Shura.Storage.Schema;
using Shura.Web.Demo;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Demo;

/// <summary>`shura demo` fills an empty store with a city that shows every part of Shura at work, and its log verifies.</summary>
public sealed class DemoDataTests
{
    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task The_demo_city_has_a_federation_of_five_councils_motions_in_every_state_and_a_recall_under_way(string engine)
    {
        var database = Database.Open(Engines.FreshDb(engine));
        var now = TimeProvider.System.GetUtcNow();
        Migrations.Apply(database, now);
        Assert.True(DemoData.IsEmpty(database));
        await DemoData.SeedAsync(database, now);
        Assert.False(DemoData.IsEmpty(database));

        using var c = database.OpenConnection();
        var councils = c.Query<(string Name, long Federation)>("SELECT name, federation FROM councils").ToList();
        Assert.Single(councils, x => x.Federation == 1);
        Assert.Equal(5, councils.Count(x => x.Federation == 0));
        Assert.Equal(5L, c.ExecuteScalar<long>("SELECT COUNT(*) FROM federation_members"));

        // People and councils are named in Persian and in English.
        var names = c.Query<string>("SELECT name FROM accounts").Concat(councils.Select(x => x.Name)).ToList();
        Assert.Contains(names, n => n.Any(ch => ch is >= '\u0600' and <= '\u06FF'));
        Assert.Contains(names, n => n.Any(char.IsAsciiLetter));

        var states = c.Query<string>("SELECT DISTINCT state FROM motions").ToHashSet();
        foreach (string state in new[] { "draft", "proposed", "deliberation", "voting", "decided", "in-force", "rejected" })
        {
            Assert.Contains(state, states);
        }

        // Every base council sends delegates; one of them is close to being recalled, but not yet.
        var holders = c.Query<(string Council, long Withdrawals, long Members)>("""
            SELECT m.council_id, h.withdrawals, c.member_count FROM holders h JOIN mandates m ON m.id = h.mandate_id JOIN councils c ON c.id = m.council_id
            """).ToList();
        Assert.Equal(5, holders.Select(h => h.Council).Distinct().Count());
        var doubted = Assert.Single(holders, h => h.Withdrawals > 0);
        Assert.True(doubted.Withdrawals * 2 <= doubted.Members && (doubted.Withdrawals + 1) * 2 > doubted.Members,
            $"{doubted.Withdrawals} of {doubted.Members} withdrawals: one more should recall");

        // The accounts the demo suggests are members where that recall is one withdrawal away, and
        // where a ranked vote is open that waits for their own ballots.
        foreach (string handle in new[] { "leyla", "sam" })
        {
            string person = c.ExecuteScalar<string>("SELECT id FROM accounts WHERE email = @e", new { e = DemoData.EmailOf(handle) })!;
            Assert.Equal(1L, c.ExecuteScalar<long>("SELECT COUNT(*) FROM members WHERE council_id = @c AND account_id = @p", new { c = doubted.Council, p = person }));
            var open = c.Query<string>("""
                SELECT m.id FROM motions m JOIN members x ON x.council_id = m.council_id AND x.account_id = @p
                WHERE m.state = 'voting' AND m.method IN ('schulze', 'ranked-pairs', 'irv', 'stv', 'meek')
                """, new { p = person }).ToList();
            Assert.Single(open);
            // Everyone else there has voted; not these two (secret ballots hide whose ballot is whose, so count them).
            Assert.Equal(doubted.Members - 2, c.ExecuteScalar<long>("SELECT COUNT(*) FROM ballots WHERE motion_id = @m", new { m = open[0] }));
        }

        Assert.True(c.ExecuteScalar<long>("SELECT COUNT(*) FROM actions") > 0);
        // A discussion with an answer, and posts in two councils' feeds.
        Assert.True(c.ExecuteScalar<long>("SELECT COUNT(*) FROM comments WHERE reply_to IS NOT NULL") > 0);
        // A decision in deliberation with a counter-proposal.
        Assert.Equal(1L, c.ExecuteScalar<long>("SELECT COUNT(*) FROM counter_proposals p JOIN motions m ON m.id = p.motion_id WHERE m.state = 'deliberation'"));
        Assert.Equal(2, c.ExecuteScalar<long>("SELECT COUNT(DISTINCT council_id) FROM posts"));
        // Calls to action: one on (its threshold crossed), one still gathering pledges.
        var calls = c.Query<(long Pledges, long Threshold, long On)>("SELECT pledges, threshold, going_ahead FROM calls ORDER BY threshold").ToList();
        Assert.Equal(2, calls.Count);
        Assert.True(calls[0].On == 1 && calls[0].Pledges >= calls[0].Threshold);
        Assert.True(calls[1].On == 0 && calls[1].Pledges < calls[1].Threshold);
        var verification = Verifier.Run(database, TimeProvider.System.GetUtcNow());
        Assert.True(verification.IsIntact, string.Join("\n", verification.Problems));
    }

    [Fact]
    public async Task The_demo_sends_e_mail_when_given_a_mail_server()
    {
        // The demo's notices of its last day go out too; here the one e-mail asked for is looked for.
        using var smtp = await SmtpSink.StartAsync(m => m.GetProperty("subject").GetString() == "Reset your Shura password");
        string db = Path.Combine(Directory.CreateTempSubdirectory("shura-demo-").FullName, "demo.db");
        await using var demo = await ServeProcess.StartDemoAsync(db, "--smtp", $"smtp://127.0.0.1:{smtp.Port}");
        string email = Shura.Web.Demo.DemoData.EmailOf("leyla");
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await demo.Api().PostAsync("/password-resets", new { email })).Status);
        var mail = Assert.Single(await smtp.WaitAsync(1, seconds: 60));
        Assert.Equal(email, mail.GetProperty("envelopeTo")[0].GetString());
        Assert.Contains("/reset/", mail.GetProperty("text").GetString(), StringComparison.Ordinal);
    }
}
