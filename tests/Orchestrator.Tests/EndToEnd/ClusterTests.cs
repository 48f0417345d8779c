using Ablations.Core.Store;
using Ablations.Core.Store.Entities;
using Ablations.Orchestrator.Scheduling;
using System.Diagnostics;

namespace Ablations.Orchestrator.Tests.EndToEnd;

/// <summary>
/// Issue 13 on a real PostgreSQL server with real runner processes: the registry (who runs what, on which devices),
/// placement (a stage only a runner with enough devices may take goes there; one nobody can take is reported), a drain
/// asked from anywhere (the training stage checkpoints, goes back to the queue at once and resumes elsewhere), and a
/// runner on another host (its own UTS namespace) taking over the stage of a runner killed with -9.
/// </summary>
[Collection("processes")]
public sealed class ClusterTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(150);

    [SkippableFact]
    public void TwoRunners_AreListedWithTheirDevicesAndStages_PlacementRoutesAndReports_SigtermStopsThemCleanly()
    {
        PostgresServer.SkipUnlessAvailable();
        using var pg = new PostgresServer();
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var release = Path.Combine(dir.Path, "release");
        var db = pg.Url();
        // One stage that needs two devices, one for a queue nobody serves, then three that hold until the test releases them.
        var held = dir.Write("held.yaml", Fixtures.Spec("held", "[1, 2, 3]", "[1]", seeds: "[1]", env: $"WAIT_FOR: '{release}'"));
        var wide = dir.Write("wide.yaml", Fixtures.Spec("wide", "[7]", "[1]", seeds: "[1]") + "\nresources: {default: {devices: 2}}\n");
        var tpu = dir.Write("tpu.yaml", Fixtures.Spec("tpu", "[8]", "[1]", seeds: "[1]") + "\nresources: {default: {queue: tpu}}\n");
        void Submit(string spec)
        {
            var submitted = Ablate.Run(dir.Path, "submit", spec, "--db", db);
            Assert.True(submitted.ExitCode == 0, submitted.All);
        }
        Submit(wide);
        Submit(tpu);
        var big = Ablate.Start(dir.Path, "runner", "--db", db, "--name", "big", "--devices", "cpu,cpu", "--prefetch", "0");
        var small = Ablate.Start(dir.Path, "runner", "--db", db, "--name", "small", "--devices", "cpu", "--prefetch", "0");
        var store = ResultsStore.Open(StoreLocation.Parse(db));
        try
        {
            // The wide stage runs only on big (two devices); the held ones fill the other slots.
            var wideId = store.FindExperiment("wide")!.Id;
            Ablate.WaitUntil(() => store.StagesOf(wideId).Single().Status == StageStatus.Succeeded, Patience, "the two-device stage");
            var wideWorker = store.StagesOf(wideId).Single().Worker!;
            Assert.Equal("big", store.Runners(all: true).Single(v => wideWorker.StartsWith(v.Runner.Id + ":", StringComparison.Ordinal)).Runner.Name);
            Submit(held);
            var heldId = store.FindExperiment("held")!.Id;
            Ablate.WaitUntil(() => store.StagesOf(heldId).Count(s => s.Status == StageStatus.Running) == 3, Patience, "three held stages running");

            var listed = Ablate.Run(dir.Path, "runners", "--db", db);
            Assert.True(listed.ExitCode == 0, listed.All);
            var lines = listed.Stdout.Split('\n');
            var bigLine = Assert.Single(lines, l => l.Contains(" big ", StringComparison.Ordinal));
            Assert.Contains("cpu,cpu × 1", bigLine);
            Assert.Contains("running", bigLine);
            Assert.Contains("cpu × 1", Assert.Single(lines, l => l.Contains(" small ", StringComparison.Ordinal)));
            // Each runner's current stages are listed under it: two on big, one on small, by type and hash.
            foreach (var s in store.StagesOf(heldId))
                Assert.Contains($"command {s.Hash[..12]}", listed.Stdout);

            var status = Ablate.Run(dir.Path, "status", "held", "--db", db);
            Assert.True(status.ExitCode == 0, status.All);
            Assert.Equal(2, status.Stdout.Split('\n').Count(l => l.Contains("running", StringComparison.Ordinal) && l.Contains(" big ", StringComparison.Ordinal)));
            Assert.Equal(1, status.Stdout.Split('\n').Count(l => l.Contains("running", StringComparison.Ordinal) && l.Contains(" small ", StringComparison.Ordinal)));

            var unplaced = Ablate.Run(dir.Path, "status", "tpu", "--db", db);
            Assert.True(unplaced.ExitCode == 0, unplaced.All);
            Assert.Contains("no live runner serves queue tpu", unplaced.Stdout);
            Assert.Contains("1 queued stage(s) wait for a runner that no live runner is", unplaced.Stderr);

            File.WriteAllText(release, "");
            Ablate.WaitUntil(() => store.StagesOf(heldId).All(s => s.Status == StageStatus.Succeeded), Patience, "the held stages");
        }
        finally
        {
            File.WriteAllText(release, "");
            foreach (var r in new[] { big, small }) Ablate.Signal(r, "TERM");
            foreach (var r in new[] { big, small })
            {
                var ended = Ablate.Wait(r, TimeSpan.FromSeconds(60));
                Assert.True(ended.ExitCode == 0, ended.All);
            }
        }
        Assert.Empty(store.LiveRunners());
        Assert.All(store.Runners(all: true), v => Assert.Equal(RunnerState.Stopped, v.Runner.State));
        Assert.Equal(StageStatus.Queued, store.StagesOf(store.FindExperiment("tpu")!.Id).Single().Status);
    }

    /// <summary>The student TrainingResumeTests resumes: 300 steps, checkpoints after steps 100, 200 and 300.</summary>
    private const string TrainingSpec = TrainingResumeTests.Spec;

    /// <summary>
    /// `ablate runner --drain a` from another process: runner a stops taking work, its training stage checkpoints and is
    /// Queued again the moment a exits 0 (its stale-after is 10 minutes, so no sweep could have done it), and runner b, on
    /// another host, resumes it from that checkpoint; a node without the shared artifact folder in between gives it back
    /// untouched. 4,800 web images: 1,200 steps, so the drain lands mid-training.
    /// </summary>
    [SkippableFact]
    public void DrainFromAnywhere_TrainingStageCheckpointsAndIsRequeuedAtOnce_AnotherHostResumesIt()
    {
        PostgresServer.SkipUnlessAvailable();
        SkipUnlessNamespaces();
        using var pg = new PostgresServer();
        using var dir = new TempDir();
        var db = pg.Url();
        Assert.Equal(0, Ablate.Run(dir.Path, "submit", dir.Write("resume.yaml", TrainingSpec.Replace("web_pool: 1200", "web_pool: 4800")), "--db", db).ExitCode);
        var store = ResultsStore.Open(StoreLocation.Parse(db));
        var expId = store.FindExperiment("resume")!.Id;
        StageRow Student() => store.StagesOf(expId).Single(s => s.Type == "student");
        var checkpoint = Path.Combine(dir.Workspace.ScratchDir, Student().Hash, "trainer.json");

        var a = Ablate.Start(dir.Path, "runner", "--db", db, "--name", "a", "--threads", "1", "--stale-after", "600", "--heartbeat", "0.5");
        Ablate.WaitUntil(() => File.Exists(checkpoint) || Student().Status == StageStatus.Succeeded, Patience, "the student's first checkpoint");
        Assert.Equal(StageStatus.Running, Student().Status);

        var drain = Ablate.Run(dir.Path, "runner", "--drain", "a", "--db", db);
        Assert.True(drain.ExitCode == 0, drain.All);
        Assert.Contains("asked a (on ", drain.Stdout);
        var drained = Ablate.Wait(a, TimeSpan.FromSeconds(60));
        Assert.True(drained.ExitCode == 0, drained.All);
        Assert.Contains("runner: draining", drained.Stdout);
        Assert.True((Student().Status, Student().Worker) == (StageStatus.Queued, null), $"{Student().Status}\n{drained.All}\n{Log(dir, Student())}");
        Assert.Equal(RunnerState.Stopped, store.Runners(all: true).Single(v => v.Runner.Name == "a").Runner.State);

        // A node that does not see the shared artifact folder (not mounted: its workspace is elsewhere) takes the stage,
        // finds none of the recorded artifacts, invalidates nothing, gives the stage back uncounted and stops with exit 3.
        using (var elsewhere = new TempDir())
        {
            var blind = Ablate.Wait(Ablate.Start(elsewhere.Path, "runner", "--db", db, "--name", "blind", "--threads", "1"), TimeSpan.FromSeconds(90));
            Assert.True(blind.ExitCode == 3, blind.All);
            Assert.Contains("mount the shared artifact folder at this path", blind.Stderr.Replace("\n", ""));
            Assert.Equal((StageStatus.Queued, 0), (Student().Status, Student().Attempts));
            Assert.All(store.StagesOf(expId).Where(s => s.Type != "student" && s.Type != "eval"), s => Assert.Equal(StageStatus.Succeeded, s.Status));
        }

        var b = StartOnHost("node-b", dir.Path, "runner", "--db", db, "--name", "b", "--threads", "1");
        try
        {
            Ablate.WaitUntil(() => Student().Status == StageStatus.Succeeded, Patience, "the student to finish on node-b");
        }
        finally
        {
            Ablate.StopRunners(b);
        }
        Assert.Equal("node-b", store.Runners(all: true).Single(v => v.Runner.Name == "b").Runner.Host);
        // The drain's own checkpoint, at whatever step the cancel found it (not only the every-100-steps ones): nothing is lost.
        var resumed = System.Text.RegularExpressions.Regex.Match(Log(dir, Student()), @"resumed training at step (\d+)/1200");
        Assert.True(resumed.Success, Log(dir, Student()));
        Assert.InRange(int.Parse(resumed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 100, 1199);
        Assert.Equal(1, Student().Attempts); // a drain does not count as a failed attempt
    }

    /// <summary>
    /// A runner killed with -9 mid-training (a node's crash): a runner on another host marks it lost once its heartbeat
    /// is older than its --stale-after, re-queues its stage and resumes it from the last checkpoint.
    /// </summary>
    [SkippableFact]
    public void RunnerKilledMidTraining_ARunnerOnAnotherHostMarksItLostAndResumesFromTheCheckpoint()
    {
        PostgresServer.SkipUnlessAvailable();
        SkipUnlessNamespaces();
        using var pg = new PostgresServer();
        using var dir = new TempDir();
        var db = pg.Url();
        Assert.Equal(0, Ablate.Run(dir.Path, "submit", dir.Write("resume.yaml", TrainingSpec), "--db", db).ExitCode);
        var store = ResultsStore.Open(StoreLocation.Parse(db));
        var expId = store.FindExperiment("resume")!.Id;
        StageRow Student() => store.StagesOf(expId).Single(s => s.Type == "student");
        var checkpoint = Path.Combine(dir.Workspace.ScratchDir, Student().Hash, "trainer.json");

        var a = Ablate.Start(dir.Path, "runner", "--db", db, "--name", "a", "--threads", "1", "--stale-after", "3", "--heartbeat", "0.5");
        Ablate.WaitUntil(() => File.Exists(checkpoint) || Student().Status == StageStatus.Succeeded, Patience, "the student's first checkpoint");
        Ablate.Signal(a, "KILL"); // the runner alone, as a crash does; its watchdog ends what it started
        var killed = Ablate.Wait(a, TimeSpan.FromSeconds(30));
        Assert.True(Student().Status == StageStatus.Running, $"{Student().Status}\n{killed.All}\n{Log(dir, Student())}");

        var b = StartOnHost("node-b", dir.Path, "runner", "--db", db, "--name", "b", "--threads", "1", "--stale-after", "3", "--heartbeat", "0.5");
        try
        {
            Ablate.WaitUntil(() => Student().Status == StageStatus.Succeeded, Patience, "the student to finish on node-b");
        }
        finally
        {
            Ablate.StopRunners(b);
        }
        var runners = Ablate.Run(dir.Path, "runners", "--all", "--db", db);
        Assert.Contains("lost", Assert.Single(runners.Stdout.Split('\n'), l => l.Contains(" a ", StringComparison.Ordinal)));
        Assert.Equal(2, Student().Attempts);
        Assert.Matches(@"resumed training at step (100|200)/300", File.ReadAllText(Path.Combine(dir.Workspace.LogsDir, Student().Hash + ".log")));
    }

    private static string Log(TempDir dir, StageRow stage) =>
        File.ReadAllText(Path.Combine(dir.Workspace.LogsDir, stage.Hash + ".log"));

    /// <summary>`ablate …` in a new UTS namespace whose host name is <paramref name="host"/>: another node, as far as the runner can tell.</summary>
    private static Process StartOnHost(string host, string cwd, params string[] args)
    {
        var (exe, prefix) = LocalRunnerProcess.SelfCommand();
        var psi = new ProcessStartInfo("unshare")
        {
            WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var a in (string[])["--uts", "--", "sh", "-c", "hostname \"$0\" && exec \"$@\"", host, exe, .. prefix, .. args]) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["COLUMNS"] = "200";
        return Process.Start(psi)!;
    }

    private static void SkipUnlessNamespaces()
    {
        using var p = Process.Start(new ProcessStartInfo("unshare", ["--uts", "true"]) { RedirectStandardError = true, UseShellExecute = false })!;
        p.WaitForExit();
        // CI runs as root on a machine like this one, where it works; a container without CAP_SYS_ADMIN cannot fake a host.
        Skip.If(p.ExitCode != 0, "unshare --uts (util-linux) failed: a second host is faked with a UTS namespace, which needs root with CAP_SYS_ADMIN");
    }
}
