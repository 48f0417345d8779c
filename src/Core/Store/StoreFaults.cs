using Microsoft.Data.Sqlite;
using Npgsql;
using System.Diagnostics;

namespace Ablations.Core.Store;

/// <summary>
/// The one storage-fault policy. A <b>transient</b> failure (a PostgreSQL server restarting, a dropped connection,
/// "cannot connect now", a serialization conflict) is retried with exponential backoff for the location's retry budget,
/// so a brief outage delays work instead of losing it. A <b>permanent</b> one (a read-only, full, damaged, deleted or
/// unopenable store, a lock held past the busy timeout, a refused login) stops at once as a
/// <see cref="StoreUnavailableException"/> whose message names the store and the fix; the CLI turns it into exit 3.
/// </summary>
public static class StoreFaults
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="action"/> under the policy. Safe to retry: every store operation is one transaction.</summary>
    public static T Run<T>(StoreLocation location, Func<T> action)
    {
        var clock = Stopwatch.StartNew();
        var delay = FirstDelay;
        while (true)
        {
            if (location.MustExist && location.Provider == StoreProvider.Sqlite && !File.Exists(location.Display))
                throw new StoreUnavailableException($"{location.Display}: the results store file was deleted or moved while in use; " +
                    "results recorded since it was opened went with it. Restore the file, or run the command again to start a new store");
            try
            {
                return action();
            }
            catch (Exception e) when (IsTransient(e))
            {
                if (clock.Elapsed + delay > location.RetryFor)
                    throw new StoreUnavailableException($"{location.Display}: the results store stayed unreachable for {clock.Elapsed.TotalSeconds:F0} s " +
                        $"({Root(e).Message.TrimEnd('.')}); check that the server is up and reachable, then run the command again", e);
                Thread.Sleep(delay);
                delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, delay.Ticks * 2));
            }
            catch (Exception e) when (Permanent(location, e) is { } unavailable)
            {
                throw unavailable;
            }
        }
    }

    /// <summary>A failure that a retry a moment later can cure: the server or the connection, not the store's content.</summary>
    public static bool IsTransient(Exception e) => Root(e) switch
    {
        PostgresException pe => pe.IsTransient || pe.SqlState is "57P01" or "57P02" or "57P03" || pe.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException ne => ne.IsTransient,
        System.Net.Sockets.SocketException => true,
        _ => false,
    };

    private static StoreUnavailableException? Permanent(StoreLocation location, Exception e) => Root(e) switch
    {
        SqliteException se => new StoreUnavailableException(se.SqliteErrorCode switch
        {
            8 => $"{location.Display}: the results store is read-only; make the file and its folder writable, or pass another --root",
            5 or 6 => $"{location.Display}: the results store stayed locked by another process for {location.BusyTimeoutSeconds} s; stop that process or pass another --root",
            13 => $"{location.Display}: the disk holding the results store is full; free space on it (finished stages are kept) and run the command again, or pass another --root",
            14 => $"{location.Display}: the results store cannot be opened (missing folder or no permission); check the path or pass another --root",
            11 or 26 => $"{location.Display}: this file is not a valid results store (corrupt or not SQLite); move it away or pass another --root",
            _ => $"{location.Display}: results store error: {se.Message}",
        }, e),
        NpgsqlException ne => new StoreUnavailableException($"{location.Display}: the PostgreSQL results store refused the request: {ne.Message}", e),
        _ => null,
    };

    private static Exception Root(Exception e)
    {
        while (e.InnerException is not null && e is not SqliteException && e is not NpgsqlException) e = e.InnerException;
        return e;
    }
}
