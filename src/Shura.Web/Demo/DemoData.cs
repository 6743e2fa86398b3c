using Shura.Core.Councils;
using Shura.Core.Mandates;
using Shura.Core.Motions;
using Shura.Storage.Actions;
using Shura.Storage.Mandates;
using Shura.Storage.Motions;

namespace Shura.Web.Demo;

/// <summary>
/// A living city to explore at first start (<c>shura demo</c>): a city federation of three
/// workplace councils and two neighbourhood councils, people with Persian and English names, and
/// twelve days of history — councils joining the federation, delegates elected, decisions in
/// force and rejected, an action overdue, motions in every state (one with a counter-proposal), and a recall under way. It is
/// made through the same commands people use, on a clock that starts twelve days ago, so the log
/// is a real one and verifies.
/// </summary>
public static class DemoData
{
    public const string Password = "demo password";

    private static readonly (string Name, string Email)[] Folk =
    [
        ("لیلا احمدی", "leyla"), ("داریوش کریمی", "dariush"), ("مینا رحیمی", "mina"), ("سارا موسوی", "sara"),
        ("رضا حسینی", "reza"), ("نسرین جعفری", "nasrin"), ("کاوه تهرانی", "kaveh"), ("پروین صادقی", "parvin"),
        ("بهرام نوری", "bahram"), ("شیرین کاظمی", "shirin"), ("آرش مرادی", "arash"), ("فرشته یزدانی", "fereshteh"),
        ("Sam Carter", "sam"), ("Joe Baker", "joe"), ("Maria Lopez", "maria"), ("Aisha Bello", "aisha"),
        ("Tom Nguyen", "tom"), ("Grace Miller", "grace"), ("Omar Haddad", "omar"), ("Ruth Evans", "ruth"),
        ("Nadia Petrova", "nadia"), ("Ben Okafor", "ben"), ("Lucy Walsh", "lucy"), ("Ivan Horvat", "ivan"),
    ];

    public static string EmailOf(string handle) => $"{handle}@demo.shura.example";

    /// <summary>True when the store already has accounts: the demo is only ever added to an empty store.</summary>
    public static bool IsEmpty(Database database)
    {
        using var c = database.OpenConnection();
        using var command = c.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM accounts";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0;
    }

    public static async Task SeedAsync(Database database, DateTimeOffset now)
    {
        var clock = new SeedClock(now - TimeSpan.FromDays(12));
        await using var writer = new Writer(database, clock, Keys.Pseudonyms(database));
        var city = new City(writer, clock);
        await city.BuildAsync(now);
    }

    /// <summary>A clock the seeding moves forward by hand.</summary>
    private sealed class SeedClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class City(Writer writer, SeedClock clock)
    {
        private readonly Dictionary<string, AccountId> _people = [];
        private readonly Dictionary<AccountId, string> _names = [];

        private static readonly CouncilSettings Base = CouncilSettings.Default with
        {
            SupportThreshold = 2, DeliberationPeriod = TimeSpan.FromDays(1), VotingPeriod = TimeSpan.FromDays(2),
        };

