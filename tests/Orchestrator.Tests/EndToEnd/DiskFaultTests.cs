namespace Ablations.Orchestrator.Tests.EndToEnd;

/// <summary>
/// Issue 9, disk: a workspace on a disk that fills during a run, and one on a read-only file system. Exit 3 with one
/// sentence, no stack trace, nothing corrupted: with room again, the same command finishes with a clean workspace's numbers.
/// </summary>
[Collection("processes")]
public sealed class DiskFaultTests(CleanQuickstarts clean) : IClassFixture<CleanQuickstarts>
{
    [SkippableFact]
    public void DiskFillsDuringARun_Exit3WithTheFix_ThenWithRoomTheSameCommandEndsWithCleanNumbers()
    {
        using var disk = Tmpfs.Mount(6);
        using var dir = new TempDir();
        CleanQuickstarts.Spec(dir, CleanQuickstarts.Epochs1);
        var root = Path.Combine(disk.Path, ".ablations");
        string[] args = ["run", Path.Combine(dir.Path, "quickstart.yaml"), "--profile", "smoke", "--root", root];

        var full = Ablate.Wait(Ablate.Start(dir.Path, args), TimeSpan.FromMinutes(3));

        Assert.True(full.ExitCode == 3, full.All);
        Assert.Matches(@"error: .*(results store is full|workspace is full).*free space on it", full.Stderr);
        Assert.DoesNotContain("   at ", full.All);
        var runnerLog = File.ReadAllText(Path.Combine(root, "logs", "runner.log"));
        Assert.DoesNotContain("Unhandled exception", runnerLog);
        // The stages the runner held went back to the queue when it stopped: none shows "running" with no process behind it.
        var status = Ablate.Run(dir.Path, "status", "quickstart", "--root", root);
        Assert.True(status.ExitCode == 0, status.All);
        var logs = string.Join("\n", Directory.GetFiles(Path.Combine(root, "logs")).Select(File.ReadAllText));
        Assert.False(System.Text.RegularExpressions.Regex.IsMatch(status.Stdout, @"│ running\s+│"), status.Stdout + "\n" + logs);

        disk.Resize(64);
        var again = Ablate.Wait(Ablate.Start(dir.Path, args), TimeSpan.FromMinutes(3));
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Equal(clean.A, ReportedResults.Of(dir.Path, "quickstart"));
    }

    [SkippableFact]
    public void ReadOnlyEmptyRoot_Exit3NamingTheFolder()
    {
        using var disk = Tmpfs.Mount(1, readOnly: true);
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var spec = dir.Write("ro.yaml", Fixtures.Spec("ro", "[1]", "[2]", seeds: "[1]"));

        foreach (var args in new[] { new[] { "run", spec }, ["status"], ["runner"] })
        {
            var result = Ablate.Wait(Ablate.Start(dir.Path, [.. args, "--root", Path.Combine(disk.Path, "ws")]), TimeSpan.FromSeconds(60));
            Assert.True(result.ExitCode == 3, $"{args[0]}: {result.All}");
            Assert.Contains($"{disk.Path}/ws: cannot create the workspace folder", result.Stderr);
            Assert.DoesNotContain("   at ", result.All);
        }
    }
}
