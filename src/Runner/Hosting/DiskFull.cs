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

    private const int Enospc = 28, Edquot = 122;

    public static bool Is(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is IOException { HResult: Enospc or Edquot } || x.Message.Contains("No space left on device", StringComparison.Ordinal) ||
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