        public async Task BuildAsync(DateTimeOffset now)
        {
            string hash = Passwords.Hash(Password);
            foreach (var (name, handle) in Folk)
            {
                var id = Must(await writer.RunAsync(s => AccountCommands.Register(s, name, EmailOf(handle), hash)));
                _people[handle] = id;
                _names[id] = name;
            }

            // Day 0: the federation and its five councils form, and each council votes to join it.
            var federation = await CouncilAsync("sam", "City Federation of Councils",
                "Workplace and neighbourhood councils of the city, deciding together through recallable delegates.",
                CouncilSettings.Default with { SupportThreshold = 1, DeliberationPeriod = TimeSpan.FromDays(1), VotingPeriod = TimeSpan.FromDays(7), SeatRatio = 3, WeightedVoting = true },
                federation: true);
            var bakery = await CouncilAsync("leyla", "شورای کارگران نانوایی سنگک", "کارگران نانوایی سنگک خیابان حافظ.", Base,
                members: ["dariush", "mina", "reza", "joe"]);
            var hospital = await CouncilAsync("maria", "Sina Hospital Staff Council", "Nurses, cleaners, porters and doctors of Sina hospital.", Base,
                members: ["nasrin", "aisha", "tom", "grace", "kaveh"]);
            var drivers = await CouncilAsync("omar", "شورای رانندگان اتوبوس", "رانندگان خط‌های شرق شهر.", Base,
                members: ["bahram", "ruth", "arash", "ben"]);
            // Leyla and Sam, the accounts the demo suggests, live in Narmak: there a ranked vote is open
            // and a recall is one withdrawal away, so they see both at work.
            var narmak = await CouncilAsync("sara", "شورای محله نارمک", "همسایه‌های محله نارمک.", Base,
                members: ["parvin", "shirin", "fereshteh", "lucy", "mina", "leyla", "sam"]);
            var riverside = await CouncilAsync("nadia", "Riverside Neighbourhood Council", "Neighbours along the river, from the mill to the bridge.", Base,
                members: ["ivan", "lucy", "sam", "tom"]);
            var councils = new[] { bakery, hospital, drivers, narmak, riverside };
            var joining = new List<(CouncilId, MotionId)>();
            foreach (var council in councils)
            {
                joining.Add((council, await PutAsync(council, new MotionRequest("federate", "Join the City Federation of Councils", "") { Federation = federation })));
            }
            await DaysAsync(1);
            foreach (var (council, motion) in joining)
            {
                await VoteAllAsync(council, motion, _ => new MotionBallot(Choice: "yes"));
            }
            await DaysAsync(2);

            // Day 3: each council elects its delegates; the bakery and the hospital decide things.
            var delegates = new Dictionary<CouncilId, MandateId>();
            var elections = new List<(CouncilId, MotionId, AccountId[])>();
            foreach (var council in councils)
            {
                var members = await MembersAsync(council);
                var mandate = Must(await writer.RunAsync(s => MandateCommands.Create(s, council, members[0], "Delegates to the city federation", "delegate", null, federation, null)));
                delegates[council] = mandate;
                var candidates = members.Take(3).ToArray();
                elections.Add((council, await PutAsync(council, new MotionRequest("election", "Elect our delegates to the city federation", "",
                    [.. candidates.Select(c => c.ToString())], "stv") { Mandate = mandate }), candidates));
            }
            var books = await PutAsync(bakery, new MotionRequest("decision", "Open the bakery's books to the workers",
                "Every worker may read the accounts: flour, wages, rent and what is left."));
            var nights = await PutAsync(hospital, new MotionRequest("decision", "Extend night shifts to twelve hours", "Proposed to cover the staff shortage."));
            await DaysAsync(1);
            foreach (var (council, motion, candidates) in elections)
            {
                await VoteAllAsync(council, motion, i => new MotionBallot(Ranking: [.. Rotate(candidates, i).Select(c => c.ToString())]));
            }
            await VoteAllAsync(bakery, books, i => new MotionBallot(Choice: i == 4 ? "abstain" : "yes"));
            await VoteAllAsync(hospital, nights, i => new MotionBallot(Choice: i < 2 ? "yes" : "no"));
            await DaysAsync(2);

            // Day 6: the bakery carries out its decision; a delegate puts a question to the federation.
            var founder = _people["leyla"];
            var audit = Must(await writer.RunAsync(s => ActionCommands.Create(s, books, founder, "Copy the last year's accounts for every worker", clock.Now + TimeSpan.FromDays(3), null)));
            Must(await writer.RunAsync(s => ActionCommands.Volunteer(s, audit, _people["mina"])));
            Must(await writer.RunAsync(s => ActionCommands.Report(s, audit, _people["mina"], "Half of the ledgers are copied; the flour invoices are missing.", "in-progress")));
            Must(await writer.RunAsync(s => Storage.Feed.FeedCommands.Publish(s, bakery, founder, "report", "The books are open",
                "From today every worker can read the bakery's accounts: **flour, wages, rent** and what is left.\n\nThe copies are being made; ask Mina for yours.")));
            var meeting = Must(await writer.RunAsync(s => ActionCommands.Create(s, books, founder, "Hold an open meeting on the accounts", clock.Now + TimeSpan.FromDays(10), null)));
            Must(await writer.RunAsync(s => ActionCommands.Volunteer(s, meeting, _people["reza"])));
            var cityDelegate = (await HoldersAsync(delegates[riverside]))[0];
            var rent = await PutAsync(federation, new MotionRequest("decision", "Back the city-wide rent freeze",
                "The federation supports tenants who refuse rent rises this year, with legal help and a solidarity fund."), cityDelegate);
            await DaysAsync(1);
            foreach (var council in new[] { bakery, drivers, riverside })
            {
                foreach (var holder in await HoldersAsync(delegates[council]))
                {
                    Must(await writer.RunAsync(s => MotionCommands.Cast(s, rent, holder, new MotionBallot(Choice: "yes"))));
                }
            }
            foreach (var holder in await HoldersAsync(delegates[hospital]))
            {
                Must(await writer.RunAsync(s => MotionCommands.Cast(s, rent, holder, new MotionBallot(Choice: "no"))));
            }
            await DaysAsync(2);

            // Day 10: Narmak chooses where to meet; voting opens on day 11 and is still open now.
            await DaysAsync(1);
            var where = await PutAsync(narmak, new MotionRequest("choice", "Where the neighbourhood meets",
                "Our monthly assembly needs a room for forty people.", ["مدرسه", "مسجد محل", "پارک", "کتابخانه"], "schulze"));
            var neighbours = await MembersAsync(narmak);
            var question = Must(await writer.RunAsync(s => Storage.Discussion.DiscussionCommands.Post(s, where, neighbours[1],
                "سالن مدرسه برای چهل نفر صندلی دارد؛ پارک ندارد.", null)));
            Must(await writer.RunAsync(s => Storage.Discussion.DiscussionCommands.Post(s, where, neighbours[2],
                "کتابخانه ساعت هشت می‌بندد و نشست‌های ما دیر تمام می‌شود.", question)));
            Must(await writer.RunAsync(s => Storage.Feed.FeedCommands.Publish(s, narmak, neighbours[0], "news", "نشست ماهانه این ماه",
                "جای نشست را با رای ترجیحی انتخاب می‌کنیم. **همه اعضا** دعوت‌اند؛ گفت‌وگو زیر طرح باز است.")));
            await DaysAsync(1);
            string[][] rankings = [["پارک", "کتابخانه"], ["کتابخانه", "مدرسه", "پارک"], ["مدرسه", "کتابخانه"], ["کتابخانه", "پارک", "مدرسه", "مسجد محل"], ["پارک", "مدرسه"], ["کتابخانه"]];
            // Leyla and Sam have not voted yet: theirs to cast.
            await VoteAllAsync(narmak, where, i => new MotionBallot(Ranking: rankings[i % rankings.Length]), except: [_people["leyla"], _people["sam"]]);

            // Day 11: a recall under way in Narmak; new motions on their way.
            var target = (await HoldersAsync(delegates[narmak]))[^1];
            // One withdrawal short of recall: Leyla's or Sam's would be the one.
            var narmakMembers = await MembersAsync(narmak);
            var suggested = new[] { _people["leyla"], _people["sam"] };
            foreach (var elector in narmakMembers.Where(m => m != target && !suggested.Contains(m)).Take((int)Recall.Threshold(narmakMembers.Count) - 1))
            {
                Must(await writer.RunAsync(s => MandateCommands.ChangeConfidence(s, delegates[narmak], target, elector, withdraw: true)));
            }
            clock.Now = now - TimeSpan.FromHours(12);
            var overtime = await PutAsync(drivers, new MotionRequest("decision", "Refuse unpaid overtime on the night lines", "No driver works past the end of the shift without pay."), _people["bahram"], supporters: ["ruth"]);
            // A competing text: when voting opens the drivers rank the two and "none of these".
            Must(await writer.RunAsync(s => MotionCommands.CounterPropose(s, overtime, _people["arash"],
                "Overtime on the night lines is paid at double rate, and no driver is made to work it.")));
            clock.Now = now - TimeSpan.FromHours(2);
            await PutAsync(riverside, new MotionRequest("decision", "Plant trees along the river path", "Twenty plane trees, planted and watered by the neighbours."), _people["ivan"], supporters: []);
            Must(await writer.RunAsync(s => MotionCommands.Put(s, hospital, _people["aisha"], new MotionRequest("decision", "A rest room for the night staff", "Draft: which room, and who keeps it.", Draft: true))));

            // Two calls to action: one that has crossed its pledge threshold, one still gathering pledges.
            var workers = await MembersAsync(bakery);
            var meetingCall = Must(await writer.RunAsync(s => Storage.Feed.CallCommands.Publish(s, bakery, founder, "Open meeting on the accounts",
                "Everyone who works here reads the accounts with us, line by line.", "The bakery's back room", now + TimeSpan.FromDays(5), 3, now + TimeSpan.FromDays(2))));
            foreach (var worker in workers.Take(3))
            {
                Must(await writer.RunAsync(s => Storage.Feed.CallCommands.Pledge(s, meetingCall, worker)));
            }
            var riverCall = Must(await writer.RunAsync(s => Storage.Feed.CallCommands.Publish(s, narmak, neighbours[0], "پاک‌سازی کنار رودخانه",
                "با دستکش و کیسه می‌آییم؛ اگر ده نفر باشیم برگزار می‌شود.", "ورودی پارک نارمک", now + TimeSpan.FromDays(7), 10, now + TimeSpan.FromDays(4))));
            foreach (var neighbour in neighbours.Take(2))
            {
                Must(await writer.RunAsync(s => Storage.Feed.CallCommands.Pledge(s, riverCall, neighbour)));
            }
        }

