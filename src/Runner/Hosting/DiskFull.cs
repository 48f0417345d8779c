using Ablations.Core.Execution;

namespace Ablations.Runner.Hosting;

/// <summary>
/// A full disk under the workspace is a node condition, not a stage failure: retrying the stage cannot help and
/// failing it would fail the grid. It becomes a <see cref="NodeUnavailableException"/> that stops the runner
/// (exit 3) with one sentence, and the stage goes back to the queue.
/// </summary>
internal static class DiskFull
{
    /// <summary>Below this much free space the runner stops before SQLite or a stage runs into the wall mid-write.</summary>
    public const long MinimumFreeBytes = 1 << 20;

    private const int Enospc = 28, Edquot = 122, SqliteFull = 13;

    /// <summary>
    /// Room kept back for the bookkeeping of a stop: a disk that filled leaves no room for SQLite to write that the
    /// runner's stages go back to the queue, so they would show as running with nobody behind them. The runner holds
    /// this much in a file and deletes it for its last write as it stops (RunnerHost), when that write found the disk full.
    /// </summary>
    public const int ReserveBytes = 1 << 20;

    private static string ReservePath(string root) => Path.Combine(root, ".disk-reserve");

    /// <summary>Writes the reserve (real bytes: a sparse file would hold nothing back) when there is room to spare for it.</summary>
    public static void Reserve(string root)
    {
        var path = ReservePath(root);
        try
        {
            if (File.Exists(path) && new FileInfo(path).Length == ReserveBytes) return;
            if (Available(root) is not { } free || free < 4L * ReserveBytes) return;
            File.WriteAllBytes(path, new byte[ReserveBytes]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(path); // a reserve that could not be written whole only takes room
        }
    }

    /// <summary>Gives the reserve back to the disk, so the stop that follows can still be recorded.</summary>
    public static void FreeReserve(string root) => TryDelete(ReservePath(root));

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    public static bool Is(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is IOException { HResult: Enospc or Edquot } || x is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: SqliteFull } || x.Message.Contains("No space left on device", StringComparison.Ordinal) ||
                x.Message.Contains("Disk quota exceeded", StringComparison.Ordinal))
                return true;
        return false;
    }

    public static NodeUnavailableException Error(string root, Exception? inner = null) =>
        new($"{root}: the disk holding the workspace is full ({Free(root)} free); free space on it and run the command again (finished stages are kept), or pass another --root", inner);

    /// <summary>Throws <see cref="Error"/> when the workspace's file system has less than <see cref="MinimumFreeBytes"/> free.</summary>
    public static void Check(string root)
    {
        if (Available(root) is { } free && free < MinimumFreeBytes) throw Error(root);
    }

    private static long? Available(string root)
    {
        try
        {
            return new DriveInfo(root).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    private static string Free(string root) => Available(root) is { } free ? $"{free / 1024.0:N0} KiB" : "no space";
}
