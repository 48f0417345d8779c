using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Ablations.Core.Store;

public enum StoreProvider { Sqlite, Postgres }

/// <summary>
/// Where the results store lives: a SQLite file (the embedded default) or a PostgreSQL server given as
/// postgres://user:pass@host:port/db. Parsed once; everything else asks it for options.
/// </summary>
public sealed record StoreLocation(StoreProvider Provider, string ConnectionString, string Display, int BusyTimeoutSeconds = StoreLocation.DefaultBusyTimeoutSeconds)
{
    /// <summary>Seconds a writer waits on a locked SQLite file before failing (the busy timeout).</summary>
    public const int DefaultBusyTimeoutSeconds = 30;

    /// <summary>How long a transient failure (a restarting server, a dropped connection) is retried before it is reported (StoreFaults).</summary>
    public TimeSpan RetryFor { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Set once the store is open: from then on a SQLite file that is no longer at its path was deleted or moved under
    /// us, and writing on would put results into an unlinked file that disappears with the process.
    /// </summary>
    public bool MustExist { get; init; }

    /// <summary>A SQLite file that is there, or any PostgreSQL store (whether its server answers is for the first query to find).</summary>
    public bool Exists => Provider == StoreProvider.Postgres || File.Exists(Display);

    public static StoreLocation Sqlite(string path, int busyTimeoutSeconds = DefaultBusyTimeoutSeconds, SqliteOpenMode mode = SqliteOpenMode.ReadWriteCreate)
    {
        var full = Path.GetFullPath(path);
        var cs = new SqliteConnectionStringBuilder { DataSource = full, DefaultTimeout = busyTimeoutSeconds, Pooling = true, Mode = mode };
        return new StoreLocation(StoreProvider.Sqlite, cs.ToString(), full, busyTimeoutSeconds);
    }

    public static StoreLocation Parse(string value)
    {
        if (value.StartsWith("postgres://", StringComparison.Ordinal) || value.StartsWith("postgresql://", StringComparison.Ordinal))
        {
            var uri = new Uri(value);
            var userInfo = uri.UserInfo.Split(':', 2);
            // Built by Npgsql's own builder, which quotes values: a password holding ';' or '=' is one value, not
            // the start of another keyword (string joining turned 'p;w' into an unknown keyword 'w').
            var builder = new Npgsql.NpgsqlConnectionStringBuilder
            {
                Host = uri.Host.Trim('[', ']'),
                Port = uri.Port > 0 ? uri.Port : 5432,
                Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
                // Every store operation takes a pooled connection for a few statements, the same few statements per stage:
                // prepared once per connection they skip the server's parse and plan, and a connection given back is not
                // reset (DISCARD ALL would drop those statements again). Nothing here sets session state to leak.
                MaxAutoPrepare = 64,
                AutoPrepareMinUsages = 2,
                NoResetOnClose = true,
            };
            if (userInfo[0].Length > 0) builder.Username = Uri.UnescapeDataString(userInfo[0]);
            if (userInfo.Length > 1) builder.Password = Uri.UnescapeDataString(userInfo[1]);
            return new StoreLocation(StoreProvider.Postgres, builder.ConnectionString, $"postgres://{uri.Host}:{builder.Port}{uri.AbsolutePath}");
        }
        return Sqlite(value);
    }

    /// <summary>
    /// An open ADO.NET connection without EF Core, for the few reads on the path of every command (is the store migrated,
    /// is a plan already settled) where EF Core's first query would cost more than the answer.
    /// </summary>
    internal System.Data.Common.DbConnection OpenPlainConnection()
    {
        System.Data.Common.DbConnection connection = Provider == StoreProvider.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString)
            : new Npgsql.NpgsqlConnection(ConnectionString);
        try
        {
            connection.Open();
            if (Provider == StoreProvider.Sqlite) SqlitePragmas.Apply(connection, BusyTimeoutSeconds);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>A new context on this store: SQLite, or the PostgreSQL flavour with its own migrations.</summary>
    /// <remarks>
    /// A list in a query (`hashes.Contains(s.Hash)`) goes to the database as one JSON or array parameter: EF Core 10's
    /// default, a parameter per element, fails past SQLite's 32,766 variables ("too many SQL variables"), which
    /// planning a 100,000-run grid against a store reached (issue 11).
    /// </remarks>
    internal AblationsDbContext NewContext() => Provider == StoreProvider.Sqlite
        ? new AblationsDbContext(new DbContextOptionsBuilder<AblationsDbContext>()
            .UseSqlite(ConnectionString, o => o.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
            .AddInterceptors(SqlitePragmas.Of(BusyTimeoutSeconds)).Options)
        : new PostgresDbContext(new DbContextOptionsBuilder<PostgresDbContext>()
            .UseNpgsql(ConnectionString, o => o.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter)).Options);
}

/// <summary>
/// What every SQLite connection of the store sets when it opens (a pooled connection may be new to SQLite):
/// <list type="bullet">
/// <item>Lock waits go to SQLite's own busy handler (PRAGMA busy_timeout), which retries within a millisecond or two of
/// the lock's release. Microsoft.Data.Sqlite sets none and retries a busy statement itself after sleeping 150 ms, so two
/// workers that wrote at the same moment lost 150 ms a time: measured, that sleep was half the runner's worker time on
/// a grid of short command stages (issue 11).</item>
/// <item>PRAGMA synchronous = NORMAL, SQLite's recommendation for WAL mode: a commit is written to the WAL but not synced;
/// the WAL is synced at each checkpoint. A killed process loses nothing (its writes are in the kernel's page cache); a
/// power loss or kernel crash may roll back the last commits, never corrupt the file. The store is built for that
/// already: artifacts are checked against their manifests, and a stage whose success was rolled back is Running with
/// a stale heartbeat and runs again (docs/faults.md). FULL synced the WAL on each of the several commits a stage
/// makes (claim, metrics, success) on the path between one stage's program and the next.</item>
/// </list>
/// </summary>
internal sealed class SqlitePragmas(int seconds) : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
{
    // One instance per timeout: EF Core keys its internal service provider on the options, interceptors included.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, SqlitePragmas> Instances = new();

    public static SqlitePragmas Of(int seconds) => Instances.GetOrAdd(seconds, s => new SqlitePragmas(s));

    public override void ConnectionOpened(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData) =>
        Apply(connection, seconds);

    public override Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection, seconds);
        return Task.CompletedTask;
    }

    public static void Apply(System.Data.Common.DbConnection connection, int seconds)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {seconds * 1000L}; PRAGMA synchronous = NORMAL;";
        command.ExecuteNonQuery();
    }
}
