using System.Net;
using System.Text.Json;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Moderation;

/// <summary>
/// Moderation by the members, not by a moderator (DESIGN §2, P4), over real HTTP on both engines:
/// flags reach the threshold and hide at once; a short motion keeps the text hidden or restores
/// it; an erase motion that passes takes a text's words out of the pages, the API, the feed, the
/// store and the export, while the log keeps its hash and `shura verify` still passes.
/// </summary>
public class ModerationTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    /// <summary>Three flags hide (the council's support threshold); motions vote for an hour.</summary>
    private static readonly object Settings = new
    {
        joinPolicy = "open", visibility = "public", supportThreshold = 3, deliberationPeriod = "PT0S", votingPeriod = "PT1H", secretBallots = true,
    };

    private sealed record Council(TestServer Server, Api Api, string Id, Person[] Members, Person Outsider, string Motion);

    private static async Task<Council> CouncilAsync(TestServer server)
    {
        var api = server.Api();
        var members = new Person[5];
        for (int i = 0; i < members.Length; i++)
        {
            members[i] = await api.RegisterAsync($"Member {i + 1}");
        }
        string council = await api.CreateCouncilAsync(members[0], Settings);
        await api.JoinAsync(council, members[1..]);
        string motion = await api.PutMotionAsync(council, members[0], new { kind = "decision", title = "Strike on Monday", text = "" });
        return new Council(server, api, council, members, await api.RegisterAsync("Outsider"), motion);
    }

    private static async Task<JsonElement> FlagAsync(Council c, string path, int member) =>
        (await c.Api.SendAsync(HttpMethod.Put, $"{path}/flag", null, c.Members[member])).Ok().Body;

    private static async Task<string> CastAllAsync(Council c, string motion, string choice, params int[] members)
    {
        foreach (int m in members)
        {
            (await c.Api.CastAsync(motion, c.Members[m], new { choice })).Ok();
        }
        return motion;
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Flags_reaching_the_threshold_hide_a_comment_at_once_and_the_members_motion_restores_it(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var c = await CouncilAsync(server);
        string comment = (await c.Api.PostAsync($"/motions/{c.Motion}/comments", new { text = "The foreman lives at 12 Saadi Street." }, c.Members[4])).Ok().Id;
        string path = $"/comments/{comment}";

        // Refusals store nothing: an outsider, a second flag, taking back a flag never given.
        var before = Store.Snapshot(server.Database);
        Assert.Equal("not-a-member", (await c.Api.SendAsync(HttpMethod.Put, $"{path}/flag", null, c.Outsider)).Code);
        Assert.Equal("no-flag", (await c.Api.SendAsync(HttpMethod.Delete, $"{path}/flag", null, c.Members[1])).Code);
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.Api.SendAsync(HttpMethod.Put, $"{path}/flag")).Status);
        Assert.Equal("not-found", (await c.Api.SendAsync(HttpMethod.Put, $"/comments/{Guid.NewGuid()}/flag", null, c.Members[1])).Code);
        Assert.Equal(before, Store.Snapshot(server.Database));

        var first = await FlagAsync(c, path, 1);
        Assert.Equal((1, 3, true), (first.GetProperty("flags").GetInt32(), first.GetProperty("needed").GetInt32(), first.GetProperty("flagged").GetBoolean()));
        before = Store.Snapshot(server.Database);
        Assert.Equal("already-flagged", (await c.Api.SendAsync(HttpMethod.Put, $"{path}/flag", null, c.Members[1])).Code);
        Assert.Equal(before, Store.Snapshot(server.Database));
        Assert.Equal(0, (await c.Api.SendAsync(HttpMethod.Delete, $"{path}/flag", null, c.Members[1])).Ok().Body.GetProperty("flags").GetInt32());
        await FlagAsync(c, path, 1);
        Assert.True((await FlagAsync(c, path, 2)).GetProperty("hiddenBy").ValueKind == JsonValueKind.Null);

        // The third flag hides it in that same request and opens the hide-or-restore motion.
        string hide = (await FlagAsync(c, path, 3)).GetProperty("hiddenBy").GetString()!;
        var shown = (await c.Api.GetAsync(path)).Ok().Body;
        Assert.Equal((JsonValueKind.Null, hide), (shown.GetProperty("text").ValueKind, shown.GetProperty("hiddenBy").GetString()));
        var motion = await c.Api.MotionAsync(hide);
        Assert.Equal(("hide", "voting", comment), (motion.GetProperty("kind").GetString(), motion.GetProperty("state").GetString(),
            motion.GetProperty("moderates").GetProperty("comment").GetString()));
        string page = await (await server.Client.GetAsync($"/motions/{c.Motion}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("Saadi Street", page, StringComparison.Ordinal);
        Assert.Contains("Hidden after flags", page, StringComparison.Ordinal);

        // Members who decide read the words; nobody else does.
        Assert.Equal("The foreman lives at 12 Saadi Street.", (await c.Api.GetAsync($"/motions/{hide}/moderated", c.Members[2])).Ok().Body.GetProperty("text").GetString());
        Assert.Equal("not-a-member", (await c.Api.GetAsync($"/motions/{hide}/moderated", c.Outsider)).Code);
        Assert.Equal("not-a-member", (await c.Api.GetAsync($"/motions/{hide}/moderated")).Code);

        // While hidden: no more flags, and its author cannot change its words.
        before = Store.Snapshot(server.Database);
        Assert.Equal("already-hidden", (await c.Api.SendAsync(HttpMethod.Put, $"{path}/flag", null, c.Members[0])).Code);
        Assert.Equal("text-hidden", (await c.Api.SendAsync(HttpMethod.Patch, path, new { text = "Nothing." }, c.Members[4])).Code);
        Assert.Equal(before, Store.Snapshot(server.Database));

        // The members do not keep it hidden: it shows again, and its flags start over.
        await CastAllAsync(c, hide, "no", 0, 1, 2);
        await CastAllAsync(c, hide, "yes", 3);
        await server.AdvanceAsync(TimeSpan.FromHours(1));
        await server.StateAsync(hide, "rejected");
        shown = (await c.Api.GetAsync(path)).Ok().Body;
        Assert.Equal("The foreman lives at 12 Saadi Street.", shown.GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, shown.GetProperty("hiddenBy").ValueKind);
        Assert.Equal(1, (await FlagAsync(c, path, 1)).GetProperty("flags").GetInt32());

        var log = await c.Api.LogAsync(c.Id);
        string[] types = [.. log.Select(e => e.GetProperty("type").GetString()!)];
        Assert.Equal(5, types.Count(t => t == "text-flagged")); // 1, taken back, 1 again, 2, 3; after the restoring, 1 again
        Assert.Equal(1, types.Count(t => t == "text-unflagged"));
        Assert.Equal(1, types.Count(t => t == "text-hidden"));
        Assert.Equal(1, types.Count(t => t == "text-restored"));
        // The flaggers are pseudonyms, one per text: the author cannot learn who flagged them.
        Assert.All(log.Where(e => e.GetProperty("type").GetString() == "text-flagged"),
            e => Assert.DoesNotContain(c.Members.Select(m => m.Id), id => e.GetProperty("payload").GetString()!.Contains(id, StringComparison.Ordinal)));
        Assert.Equal(0, ShuraCli.Run("verify", "--db", server.Db).Code);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_post_the_members_keep_hidden_leaves_the_feed_and_an_erased_post_is_gone_everywhere_while_verify_passes(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, fakeClock: true);
        var c = await CouncilAsync(server);
        const string Words = "Home address of the striker Zhinous Vakili";
        string post = (await c.Api.PostAsync($"/councils/{c.Id}/posts", new { kind = "news", title = "Zhinous Vakili exposed", text = Words }, c.Members[4])).Ok().Id;
        string keep = (await c.Api.PostAsync($"/councils/{c.Id}/posts", new { kind = "report", title = "The strike holds", text = "Day three." }, c.Members[0])).Ok().Id;

        await FlagAsync(c, $"/posts/{post}", 1);
        await FlagAsync(c, $"/posts/{post}", 2);
        string hide = (await FlagAsync(c, $"/posts/{post}", 3)).GetProperty("hiddenBy").GetString()!;
        await CastAllAsync(c, hide, "yes", 0, 1, 2, 3);
        await server.AdvanceAsync(TimeSpan.FromHours(1));
        await server.StateAsync(hide, "in-force");

        // Kept hidden: out of the feed, the Atom feed and the post page; the other post stays.
        var feed = (await c.Api.GetAsync($"/councils/{c.Id}/posts")).Ok().Body;
        Assert.Equal([keep], feed.EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToArray());
        Assert.Equal(JsonValueKind.Null, (await c.Api.GetAsync($"/posts/{post}")).Ok().Body.GetProperty("text").ValueKind);
        string atom = await server.Client.GetStringAsync($"/councils/{c.Id}/feed.atom");
        Assert.DoesNotContain("Vakili", atom, StringComparison.Ordinal);
        Assert.Contains("The strike holds", atom, StringComparison.Ordinal);

        // Then the members erase it: an erase motion like any other, with its supporters.
        var refused = Store.Snapshot(server.Database);
        Assert.Equal("unknown-text", (await c.Api.PostAsync($"/councils/{c.Id}/motions", new { kind = "erase", title = "Erase", text = "", post = Guid.NewGuid() }, c.Members[0])).Code);
        Assert.Equal("invalid-field", (await c.Api.PostAsync($"/councils/{c.Id}/motions", new { kind = "erase", title = "Erase", text = "", post, comment = Guid.NewGuid() }, c.Members[0])).Code);
        Assert.Equal("invalid-field", (await c.Api.PostAsync($"/councils/{c.Id}/motions", new { kind = "decision", title = "Erase", text = "", post }, c.Members[0])).Code);
        Assert.Equal("invalid-field", (await c.Api.PostAsync($"/councils/{c.Id}/motions", new { kind = "hide", title = "Hide", text = "", post }, c.Members[0])).Code);
        Assert.Equal("not-a-member", (await c.Api.PostAsync($"/councils/{c.Id}/motions", new { kind = "erase", title = "Erase", text = "", post }, c.Outsider)).Code);
        Assert.Equal(refused, Store.Snapshot(server.Database));
        string erase = await c.Api.PutMotionAsync(c.Id, c.Members[0], new { kind = "erase", title = "Erase the doxxing post", text = "It names a striker's home.", post });
        (await c.Api.PostAsync($"/motions/{erase}/support", null, c.Members[1])).Ok();
        (await c.Api.PostAsync($"/motions/{erase}/support", null, c.Members[2])).Ok();
        await CastAllAsync(c, erase, "yes", 0, 1, 2);
        await server.AdvanceAsync(TimeSpan.FromHours(1));
        await server.StateAsync(erase, "in-force");

        var erased = (await c.Api.GetAsync($"/posts/{post}")).Ok().Body;
        Assert.True(erased.GetProperty("erased").GetBoolean());
        Assert.Equal(JsonValueKind.Null, erased.GetProperty("title").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await c.Api.GetAsync($"/motions/{hide}/moderated", c.Members[1])).Ok().Body.GetProperty("text").ValueKind);
        Assert.Contains("Erased by the members", await server.Client.GetStringAsync($"/posts/{post}"), StringComparison.Ordinal);
        Assert.DoesNotContain("Vakili", await server.Client.GetStringAsync($"/posts/{post}"), StringComparison.Ordinal);
        Assert.DoesNotContain("Vakili", await server.Client.GetStringAsync($"/councils/{c.Id}/feed.atom"), StringComparison.Ordinal);
        Assert.DoesNotContain("Vakili", Store.Snapshot(server.Database), StringComparison.Ordinal);
        var (code, export, _) = ShuraCli.Run("export", "--council", c.Id, "--db", server.Db);
        Assert.Equal(0, code);
        Assert.DoesNotContain("Vakili", export, StringComparison.Ordinal);
        // The log still holds the salted hash of the words, and the chain still verifies; with the
        // salt erased beside the words, a guess of them cannot be confirmed against the log.
        using (var store = server.Database.OpenConnection())
        {
            Assert.Contains(Dapper.SqlMapper.QuerySingle<string>(store, "SELECT text_hash FROM posts WHERE id = @post", new { post }), export, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(Core.Discussion.Texts.Hash(Words), export, StringComparison.Ordinal);
        var (verified, output, errors) = ShuraCli.Run("verify", "--db", server.Db);
        Assert.True(verified == 0, output + errors);
        if (engine == Support.Engines.Sqlite)
        {
            // Not even the file keeps them: SQLite overwrites deleted content (secure_delete).
            await server.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            using (var checkpoint = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={server.Db}"))
            {
                checkpoint.Open();
                using var command = checkpoint.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                command.ExecuteNonQuery();
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (string file in Directory.GetFiles(Path.GetDirectoryName(server.Db)!, Path.GetFileName(server.Db) + "*"))
            {
                Assert.DoesNotContain("Zhinous Vakili", System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Through_the_pages_a_member_flags_and_proposes_to_erase_in_persian()
    {
        await using var server = await TestServer.StartAsync(fakeClock: true);
        var c = await CouncilAsync(server);
        string comment = (await c.Api.PostAsync($"/motions/{c.Motion}/comments", new { text = "A threat." }, c.Members[4])).Ok().Id;
        string page = $"/motions/{c.Motion}";
        using var member = await new Visitor(server.Client.BaseAddress!).SignInAsync(c.Members[1]);
        member.Speak("fa");

        string html = await (await member.GetAsync(page)).Content.ReadAsStringAsync();
        Assert.Contains("علامت‌گذاری", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostAsync(page, $"{page}?handler=ModerateComment", new() { ["comment"] = comment, ["act"] = "flag" })).StatusCode);
        html = await (await member.GetAsync(page)).Content.ReadAsStringAsync();
        Assert.Contains("پس گرفتن علامت من", html, StringComparison.Ordinal);
        Assert.Equal(0, (await c.Api.SendAsync(HttpMethod.Delete, $"/comments/{comment}/flag", null, c.Members[1])).Ok().Body.GetProperty("flags").GetInt32());

        var proposed = await member.PostAsync(page, $"{page}?handler=ModerateComment", new() { ["comment"] = comment, ["act"] = "erase", ["reasons"] = "تهدید است." });
        Assert.Equal(HttpStatusCode.Redirect, proposed.StatusCode);
        string erase = proposed.Headers.Location!.ToString().Split('/')[^1];
        var motion = await c.Api.MotionAsync(erase);
        Assert.Equal(("erase", comment, "پاک کردن یک نظر"), (motion.GetProperty("kind").GetString(), motion.GetProperty("moderates").GetProperty("comment").GetString(),
            motion.GetProperty("title").GetString()));
        html = await (await member.GetAsync($"/motions/{erase}")).Content.ReadAsStringAsync();
        Assert.Contains("نظر مورد بحث", html, StringComparison.Ordinal);
        Assert.Contains("A threat.", html, StringComparison.Ordinal);
        // An outsider reading the same public motion page does not read the words in question.
        string outside = await server.Client.GetStringAsync($"/motions/{erase}");
        Assert.DoesNotContain("A threat.", outside[outside.IndexOf("in-question", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

}
