using Ablations.Core.Store;
using Ablations.Core.Store.Entities;
using Ablations.Orchestrator.Scheduling;
using Ablations.Queue;
using Ablations.Runner.Hosting;
using Ablations.Runner.Stages;
using Microsoft.EntityFrameworkCore;

namespace Ablations.Orchestrator.Tests.EndToEnd;

/// <summary>Kill -9, duplicate deliveries and Ctrl-C: the store stays consistent and the work completes exactly once.</summary>
[Collection("processes")]
public sealed class FaultTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public void RunnerKilledMidStage_StageRerunsOnNextRunner_NoDuplicateMetricRows()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var spec = dir.Write("k.yaml", Fixtures.Spec("killed", "[1]", "[2]", seeds: "[1]", env: "SLEEP: '4'"));
        Assert.Equal(0, Ablate.Run(dir.Path, "submit", spec).ExitCode);
        var store = dir.Store();
        var expId = store.FindExperiment("killed")!.Id;
        StageRow Stage() => store.StagesOf(expId).Single();

        var runner = Ablate.Start(dir.Path, "runner", "--stale-after", "2", "--heartbeat", "0.5");
        Ablate.WaitUntil(() => Stage().Status == StageStatus.Running && MetricCount(store, "loss") == 3, Patience, "the stage to run and log its curve");
        runner.Kill(entireProcessTree: true); // kill -9: no chance to clean up
        runner.WaitForExit();
        Assert.Equal(StageStatus.Running, Stage().Status);

        var second = Ablate.Start(dir.Path, "runner", "--stale-after", "2", "--heartbeat", "0.5");
        try
        {
            Ablate.WaitUntil(() => Stage().Status == StageStatus.Succeeded, Patience, "the stage to finish on the second runner");
        }
        finally
        {
            Ablate.StopRunners(second);
        }
        Assert.Equal(2, Stage().Attempts);
        Assert.Equal(3, MetricCount(store, "loss"));
        Assert.Equal(1, MetricCount(store, "score"));
    }

    [Fact]
    public void DuplicateDelivery_SameStageEnqueuedThreeTimes_ExecutesOnce()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var counter = Path.Combine(dir.Path, "count.txt");
        var spec = dir.Write("d.yaml", Fixtures.Spec("dup", "[1]", "[2]", seeds: "[1]", env: $"SLEEP: '1', COUNTER: '{counter}'"));
        var plan = SpecPlanning.Load(spec, null).Plan!;
        var workspace = dir.Workspace;
        var store = ResultsStore.Open(workspace.Store);
        var queue = HangfireJobQueue.Of(workspace);
        var submitted = Submission.Submit(workspace, store, plan); // enqueues once
        var hash = plan.Stages.Single().Hash;
        queue.Enqueue(hash, "default");
        queue.Enqueue(hash, "default");

        using (new RunnerHost(workspace, new RunnerSettings { Devices = ["cpu", "cpu", "cpu"] }, queue, StageCatalog.All))
        {
            Ablate.WaitUntil(() => store.StagesOf(submitted.Stored.ExperimentId).Single().Status == StageStatus.Succeeded, Patience, "the stage");
            Thread.Sleep(1500); // let the duplicate jobs be picked up too
        }
        Assert.Single(File.ReadAllLines(counter));
        Assert.Equal(1, store.StagesOf(submitted.Stored.ExperimentId).Single().Attempts);
    }

    [Fact]
    public void CtrlC_DuringRun_StopsCleanly_ThenSameCommandResumes()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var spec = dir.Write("c.yaml", Fixtures.Spec("ctrlc", "[1, 2]", "[3]", seeds: "[1]", env: "SLEEP: '6'")); // long enough that a loaded machine still signals mid-stage

        var run = Ablate.Start(dir.Path, "run", spec);
        var store = new Lazy<ResultsStore>(dir.Store);
        Ablate.WaitUntil(() => File.Exists(Path.Combine(dir.Root, "ablations.db")) && store.Value.FindExperiment("ctrlc") is { } e
            && store.Value.StagesOf(e.Id).Any(s => s.Status == StageStatus.Running), Patience, "a running stage");
        Ablate.Signal(run, "INT");
        var interrupted = Ablate.Wait(run, TimeSpan.FromSeconds(60));

        Assert.Equal(130, interrupted.ExitCode);
        Assert.Contains("resume", interrupted.Stderr);
        var expId = store.Value.FindExperiment("ctrlc")!.Id;
        Assert.DoesNotContain(store.Value.StagesOf(expId), s => s.Status == StageStatus.Running || s.Status == StageStatus.Failed);

        var resumed = Ablate.Run(dir.Path, "run", spec);
        Assert.True(resumed.ExitCode == 0, resumed.All);
        Assert.All(store.Value.StagesOf(expId), s => Assert.Equal(StageStatus.Succeeded, s.Status));
        Assert.Equal(2 * 3, MetricCount(store.Value, "loss"));
    }

    /// <summary>
    /// `ablate run` starts its runner before the submit; a Ctrl-C while a large grid is still being stored must stop that
    /// runner too (no runner left working for nobody), keep what the submit stored, and exit 130.
    /// </summary>
    [Fact]
    public void CtrlC_DuringTheSubmit_StopsTheRunnerItStartedAndExits130()
    {
        using var dir = new TempDir();
        var values = string.Join(", ", Enumerable.Range(1, 100));
        var spec = dir.Write("big.yaml", $"name: big\nmethod: grid\ncommand: [\"true\"]\nparameters:\n  p0:\n    values: [{values}]\n  p1:\n    values: [{values}]\n");
        var runnerLog = Path.Combine(dir.Root, "logs", "runner.log");
        var store = new Lazy<ResultsStore>(dir.Store);

        var run = Ablate.Start(dir.Path, "run", spec);
        // The runner is up while the 10,000-cell submit's transaction has not committed yet.
        Ablate.WaitUntil(() => File.Exists(runnerLog) && File.ReadAllText(runnerLog).Contains(" on queues ", StringComparison.Ordinal)
            && store.Value.FindExperiment("big") is null, Patience, "the runner to start during the submit");
        Ablate.Signal(run, "INT");
        var interrupted = Ablate.Wait(run, TimeSpan.FromMinutes(3));

        Assert.Equal(130, interrupted.ExitCode);
        Assert.Contains("resume", interrupted.Stderr);
        Assert.Contains("runner: stopping", File.ReadAllText(runnerLog));
        Assert.DoesNotContain(Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)), d =>
        {
            try { return File.ReadAllText(Path.Combine(d, "cmdline")).Contains(dir.Root, StringComparison.Ordinal); }
            catch (IOException) { return false; }
            catch (UnauthorizedAccessException) { return false; }
        });
        var experiment = store.Value.FindExperiment("big")!; // the submit finished and stays
        var stages = store.Value.StagesOf(experiment.Id);
        Assert.Equal(10_000, stages.Count);
        Assert.DoesNotContain(stages, s => s.Status == StageStatus.Running);
    }

    /// <summary>First attempt: records its PID and its own child's, then trains "forever"; any later attempt finishes at once.</summary>
    private const string LongFirstAttempt = """
        #!/usr/bin/env bash
        if [ ! -f "$PIDS" ]; then
          sleep 300 &
          echo "$$ $!" > "$PIDS"
          wait
        fi
        echo "{\"name\":\"score\",\"value\":1}"
        """;

    /// <summary>Alive and not a zombie (a killed process its new parent has not reaped yet is dead for this purpose).</summary>
    private static bool Alive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try { return File.Exists(stat) && File.ReadAllText(stat).Split(')')[^1].Trim()[0] != 'Z'; }
        catch (IOException) { return false; }
    }

    /// <param name="startedAsAJob">
    /// The runner is started as a shell with job control starts a command (the leader of its own process group, as when
    /// typed at a terminal), so it cannot lead a session of its own and starts each program through `setsid`; otherwise
    /// it leads its own session and starts programs directly (ProcessGroup).
    /// </param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RunnerKilledMidCommand_TheProgramAndItsChildrenDieWithIt_TheJobAndStagingFolderAreCleanedUp(bool startedAsAJob)
    {
        using var dir = new TempDir();
        dir.Write("train.sh", LongFirstAttempt);
        var pids = Path.Combine(dir.Path, "pids");
        var spec = dir.Write("k.yaml", Fixtures.Spec("orphan", "[1]", "[2]", seeds: "[1]", env: $"PIDS: '{pids}'"));
        Assert.Equal(0, Ablate.Run(dir.Path, "submit", spec).ExitCode);
        var store = dir.Store();
        var expId = store.FindExperiment("orphan")!.Id;
        StageRow Stage() => store.StagesOf(expId).Single();

        string[] runnerArgs = ["runner", "--stale-after", "3", "--heartbeat", "0.5"];
        var runner = startedAsAJob ? StartAsAJob(dir.Path, runnerArgs) : Ablate.Start(dir.Path, runnerArgs);
        Ablate.WaitUntil(() => File.Exists(pids) && File.ReadAllText(pids).Trim().Split(' ').Length == 2, Patience, "the program and its child");
        var programs = File.ReadAllText(pids).Trim().Split(' ').Select(int.Parse).ToList();
        var firstJob = Stage().JobId!;
        var runnerPid = int.Parse(Stage().Worker!.Split(':')[1]); // host:pid:nonce:thread
        Assert.Equal(startedAsAJob, SessionOf(programs[0]) == programs[0]); // a session of its own only when the runner has none
        using (var kill = System.Diagnostics.Process.Start("kill", ["-KILL", runnerPid.ToString()])!) kill.WaitForExit(); // the runner alone, as the OOM killer or a crash would: not its process tree
        runner.WaitForExit();

        Ablate.WaitUntil(() => programs.All(pid => !Alive(pid)), TimeSpan.FromSeconds(30), "the orphaned program and its child to die with their runner");

        var second = Ablate.Start(dir.Path, "runner", "--stale-after", "3", "--heartbeat", "0.5");
        try
        {
            Ablate.WaitUntil(() => Stage().Status == StageStatus.Succeeded, Patience, "the second attempt");
        }
        finally
        {
            Ablate.StopRunners(second);
        }
        Assert.Equal(2, Stage().Attempts);
        Assert.Empty(Directory.GetDirectories(dir.Workspace.StagingDir));
        var monitor = JobStorageFactory.Create(dir.Workspace).GetMonitoringApi();
        Assert.Equal(0, monitor.ProcessingCount());
        Assert.Equal("Deleted", monitor.JobDetails(firstJob).History[0].StateName);
    }

    /// <summary>`ablate ARGS` started by bash with job control (set -m): the leader of a process group of its own.</summary>
    private static System.Diagnostics.Process StartAsAJob(string cwd, string[] args)
    {
        var (exe, prefix) = LocalRunnerProcess.SelfCommand();
        var psi = new System.Diagnostics.ProcessStartInfo("/bin/bash") // dash turns job control off without a terminal
        {
            WorkingDirectory = cwd,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["-c", "set -m; \"$@\" & wait $!", "bash", exe, .. prefix, .. args]) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        return System.Diagnostics.Process.Start(psi)!;
    }

    /// <summary>The session id of a process (field 6 of /proc/PID/stat).</summary>
    private static int SessionOf(int pid) => int.Parse(File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].Trim().Split(' ')[3]);

    /// <summary>
    /// Two stages that wait for the file `go`, one runner with one worker and a hold long enough that the job it fetched
    /// ahead is still waiting when the test acts: returns once one stage runs and the other is held in the store.
    /// </summary>
    private static (System.Diagnostics.Process Runner, Func<IReadOnlyList<StageRow>> Stages, StageRow Held, string Go) OneRunningOneFetchedAhead(TempDir dir)
    {
        dir.Write("train.sh", Fixtures.Trainer);
        var go = Path.Combine(dir.Path, "go");
        var spec = dir.Write("h.yaml", Fixtures.Spec("held", "[1, 2]", "[3]", seeds: "[1]", env: $"WAIT_FOR: '{go}'"));
        Assert.Equal(0, Ablate.Run(dir.Path, "submit", spec).ExitCode);
        var store = dir.Store();
        var expId = store.FindExperiment("held")!.Id;
        IReadOnlyList<StageRow> Stages() => store.StagesOf(expId);
        var runner = Ablate.Start(dir.Path, "runner", "--workers", "1", "--prefetch-hold", "600", "--heartbeat", "0.5");
        Ablate.WaitUntil(() => Stages() is var now && now.Any(s => s.Status == StageStatus.Running)
            && now.Any(s => s.Status == StageStatus.Queued && s.Worker is not null), Patience, "one stage running and the other fetched ahead");
        return (runner, Stages, Stages().Single(s => s.Status == StageStatus.Queued), go);
    }

    private static void RunTheRestOnANewRunner(TempDir dir, Func<IReadOnlyList<StageRow>> stages, string go)
    {
        File.WriteAllText(go, "");
        var second = Ablate.Start(dir.Path, "runner", "--heartbeat", "0.5");
        try
        {
            Ablate.WaitUntil(() => stages().All(s => s.Status == StageStatus.Succeeded), Patience, "both stages, the held one included, on the next runner");
        }
        finally
        {
            Ablate.StopRunners(second);
        }
    }

    /// <summary>
    /// A runner killed while a job it fetched ahead waits for a free worker: that job is invisible on the queue behind the
    /// dead runner (for Hangfire's timeout, hours), so the next runner's sweep finds the stage by its hold in the store,
    /// deletes the dead job and enqueues a new one; the stage runs once, as a first attempt.
    /// </summary>
    [Fact]
    public void RunnerKilledWhileAFetchedAheadJobWaits_NextRunnerRunsThatStageToo()
    {
        using var dir = new TempDir();
        var (runner, stages, held, go) = OneRunningOneFetchedAhead(dir);
        var status = Ablate.Run(dir.Path, "status", "held");
        Assert.Contains("waiting for a free worker", status.All);
        Ablate.Signal(runner, "KILL");
        runner.WaitForExit();
        status = Ablate.Run(dir.Path, "status", "held");
        Assert.Contains("its runner process is gone", status.All);

        RunTheRestOnANewRunner(dir, stages, go);
        Assert.Equal(1, stages().Single(s => s.Hash == held.Hash).Attempts);
        var monitor = JobStorageFactory.Create(dir.Workspace).GetMonitoringApi();
        Assert.Equal(0, monitor.ProcessingCount());
        Assert.Equal("Deleted", monitor.JobDetails(held.JobId!).History[0].StateName);
    }

    /// <summary>
    /// A runner stopped cleanly (SIGTERM) while a job it fetched ahead waits: its last word clears the hold, so the stage
    /// is plainly Queued again (no runner named on it), and the job goes back on the queue for the next runner.
    /// </summary>
    [Fact]
    public void RunnerStoppedWhileAFetchedAheadJobWaits_LeavesNoHold_NextRunnerRunsThatStage()
    {
        using var dir = new TempDir();
        var (runner, stages, held, go) = OneRunningOneFetchedAhead(dir);
        Ablate.StopRunners(runner);
        Assert.Equal(0, runner.ExitCode);
        var after = stages().Single(s => s.Hash == held.Hash);
        Assert.Equal((StageStatus.Queued, (string?)null), (after.Status, after.Worker));

        RunTheRestOnANewRunner(dir, stages, go);
        Assert.Equal(1, stages().Single(s => s.Hash == held.Hash).Attempts);
    }

    [Fact]
    public void RunnerNamingGpusThisNodeLacks_RefusesToStart_NoStageOfTheSharedGridFails()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var spec = dir.Write("g.yaml", Fixtures.Spec("gpus", "[1, 2, 3]", "[2]", seeds: "[1]"));
        Assert.Equal(0, Ablate.Run(dir.Path, "submit", spec).ExitCode);

        var runner = Ablate.Wait(Ablate.Start(dir.Path, "runner", "--devices", "0,1"), TimeSpan.FromSeconds(60));

        Assert.Equal(2, runner.ExitCode);
        Assert.Contains("--devices 0,1: this node has no usable CUDA device", runner.Stderr);
        Assert.Contains("start it with --devices cpu", runner.Stderr);
        var store = dir.Store();
        Assert.All(store.StagesOf(store.FindExperiment("gpus")!.Id), s => Assert.Equal((StageStatus.Queued, 0), (s.Status, s.Attempts)));
    }

    private static int MetricCount(ResultsStore store, string name)
    {
        using var db = store.NewContext();
        return db.Metrics.Count(m => m.Name == name);
    }
}
