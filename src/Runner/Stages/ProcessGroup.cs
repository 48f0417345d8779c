using Ablations.Core.Execution;
using System.Diagnostics;

namespace Ablations.Runner.Stages;

/// <summary>
/// Starts a stage's external program so that it cannot outlive its runner. The program runs in a session (process
/// group) of its own under a small /bin/sh watchdog whose standard input is a pipe from the runner that the runner
/// never writes: when the runner dies — even by kill -9, when nothing of it can clean up — the kernel closes that pipe,
/// the watchdog reads end-of-file and kills the whole group, the program's own children included. Otherwise a second
/// attempt of the stage, started elsewhere after the runner's heartbeats stop, would run beside an orphaned first one.
/// </summary>
internal static class ProcessGroup
{
    /// <summary>
    /// $@ is the program's argv. The runner's pipe is moved to fd 3 first: a background job of a non-interactive shell
    /// gets /dev/null as its stdin unless it redirects explicitly, so the watchdog reads fd 3. The program gets /dev/null
    /// as stdin and no fd 3; `wait` returns its exit status (128 + signal when killed), which the wrapper exits with.
    /// </summary>
    private const string Watchdog = """
        exec 3<&0
        setsid "$@" </dev/null 3<&- &
        pid=$!
        ( read -r _ <&3; kill -KILL "-$pid" 2>/dev/null ) &
        watch=$!
        exec 3<&-
        wait "$pid"
        code=$?
        kill "$watch" 2>/dev/null
        exit "$code"
        """;

    /// <summary>The start info for <paramref name="argv"/>; throws InvalidConfig when its program cannot be found (the wrapper would only say 127).</summary>
    public static ProcessStartInfo StartInfo(IReadOnlyList<string> argv, string workDir, IReadOnlyDictionary<string, string?> environment)
    {
        var path = environment.TryGetValue("PATH", out var p) && p is not null ? p : Environment.GetEnvironmentVariable("PATH") ?? "";
        if (Resolve(argv[0], workDir, path) is null)
            throw new StageFailedException(FailureKind.InvalidConfig, $"command: cannot start '{argv[0]}': no such program (in {workDir} or on PATH); check the program name and PATH");
        var psi = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // the watchdog's pipe: keep it open until the program has exited
            UseShellExecute = false,
        };
        foreach (var a in (string[])["-c", Watchdog, "ablate-stage", .. argv]) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        return psi;
    }

    private static string? Resolve(string program, string workDir, string path)
    {
        if (program.Contains('/')) return File.Exists(Path.GetFullPath(program, workDir)) ? program : null;
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
    }
}
