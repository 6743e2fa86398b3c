using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Shura.Storage;

/// <summary>Which database engine holds the data.</summary>
public enum Engine
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Where Shura keeps its data: a SQLite file (the embedded default, nothing to install) or a
/// PostgreSQL database, chosen by the connection string. Both get the same schema and the same
/// SQL, except where noted; acknowledged writes are durable on both.
/// </summary>
public sealed class Database : IDisposable
{
    private readonly NpgsqlDataSource? _postgres;

    // Every query of this assembly runs after a Database exists: from here on Dapper maps
    // snake_case columns to PascalCase properties, and typed ids to their text.
    static Database()
    {
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        TypedIds.Register();
    }

    private Database(Engine engine, string connectionString, string description, bool readOnly = false)
    {
        Engine = engine;
        ConnectionString = connectionString;
        Description = description;
        ReadOnly = readOnly;
        if (engine == Engine.Postgres)
        {
            _postgres = NpgsqlDataSource.Create(connectionString);
        }
    }

    /// <summary>Opened only to read (by <c>shura verify</c>): nothing through it can change the store.</summary>
    public bool ReadOnly { get; }

    public Engine Engine { get; }

    public string ConnectionString { get; }

    /// <summary>Where the data is, for messages (never the password).</summary>
    public string Description { get; }

    public const string DefaultSqlitePath = "data/shura.db";

    /// <summary>
    /// A PostgreSQL connection string (it contains "Host=") or a SQLite file path. SQLite runs in
    /// WAL mode with synchronous=FULL: a commit is on disk before the server answers.
    /// </summary>
    public static Database Open(string? pathOrConnectionString)
    {
        string value = string.IsNullOrWhiteSpace(pathOrConnectionString) ? DefaultSqlitePath : pathOrConnectionString.Trim();
        if (value.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            var builder = new NpgsqlConnectionStringBuilder(value);
            // The writer runs the same few statements over and over: let Npgsql prepare them on the
            // server once instead of having PostgreSQL parse and plan each one again.
            if (!value.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase))
            {
                builder.MaxAutoPrepare = 64;
                builder.AutoPrepareMinUsages = 2;
            }
            return new Database(Engine.Postgres, builder.ConnectionString,
                $"PostgreSQL database {builder.Database} on {builder.Host}:{builder.Port}");
        }
        string path = Path.GetFullPath(value);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var sqlite = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        };
        return new Database(Engine.Sqlite, sqlite.ConnectionString, $"SQLite file {path}");
    }

    /// <summary>
    /// SQL for "<paramref name="column"/> is one of the list in <paramref name="parameter"/>": Dapper
    /// spreads a list into IN (…) for SQLite, while Npgsql takes it whole as an array.
    /// </summary>
    public string OneOf(string column, string parameter) =>
        Engine == Engine.Postgres ? $"{column} = ANY({parameter})" : $"{column} IN {parameter}";

    /// <summary>
    /// A store that exists, opened only to read: for checking it, a mistyped path must not create an
    /// empty store that then looks intact, and a read-only copy must open. SQLite opens the file
    /// read-only (a copy on read-only media opens as immutable); PostgreSQL runs every transaction
    /// read-only. Throws <see cref="StoreNotFoundException"/> when there is no store there.
    /// </summary>
    public static Database OpenExisting(string? pathOrConnectionString)
    {
        string value = string.IsNullOrWhiteSpace(pathOrConnectionString) ? DefaultSqlitePath : pathOrConnectionString.Trim();
        if (value.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            var builder = new NpgsqlConnectionStringBuilder(value) { Options = "-c default_transaction_read_only=on" };
            var database = new Database(Engine.Postgres, builder.ConnectionString, $"PostgreSQL database {builder.Database} on {builder.Host}:{builder.Port}", readOnly: true);
            try
            {
                using var probe = database.OpenConnection();
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
            {
                database.Dispose();
                throw new StoreNotFoundException($"there is no {database.Description}");
            }
            return database;
        }
        string path = Path.GetFullPath(value);
        if (!File.Exists(path))
        {
            throw new StoreNotFoundException($"there is no store at {path} (give its path with --db)");
        }
        var readOnly = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Cache = SqliteCacheMode.Private, Pooling = false };
        var opened = new Database(Engine.Sqlite, readOnly.ConnectionString, $"SQLite file {path}", readOnly: true);
        try
        {
            using var probe = opened.OpenConnection();
            using var read = probe.CreateCommand();
            read.CommandText = "SELECT COUNT(*) FROM sqlite_master";
            read.ExecuteScalar();
            return opened;
        }
        catch (SqliteException)
        {
            // A copy where SQLite cannot keep its shared-memory index beside the file (read-only
            // media, a folder one may not write to) is read as immutable: as the file holds it.
            readOnly.DataSource = new Uri(path).AbsoluteUri + "?immutable=1";
            return new Database(Engine.Sqlite, readOnly.ConnectionString, $"SQLite file {path} (read as immutable)", readOnly: true);
        }
    }

    public DbConnection OpenConnection()
    {
        if (_postgres is not null)
        {
            return _postgres.OpenConnection();
        }
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        if (ReadOnly)
        {
            pragmas.CommandText = "PRAGMA query_only=ON; PRAGMA busy_timeout=30000;";
            pragmas.ExecuteNonQuery();
            return connection;
        }
        // WAL lets readers run beside the writer; FULL makes every commit durable before it returns;
        // the busy timeout lets a second process wait for the write lock instead of failing.
        // secure_delete overwrites what is deleted with zeros: an erased text (a doxxing, a threat)
        // must not stay readable in the file's free pages for whoever takes the disk.
        pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;";
        pragmas.ExecuteNonQuery();
        return connection;
    }

    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }
        return OpenConnection();
    }

    /// <summary>For PostgreSQL: creates the database when it does not exist yet.</summary>
    internal void EnsureCreated()
    {
        if (Engine != Engine.Postgres)
        {
            return;
        }
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        string name = builder.Database ?? throw new InvalidOperationException("The PostgreSQL connection string names no Database.");
        builder.Database = "postgres";
        using var admin = new NpgsqlConnection(builder.ConnectionString);
        admin.Open();
        using var exists = admin.CreateCommand();
        exists.CommandText = "SELECT 1 FROM pg_database WHERE datname = @name";
        exists.Parameters.AddWithValue("name", name);
        if (exists.ExecuteScalar() is null)
        {
            using var create = admin.CreateCommand();
            create.CommandText = $"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
            try
            {
                create.ExecuteNonQuery();
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Another server process created it first.
            }
        }
    }

    public void Dispose() => _postgres?.Dispose();
}

/// <summary>There is no store where one was to be opened (only to read it).</summary>
public sealed class StoreNotFoundException(string message) : Exception(message);

/// <summary>The store was written by a newer release than this one (its schema version is higher).</summary>
public sealed class StoreTooNewException(string message) : Exception(message);
