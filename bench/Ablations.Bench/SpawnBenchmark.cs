using Ablations.Runner.Stages;
using System.Diagnostics;
using System.Globalization;
using static Ablations.Bench.SpineBenchSupport;

namespace Ablations.Bench;

/// <summary>
/// What starting a `command` stage's program costs the runner (issue 11): ms from Process.Start to the program's exit
/// and the end of its output, for a program that does nothing (`true`), started (a) directly, with stdout and stderr
/// read as a stage reads them, (b) the way a stage of `ablate runner` starts it (<see cref="ProcessGroup"/>: in the
/// runner's own session, marked for the runner's one watchdog), (c) through `setsid`, as a stage of a runner that cannot lead its own
/// session starts, (d) the way stages were started until issue 11, under a /bin/sh
/// watchdog of their own (the script is kept here to measure it). The variants alternate one start at a time;
/// figures are medians.
/// Usage: spawn [--starts N] (default 300).
/// </summary>
internal static class SpawnBenchmark
{
    public static int Run(string[] args)
    {
        var starts = args.Length > 1 && args[0] == "--starts" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300;
        ProcessGroup.LeadOwnSession(); // as `ablate runner` does at its start
        var variants = new (string Name, Func<ProcessStartInfo> Info)[]
        {
            ("direct", () => Plain("true")),
            ("as a stage (ProcessGroup)", () => ProcessGroup.StartInfo(["true"], Environment.CurrentDirectory, new Dictionary<string, string?>())),
            ("setsid (runner in a terminal)", () => Plain("/usr/bin/setsid", "true")),
            ("per-stage watchdog (before)", PerStageWatchdog),
        };
        var times = variants.Select(_ => new List<double>()).ToArray();
        for (var i = 0; i < 20; i++) foreach (var v in variants) Once(v.Info()); // warm-up: JIT and page cache
        for (var i = 0; i < starts; i++)
            for (var k = 0; k < variants.Length; k++)
            {
                var j = (k + i) % variants.Length;
                times[j].Add(Once(variants[j].Info()));
            }
        Console.WriteLine($"## spawn: {starts} starts of `true` per variant, alternated");
        var baseline = Percentile(times[0], 50);
        for (var k = 0; k < variants.Length; k++)
            Console.WriteLine($"  {variants[k].Name,-28} median {Percentile(times[k], 50):F2} ms  p90 {Percentile(times[k], 90):F2} ms  ({Percentile(times[k], 50) - baseline:+0.00;-0.00} ms against direct)");
        return 0;
    }

    /// <summary>The start of a stage until issue 11: a shell that ran the program in its own session and killed it when the runner's pipe closed.</summary>
    private static ProcessStartInfo PerStageWatchdog()
    {
        var psi = Plain("/bin/sh");
        foreach (var a in (string[])["-c", """
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
            """, "ablate-stage", "true"]) psi.ArgumentList.Add(a);
        return psi;
    }

    /// <summary>A program started directly, with stdin, stdout and stderr redirected as a stage's are.</summary>
    internal static ProcessStartInfo Plain(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    /// <summary>Milliseconds from the start to the exit and the end of the output.</summary>
    internal static double Once(ProcessStartInfo info)
    {
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.Start();
        using var stdin = process.StandardInput; // the old watchdog's pipe stays open until the program has exited
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        return clock.Elapsed.TotalMilliseconds;
    }
}
