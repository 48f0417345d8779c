using System.Diagnostics;
using Ablations.Orchestrator.Scheduling;

namespace Ablations.Orchestrator.Tests.Scheduling;

/// <summary>`ablate run`'s supervision of its runner child, with real child processes standing in for the runner.</summary>
public sealed class RunnerSupervisorTests
{
    private static LocalRunnerProcess Shell(string script, string log)
    {
        var psi = new ProcessStartInfo("/bin/sh");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        return LocalRunnerProcess.Launch(psi, log);
    }

    private static void WaitForExit(RunnerSupervisor s)
    {
        var clock = Stopwatch.StartNew();
        while (!s.Current.HasExited)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(20)) throw new TimeoutException("child did not exit");
            Thread.Sleep(20);
        }
    }

    [Fact]
    public void RunnerThatKeepsDying_IsRestartedFiveTimes_ThenGivesUpNamingTheLog()
    {
        using var dir = new TempDir();
        var log = Path.Combine(dir.Path, "logs", "runner.log");
        var exitCodes = new List<int>();
        using var supervisor = new RunnerSupervisor(() => Shell("echo native crash >&2; exit 134", log), log, exitCodes.Add);
        for (var k = 0; k < 5; k++)
        {
            WaitForExit(supervisor);
            supervisor.Check();
        }
        Assert.Equal(5, supervisor.Restarts);
        WaitForExit(supervisor);
        var e = Assert.Throws<RunnerDiedException>(supervisor.Check);
        Assert.Contains("died 6 times (last exit code 134)", e.Message);
        Assert.Contains(log, e.Message);
        Assert.Equal(Enumerable.Repeat(134, 5), exitCodes);
        supervisor.Current.Stop(TimeSpan.FromSeconds(5)); // as `ablate run` does on its way out: the log gets the last child's output too
        Assert.Equal(6, File.ReadAllLines(log).Count(l => l == "native crash")); // every crash's last words are kept
    }

    [Fact]
    public void LiveRunner_IsLeftAlone_AndStopsWhenItsInputCloses()
    {
        using var dir = new TempDir();
        var log = Path.Combine(dir.Path, "runner.log");
        var starts = 0;
        using var supervisor = new RunnerSupervisor(() => { starts++; return Shell("cat > /dev/null; echo stopped", log); }, log, _ => { });
        supervisor.Check();
        Assert.Equal(1, starts);
        Assert.False(supervisor.Current.HasExited);
        supervisor.Current.Stop(TimeSpan.FromSeconds(10)); // closing stdin is the graceful stop signal
        Assert.True(supervisor.Current.HasExited);
        Assert.Equal(0, supervisor.Current.ExitCode);
    }
}
