using Ablations.Core.Store;
using Ablations.Core.Store.Entities;
using Ablations.Orchestrator.Scheduling;
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
        var storage = JobStorageFactory.Create(workspace);
        var submitted = Submission.Submit(workspace, store, plan); // enqueues once
        var hash = plan.Stages.Single().Hash;
        var enqueuer = new StageEnqueuer(storage, store);
        enqueuer.Enqueue(new ReadyStage(hash, "default"));
        enqueuer.Enqueue(new ReadyStage(hash, "default"));

        using (new RunnerHost(workspace, new RunnerSettings { Devices = ["cpu", "cpu", "cpu"] }, StageCatalog.All, storage))
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
        var spec = dir.Write("c.yaml", Fixtures.Spec("ctrlc", "[1, 2]", "[3]", seeds: "[1]", env: "SLEEP: '3'"));

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

    private static int MetricCount(ResultsStore store, string name)
    {
        using var db = store.NewContext();
        return db.Metrics.Count(m => m.Name == name);
    }
}
