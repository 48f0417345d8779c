using System.Diagnostics;

namespace Ablations.Orchestrator.Tests.Commands;

/// <summary>
/// deploy/ablate-runner.service as an operator installs it: systemd accepts the unit (systemd-analyze verify, with the
/// paths of this machine put in), and the runner accepts every option its ExecStart line gives — on this CPU machine
/// it stops at the CUDA devices the line names (exit 2 with that reason), not at an option it does not know.
/// </summary>
[Collection("processes")]
public sealed class RunnerUnitFileTests
{
    private static string Unit => File.ReadAllText(Repo.File("deploy/ablate-runner.service"));

    private static string ExecStartArguments => Unit.Split('\n').Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal))
        .Split(' ', 2)[1].Trim();

    [SkippableFact]
    public void SystemdAcceptsTheUnit()
    {
        Skip.IfNot(File.Exists("/usr/bin/systemd-analyze"), "systemd-analyze is not installed");
        using var dir = new TempDir();
        // Only the paths of the machine it is installed on change: the binary, the user, the shared folder.
        var unit = Unit.Replace("/opt/ablate/ablate", "/bin/true").Replace("User=ablations", "User=root").Replace("Group=ablations", "Group=root")
            .Replace("/srv/ablations", dir.Path);
        var path = dir.Write("ablate-runner.service", unit);
        using var verify = Process.Start(new ProcessStartInfo("systemd-analyze", ["verify", path]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var errors = verify.StandardError.ReadToEnd() + verify.StandardOutput.ReadToEnd();
        verify.WaitForExit();
        Assert.True(verify.ExitCode == 0, errors);
        Assert.Contains("RestartPreventExitStatus=2", Unit);
        Assert.Contains("KillSignal=SIGTERM", Unit); // SIGTERM drains (ClusterTests)
    }

    [Fact]
    public void TheRunnerAcceptsEveryOptionOfExecStart()
    {
        using var dir = new TempDir();
        var url = dir.Write("db-url", Path.Combine(dir.Path, "store.db") + "\n");
        var args = ExecStartArguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(a => a == "/etc/ablations/db-url" ? url : a == "%H" ? "node-1" : a).ToArray();
        Assert.Equal("runner", args[0]);
        var run = Ablate.Run(dir.Path, args);
        Assert.True(run.ExitCode == 2, run.All);
        Assert.DoesNotContain("nknown option", run.All);
        Assert.Contains("cuda", run.Stderr, StringComparison.OrdinalIgnoreCase);
    }
}
