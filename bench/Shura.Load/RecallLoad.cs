using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Shura.Core;
using Shura.Core.Councils;
using Shura.Core.Mandates;
using Shura.Core.Motions;
using Shura.Storage;
using Shura.Storage.Mandates;
using Shura.Storage.Motions;
using Shura.Storage.Schema;

namespace Shura.Load;

/// <summary>
/// How long a recall takes to be visible, in a council of N members (secret ballots). The seeded
/// mandate has 21 holders, elected by an election motion; 20 of them are one withdrawal of
/// confidence short of the threshold (N/2 + 1), the 21st two short. The measurement then sends,
/// over HTTP to a running server, 1,000 withdrawals and restorations that move the 21st holder's
/// count without crossing, and 20 withdrawals that each cross a threshold: the answer to such a
/// request already shows the mandate after the recall (holder gone, by-election open), so its
/// latency is the time from the request to the recall being visible in the API.
/// </summary>
internal static class RecallLoad
{
    private const int Crossings = 20;
    private const int Toggles = 1000;
    private const int FirstElector = 200; // accounts before this are the token holders and the mandate's holders

    private sealed class SettableClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    public static async Task<int> SeedAsync(string db, int members, string infoFile)
    {
        using var database = Database.Open(db);
        // The seeded history ends a day ago, so the server's own entries come after it.
        var clock = new SettableClock(TimeProvider.System.GetUtcNow() - TimeSpan.FromDays(2));
        Migrations.Apply(database, clock.Now);
        byte[] key = Keys.Pseudonyms(database);
        await using var writer = new Writer(database, clock, key);
        var (accounts, tokens) = await Seeding.AccountsAsync(writer, members, withTokens: Crossings + 1);
        var settings = CouncilSettings.Default with
        {
            SupportThreshold = 1, DeliberationPeriod = TimeSpan.Zero, VotingPeriod = TimeSpan.FromHours(1), SecretBallots = true,
        };
        var council = await Seeding.CouncilAsync(writer, accounts, settings, "Recall load council");

        var holders = accounts.Skip(100).Take(Crossings + 1).ToList();
        var mandate = (await writer.RunAsync(s => MandateCommands.Create(s, council, accounts[0], "Coordinators", "role", holders.Count, null, null))).Value;
        var request = new MotionRequest("election", "Coordinators", "", [.. holders.Select(h => h.ToString())], "stv", holders.Count) { Mandate = mandate };
        var election = (await writer.RunAsync(s => MotionCommands.Put(s, council, accounts[0], request))).Value;
        await writer.RunAsync(s => MotionCommands.Cast(s, election, accounts[0], new MotionBallot(Ranking: [.. holders.Select(h => h.ToString())])));
        clock.Now += TimeSpan.FromHours(2);
        await writer.RunAsync(s => MotionCommands.AdvanceDue(s));
        long seated = await writer.RunAsync(s => s.Scalar<long>("SELECT COUNT(*) FROM holders WHERE mandate_id = @id", new { id = mandate.ToString() }));
        if (seated != holders.Count)
        {
            Console.Error.WriteLine($"the election seated {seated} of {holders.Count} holders");
            return 1;
        }

        // Withdrawals of confidence, as the electors' own requests would log them, up to just below the threshold.
        long threshold = Recall.Threshold(members);
        for (int h = 0; h < holders.Count; h++)
        {
            var holder = holders[h];
            long count = h < Crossings ? threshold - 1 : threshold - 2;
            for (int start = 0; start < count; start += 10_000)
            {
                int from = FirstElector + start;
                int to = FirstElector + (int)Math.Min(count, start + 10_000);
                await writer.RunAsync(s => s.Append(Verdict.Accept(Enumerable.Range(from, to - from).Select(e => (Event)new ConfidenceChanged(
                    mandate, council, holder, MandateRules.Elector(mandate, holder, accounts[e], secret: true, key), Withdrawn: true)))));
            }
        }
        clock.Now += TimeSpan.FromHours(1);

        // Line 1: the mandate; line 2: the holder whose count moves without crossing, and the elector moving it;
        // then each holder one withdrawal short, with the elector whose withdrawal recalls them.
        var lines = new List<string> { mandate.ToString(), $"{holders[Crossings]} {tokens[Crossings]}" };
        lines.AddRange(Enumerable.Range(0, Crossings).Select(i => $"{holders[i]} {tokens[i]}"));
        await File.WriteAllLinesAsync(infoFile, lines);
        Console.WriteLine($"seeded {members} members, {holders.Count} holders, threshold {threshold}");
        return 0;
    }

    public static async Task<int> MeasureAsync(string url, string infoFile)
    {
        var lines = await File.ReadAllLinesAsync(infoFile);
        string mandate = lines[0];
        var (toggleHolder, toggler) = Split(lines[1]);
        using var http = new HttpClient { BaseAddress = new Uri(url) };

        async Task<(double Ms, JsonElement Mandate)> ConfidenceAsync(string holder, string token, bool withdrawn)
        {
            using var message = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/mandates/{mandate}/holders/{holder}/confidence")
            {
                Content = JsonContent.Create(new { withdrawn }),
            };
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var watch = Stopwatch.StartNew();
            using var response = await http.SendAsync(message);
            string body = await response.Content.ReadAsStringAsync();
            double ms = watch.Elapsed.TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{(int)response.StatusCode}: {body}");
            }
            return (ms, JsonDocument.Parse(body).RootElement.Clone());
        }

        static bool Holds(JsonElement m, string person) => m.GetProperty("holders").EnumerateArray().Any(h => h.GetProperty("person").GetString() == person);

        for (int i = 0; i < 100; i++)
        {
            await ConfidenceAsync(toggleHolder, toggler, withdrawn: i % 2 == 0); // warm-up
        }
        var below = new List<double>();
        for (int i = 0; i < Toggles; i++)
        {
            var (ms, m) = await ConfidenceAsync(toggleHolder, toggler, withdrawn: i % 2 == 0);
            if (!Holds(m, toggleHolder))
            {
                throw new InvalidOperationException("a withdrawal below the threshold recalled the holder");
            }
            below.Add(ms);
        }
        var recalls = new List<double>();
        foreach (var line in lines.Skip(2))
        {
            var (holder, token) = Split(line);
            var (ms, m) = await ConfidenceAsync(holder, token, withdrawn: true);
            if (Holds(m, holder) || m.GetProperty("byElection").ValueKind != JsonValueKind.String)
            {
                throw new InvalidOperationException("the answer to the crossing withdrawal does not show the recall");
            }
            recalls.Add(ms);
        }
        Console.WriteLine($"electorate {m0(await http.GetFromJsonAsync<JsonElement>($"/api/v1/mandates/{mandate}"))}");
        Console.WriteLine($"withdrawal or restoration below the threshold: {Summary(below)}");
        Console.WriteLine($"withdrawal that recalls (the answer shows the recall and the by-election): {Summary(recalls)}");
        Console.WriteLine($"  each, in order (the first runs the recall's code for the first time): {string.Join(", ", recalls.Select(r => r.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))} ms");
        return 0;

        static long m0(JsonElement m) => m.GetProperty("electorate").GetInt64();
    }

    private static (string, string) Split(string line) => (line[..line.IndexOf(' ')], line[(line.IndexOf(' ') + 1)..]);

    private static string Summary(List<double> ms)
    {
        var sorted = ms.Order().ToArray();
        double At(double q) => sorted[Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return $"n={sorted.Length}, p50 {At(0.5):F1} ms, p99 {At(0.99):F1} ms, max {sorted[^1]:F1} ms";
    }
}
