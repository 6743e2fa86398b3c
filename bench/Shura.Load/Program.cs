using Shura.Load;

// Seeds stores for the load tests and measures what wrk cannot.
//   Shura.Load ballots DB MEMBERS TOKENS-FILE   one council, one decision open for a day; prints the motion
//   Shura.Load recall DB MEMBERS INFO-FILE      one council with a mandate of many holders, each one
//                                                withdrawal short of recall (see RecallLoad)
//   Shura.Load measure-recall URL INFO-FILE     times confidence withdrawals and recalls over HTTP
return args switch
{
    ["ballots", var db, var members, var tokens] when int.TryParse(members, out int n) && n > 0 => await BallotsLoad.SeedAsync(db, n, tokens),
    ["recall", var db, var members, var info] when int.TryParse(members, out int n) && n >= 1000 => await RecallLoad.SeedAsync(db, n, info),
    ["measure-recall", var url, var info] => await RecallLoad.MeasureAsync(url, info),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Shura.Load ballots DB MEMBERS TOKENS-FILE | recall DB MEMBERS INFO-FILE | measure-recall URL INFO-FILE");
    return 2;
}
