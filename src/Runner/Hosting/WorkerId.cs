using System.Diagnostics;

namespace Ablations.Runner.Hosting;

/// <summary>host:pid:nonce — enough to tell whether a claimed stage's worker process on this host is still alive.</summary>
public static class WorkerId
{
    public static string New() => $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>True only when the worker ran on this host and its process is gone (or is a different program now).</summary>
    public static bool IsDeadOnThisHost(string worker)
    {
        var parts = worker.Split(':');
        if (parts.Length < 3 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], out var pid)) return false;
        if (pid == Environment.ProcessId) return false;
        try
        {
            using var p = Process.GetProcessById(pid);
            return p.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
