using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using Shura.Storage;

namespace Shura.Web.Tests.Support;

/// <summary>The whole store as text: two equal snapshots mean that not one row of one table changed.</summary>
public static class Store
{
    public static string Snapshot(Database database)
    {
        using var c = database.OpenConnection();
        // The server's deliverer fans each new activity out beside the requests (a quarter second
        // later): the snapshot waits for that, so it shows the store at rest.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (c.ExecuteScalar<long>("SELECT COUNT(*) FROM ap_activities WHERE fanned_at IS NULL") > 0)
        {
            Assert.True(waited.Elapsed.TotalSeconds < 30, "the deliverer did not fan out the activities within 30 s");
            Thread.Sleep(50);
        }
        var text = new StringBuilder();
        foreach (string table in Tables(c, database.Engine))
        {
            text.Append("## ").Append(table).Append('\n');
            var rows = new List<string>();
            using var command = c.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var values = new string[reader.FieldCount];
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "";
                }
                rows.Add(string.Join('\u001f', values));
            }
            rows.Sort(StringComparer.Ordinal);
            foreach (string row in rows)
            {
                text.Append(row).Append('\n');
            }
        }
        return text.ToString();
    }

    private static List<string> Tables(DbConnection c, Engine engine) => engine == Engine.Postgres
        ? [.. c.Query<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")]
        : [.. c.Query<string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")];
}