        private async Task<CouncilId> CouncilAsync(string founder, string name, string description, CouncilSettings settings, string[]? members = null, bool federation = false)
        {
            var id = Must(await writer.RunAsync(s => CouncilCommands.Create(s, _people[founder], name, description, settings, federation)));
            foreach (string handle in members ?? [])
            {
                Must(await writer.RunAsync(s => CouncilCommands.Join(s, id, _people[handle], null)));
            }
            return id;
        }

        /// <summary>Puts a motion and has the next members support it, so it goes to deliberation.</summary>
        private async Task<MotionId> PutAsync(CouncilId council, MotionRequest request, AccountId? proposer = null, string[]? supporters = null)
        {
            var members = await MembersAsync(council);
            var by = proposer ?? members[0];
            var id = Must(await writer.RunAsync(s => MotionCommands.Put(s, council, by, request)));
            var backing = supporters is null ? members.Where(m => m != by).Take(1) : supporters.Select(h => _people[h]);
            foreach (var supporter in backing)
            {
                var refusal = (await writer.RunAsync(s => MotionCommands.Support(s, id, supporter))).Refusal;
                // A motion that needed no more support has moved on already.
                if (refusal is not null && refusal.Code != "not-proposed")
                {
                    throw new InvalidOperationException($"demo: {refusal.Code}: {refusal.Message}");
                }
            }
            return id;
        }

