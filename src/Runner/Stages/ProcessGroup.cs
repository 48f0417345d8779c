using Ablations.Core.Execution;
using System.Diagnostics;

namespace Ablations.Runner.Stages;

/// <summary>
/// Starts a stage's external program so that it cannot outlive its runner. The program runs outside any terminal's
/// process group, so a Ctrl-C reaches the runner (or `ablate run`, which stops it), and the runner stops the program, never
/// the program first: in the runner's own session when the runner leads one (<see cref="LeadOwnSession"/>, as `ablate
/// runner` does at its start), else in a session of its own through util-linux's `setsid`. It carries a mark in its
/// environment naming this runner process. One watchdog per runner process — a /bin/sh whose standard input is a pipe
/// from the runner that the runner never writes — waits for that pipe to close: when the runner process ends, even by
/// kill -9 when nothing of it can clean up, the kernel closes the pipe and the watchdog kills the runner's session group
/// when the runner led one, and every process that still carries the mark with its process group (children that cleared
/// their environment are still in one of those). Otherwise a second attempt of the stage, started elsewhere after the
/// runner's heartbeats stop, would run beside an orphaned first one.
/// </summary>
/// <remarks>
/// Until issue 11 each program ran under a watchdog shell of its own (a shell, a background job and a subshell per
/// stage): 8 ms of every stage's start against 2.5 ms for the program alone (`Ablations.Bench spawn`); `setsid` alone
/// still costs 2.3 ms more (one more exec), hence the runner's own session. The mark and the groups cover what the
/// per-stage watchdog covered (the program's group) and more (descendants that moved to a group of their own but kept the
/// environment). A program the runner is still forking when it dies holds a copy of the pipe until its exec (the pipe is
/// close-on-exec), so the watchdog sees the end only once that program carries the mark.
/// </remarks>
internal static class ProcessGroup
{
    /// <summary>The environment variable that marks a program as this runner process's: its value is unique per process.</summary>
    public const string MarkVariable = "ABLATIONS_RUNNER_MARK";

    /// <summary>
    /// $1 is the mark, $2 the runner's process group when it leads its session (else empty). After end-of-file (the runner
    /// is gone) it kills that group, then each marked process and its group, and looks again
    /// until none is left (a marked process may have forked meanwhile), at most 50 times. grep -z reads the
    /// NUL-separated environ files; a zombie's is empty, so killed processes are not found twice.
    /// </summary>
    private const string WatchdogScript = """
        while read -r _; do :; done
        mark="$1"
        [ -n "$2" ] && kill -KILL "-$2" 2>/dev/null
        n=0
        while [ "$n" -lt 50 ]; do
          found=$(grep -lszxF "ABLATIONS_RUNNER_MARK=$mark" /proc/[0-9]*/environ | cut -d/ -f3)
          [ -z "$found" ] && exit 0
          for pid in $found; do kill -KILL "-$pid" 2>/dev/null; kill -KILL "$pid" 2>/dev/null; done
          n=$((n + 1))
        done
        """;

    private static bool _ownSession;

    /// <summary>
    /// Makes this runner process the leader of a new session without a terminal (setsid(2)), so its programs can be
    /// started directly: they are in no terminal's process group, and in the runner's group, which the watchdog kills.
    /// Where that is refused (the process already leads a process group, as a command typed at a shell does), a process
    /// that already leads a session without a terminal (a systemd service) counts too; otherwise each program gets a
    /// session of its own through `setsid`. Call before the first stage; later calls change nothing.
    /// </summary>
    public static void LeadOwnSession()
    {
        if (Guard.IsValueCreated || !OperatingSystem.IsLinux()) return;
        _ownSession = NativeSession.setsid() != -1 || (NativeSession.getsid(0) == Environment.ProcessId && !HasTerminal());
    }

    private static bool HasTerminal()
    {
        try
        {
            using var tty = File.Open("/dev/tty", FileMode.Open, FileAccess.Read);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static class NativeSession
    {
        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
        public static extern int setsid();

        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
        public static extern int getsid(int pid);
    }

    private static readonly Lazy<Watchdog> Guard = new(Watchdog.Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>This process's mark (starts its watchdog on first use).</summary>
    public static string Mark => Guard.Value.Mark;

    /// <summary>The start info for <paramref name="argv"/>; throws InvalidConfig when its program cannot be found (setsid would only say 127).</summary>
    public static ProcessStartInfo StartInfo(IReadOnlyList<string> argv, string workDir, IReadOnlyDictionary<string, string?> environment)
    {
        var path = environment.TryGetValue("PATH", out var p) && p is not null ? p : Environment.GetEnvironmentVariable("PATH") ?? "";
        var program = Resolve(argv[0], workDir, path)
            ?? throw new StageFailedException(FailureKind.InvalidConfig, $"command: cannot start '{argv[0]}': no such program (in {workDir} or on PATH); check the program name and PATH");
        // Started directly, the program is found here, on the stage's PATH and in its folder, as setsid's execvp would find it.
        var psi = new ProcessStartInfo(Guard.Value.OwnSession ? program : Setsid)
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // closed at once by the caller: the program reads end-of-file, never the runner's terminal
            UseShellExecute = false,
        };
        foreach (var a in Guard.Value.OwnSession ? argv.Skip(1) : argv) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        psi.Environment[MarkVariable] = Mark;
        return psi;
    }

    /// <summary>util-linux's setsid, found once: a child of the runner is no group leader, so it calls setsid() and execs the program (no extra fork).</summary>
    private static readonly string Setsid = File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : "setsid";

    private static string? Resolve(string program, string workDir, string path)
    {
        // Relative names and PATH entries are relative to the program's folder, as for setsid's execvp run there.
        if (program.Contains('/')) return Path.GetFullPath(program, workDir) is var full && File.Exists(full) ? full : null;
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.GetFullPath(Path.Combine(d, program), workDir)).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// The watchdog process and the write end of its pipe, kept for the life of this process: were the stream collected
    /// and closed, the watchdog would take the runner for dead.
    /// </summary>
    private sealed class Watchdog
    {
        private readonly StreamWriter _pipe;

        private Watchdog(StreamWriter pipe, string mark, bool ownSession)
        {
            _pipe = pipe;
            Mark = mark;
            OwnSession = ownSession;
        }

        public string Mark { get; }

        /// <summary>Fixed when the watchdog starts, so that every program of this runner is started the same way.</summary>
        public bool OwnSession { get; }

        public static Watchdog Start()
        {
            // Unique per process on this host and across hosts sharing a store: pid, start time and a random part.
            var mark = $"{Environment.ProcessId}-{DateTime.UtcNow:yyyyMMddHHmmssfff}-{Guid.NewGuid():N}";
            var psi = new ProcessStartInfo(Setsid) // its own session: a Ctrl-C meant for the runner does not end the watchdog first
            {
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            var ownSession = _ownSession;
            foreach (var a in (string[])["/bin/sh", "-c", WatchdogScript, "ablate-watchdog", mark, ownSession ? Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) : ""])
                psi.ArgumentList.Add(a);
            psi.Environment.Remove(MarkVariable); // a runner started by a stage must not kill itself with its parent's programs
            var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the runner's program watchdog (/bin/sh)");
            return new Watchdog(process.StandardInput, mark, ownSession);
        }
    }
}
