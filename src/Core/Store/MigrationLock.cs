using Microsoft.EntityFrameworkCore;

namespace Ablations.Core.Store;

/// <summary>
/// An exclusive OS lock on &lt;store&gt;.lock held while a process opens (and maybe migrates) a SQLite store. The kernel
/// drops it when the process dies, however it dies, which EF Core's own SQLite migration lock (a row in
/// __EFMigrationsLock, deleted on success) cannot do. Every opener takes this lock first, so whoever holds it knows
/// that a row in __EFMigrationsLock belongs to nobody.
/// </summary>
internal sealed class MigrationLock : IDisposable
{
    private readonly FileStream? _file;

    private MigrationLock(FileStream? file) => _file = file;

    /// <summary>False when the lock file could not be created (a read-only folder): nothing can be migrated there anyway.</summary>
    public bool Held => _file is not null;

    /// <summary>Waits up to the store's busy timeout for another process that is opening the same store.</summary>
    public static MigrationLock Take(StoreLocation location)
    {
        var path = location.Display + ".lock";
        var deadline = DateTime.UtcNow.AddSeconds(location.BusyTimeoutSeconds);
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive advisory lock (flock) on Unix: the next opener gets an IOException.
                return new MigrationLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (UnauthorizedAccessException)
            {
                return new MigrationLock(null);
            }
            catch (IOException) when (File.Exists(path) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
            catch (IOException e) when (File.Exists(path))
            {
                throw new StoreUnavailableException($"{location.Display}: another process kept the store's migration lock ({path}) for {location.BusyTimeoutSeconds} s; stop it or pass another --root", e);
            }
            catch (IOException)
            {
                return new MigrationLock(null); // could not create the lock file (read-only or full folder): the store itself will say why
            }
        }
    }

    /// <summary>Deletes EF Core's lock row if one is there (only called while this lock is held); writes nothing otherwise, so a read-only store still opens for reading.</summary>
    public static void ClearStaleRow(DbContext db)
    {
        db.Database.OpenConnection();
        if (HasRow(db.Database.GetDbConnection())) db.Database.ExecuteSqlRaw("DELETE FROM \"__EFMigrationsLock\";");
    }

    /// <summary>Whether EF Core's SQLite migration lock table exists and holds a row, on an open connection.</summary>
    public static bool HasRow(System.Data.Common.DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsLock'";
        if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0) return false;
        command.CommandText = "SELECT COUNT(*) FROM \"__EFMigrationsLock\"";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    public void Dispose() => _file?.Dispose();
}