        private async Task VoteAllAsync(CouncilId council, MotionId motion, Func<int, MotionBallot> ballot, AccountId[]? except = null)
        {
            var members = (await MembersAsync(council)).Where(m => except?.Contains(m) != true).ToList();
            for (int i = 0; i < members.Count; i++)
            {
                var voter = members[i];
                var cast = ballot(i);
                Must(await writer.RunAsync(s => MotionCommands.Cast(s, motion, voter, cast)));
            }
        }

        private async Task DaysAsync(double days)
        {
            clock.Now += TimeSpan.FromDays(days);
            await writer.RunAsync(s =>
            {
                while (MotionCommands.AdvanceDue(s).Count > 0)
                {
                }
                MandateCommands.SettleDue(s);
                return true;
            });
        }

        private Task<List<AccountId>> MembersAsync(CouncilId council) =>
            writer.RunAsync(s => s.Query<string>("SELECT account_id FROM members WHERE council_id = @c ORDER BY joined_at, account_id", new { c = council.ToString() })
                .Select(a => new AccountId(Guid.Parse(a))).ToList());

        private Task<List<AccountId>> HoldersAsync(MandateId mandate) =>
            writer.RunAsync(s => s.Query<string>("SELECT person FROM holders WHERE mandate_id = @m ORDER BY since, person", new { m = mandate.ToString() })
                .Select(p => new AccountId(Guid.Parse(p))).ToList());

        private static IEnumerable<AccountId> Rotate(AccountId[] candidates, int by) =>
            candidates.Skip(by % candidates.Length).Concat(candidates.Take(by % candidates.Length));

        private static T Must<T>(Result<T> result) =>
            result.Refusal is { } refusal ? throw new InvalidOperationException($"demo: {refusal.Code}: {refusal.Message}") : result.Value!;
    }
}
