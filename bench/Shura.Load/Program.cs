using Shura.Load;

// Seeds stores for the load tests and measures what wrk cannot.
//   Shura.Load ballots DB MEMBERS TOKENS-FILE [stv]   one council, one decision (or a 200-candidate,
//                                                20-seat STV election) open for a day; prints the motion
//   Shura.Load recall DB MEMBERS INFO-FILE      one council with a mandate of many holders, each one
//                                                withdrawal short of recall (see RecallLoad)
//   Shura.Load measure-recall URL INFO-FILE     times confidence withdrawals and recalls over HTTP
//   Shura.Load watch URL MOTION WATCHERS SECONDS TOKENS-FILE
//                                                live watchers of a motion's page, and a probe casting
//                                                ballots as the members in TOKENS-FILE (see WatchersLoad)
//   Shura.Load fediverse DB MEMBERS FOLLOWERS SERVERS BASE-PORT shared|personal TOKENS-FILE
//                                                a public council followed from SERVERS servers on loopback;
//                                                prints its motion and its id (see FediverseLoad)
//   Shura.Load inboxes BASE-PORT SERVERS EXPECTED SECONDS SHURA-URL
//                                                those servers' inboxes, telling when one activity reached them all
return args switch
{
    ["ballots", var db, var members, var tokens] when int.TryParse(members, out int n) && n > 0 => await BallotsLoad.SeedAsync(db, n, tokens),
    ["ballots", var db, var members, var tokens, "stv"] when int.TryParse(members, out int n) && n >= 200 => await BallotsLoad.SeedAsync(db, n, tokens, stv: true),
    ["recall", var db, var members, var info] when int.TryParse(members, out int n) && n >= 1000 => await RecallLoad.SeedAsync(db, n, info),
    ["measure-recall", var url, var info] => await RecallLoad.MeasureAsync(url, info),
    ["watch", var url, var motion, var watchers, var seconds, var tokens] when int.TryParse(watchers, out int w) && w is > 0 and <= 20_000 && int.TryParse(seconds, out int s) && s is > 0 and <= 600
        => await WatchersLoad.RunAsync(url, motion, w, s, tokens),
    ["fediverse", var db, var members, var followers, var servers, var basePort, var kind, var tokens]
        when int.TryParse(members, out int m) && m > 0 && int.TryParse(followers, out int f) && f > 0 && int.TryParse(servers, out int n) && n > 0
            && int.TryParse(basePort, out int b) && kind is "shared" or "personal"
        => await FediverseLoad.SeedAsync(db, m, f, n, b, kind == "shared", tokens),
    ["inboxes", var basePort, var servers, var expected, var seconds, var shura]
        when int.TryParse(basePort, out int b) && int.TryParse(servers, out int n) && int.TryParse(expected, out int e) && int.TryParse(seconds, out int s)
        => await FediverseLoad.InboxesAsync(b, n, e, s, shura),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Shura.Load ballots DB MEMBERS TOKENS-FILE [stv] | recall DB MEMBERS INFO-FILE | measure-recall URL INFO-FILE | watch URL MOTION WATCHERS SECONDS TOKENS-FILE | fediverse DB MEMBERS FOLLOWERS SERVERS BASE-PORT shared|personal TOKENS-FILE | inboxes BASE-PORT SERVERS EXPECTED SECONDS SHURA-URL");
    return 2;
}
