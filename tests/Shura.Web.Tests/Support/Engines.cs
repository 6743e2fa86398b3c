namespace Shura.Web.Tests.Support;

/// <summary>
/// The databases the integration tests run against: SQLite always; PostgreSQL when
/// SHURA_TEST_POSTGRES holds a connection string to a running server (test.sh starts one and sets
/// it). Each test gets a database of its own.
/// </summary>
public static class Engines
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static string? PostgresServer => Environment.GetEnvironmentVariable("SHURA_TEST_POSTGRES");

    /// <summary>
    /// For a test only PostgreSQL can run (one it kills, or makes read-only): whether there is one.
    /// Under test.sh (SHURA_REQUIRE_POSTGRES=1) there must be, so the test is never silently left out there.
    /// </summary>
    public static bool PostgresHere
    {
        get
        {
            if (Environment.GetEnvironmentVariable("SHURA_REQUIRE_POSTGRES") == "1")
            {
                Assert.NotNull(PostgresServer);
            }
            return PostgresServer is not null;
        }
    }

    /// <summary>A running Redis for the tests of several nodes (SHURA_TEST_REDIS, which test.sh sets), or null.</summary>
    public static string? RedisServer => Environment.GetEnvironmentVariable("SHURA_TEST_REDIS");

    /// <summary>
    /// Whether the tests of several nodes can run: with a Redis, on PostgreSQL (the store several
    /// nodes share). Where test.sh runs them (SHURA_REQUIRE_REDIS=1) both must be there.
    /// </summary>
    public static bool SeveralNodes
    {
        get
        {
            if (Environment.GetEnvironmentVariable("SHURA_REQUIRE_REDIS") == "1")
            {
                Assert.NotNull(RedisServer);
                Assert.NotNull(PostgresServer);
            }
            return RedisServer is not null && PostgresServer is not null;
        }
    }

    /// <summary>
    /// For suites written once as a class per engine: PostgreSQL when there is one. On a laptop
    /// without it the class runs on SQLite again; under test.sh PostgreSQL is required
    /// (see <see cref="EngineSetupTests"/>), so nothing is silently left out there.
    /// </summary>
    public static string PostgresOrSqlite => PostgresServer is null ? Sqlite : Postgres;

    public static TheoryData<string> All
    {
        get
        {
            var engines = new TheoryData<string> { Sqlite };
            if (PostgresServer is not null)
            {
                engines.Add(Postgres);
            }
            return engines;
        }
    }

    /// <summary>A fresh, empty store on <paramref name="engine"/>: a SQLite file path, or a PostgreSQL connection string.</summary>
    public static string FreshDb(string engine) => engine switch
    {
        Sqlite => Path.Combine(Directory.CreateTempSubdirectory("shura-test-").FullName, "shura.db"),
        Postgres => $"{PostgresServer};Database=shura_test_{Guid.NewGuid():N}",
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "sqlite or postgres"),
    };
}

public class EngineSetupTests
{
    /// <summary>test.sh sets SHURA_REQUIRE_POSTGRES=1: then PostgreSQL must be there, never silently left out.</summary>
    [Fact]
    public void PostgreSQL_is_tested_whenever_the_test_script_requires_it()
    {
        if (Environment.GetEnvironmentVariable("SHURA_REQUIRE_POSTGRES") == "1")
        {
            Assert.NotNull(Engines.PostgresServer);
            Assert.Contains(Engines.Postgres, ((IEnumerable<object[]>)Engines.All).Select(row => (string)row[0]));
        }
        else
        {
            Assert.Null(Environment.GetEnvironmentVariable("SHURA_REQUIRE_POSTGRES"));
        }
    }
}
