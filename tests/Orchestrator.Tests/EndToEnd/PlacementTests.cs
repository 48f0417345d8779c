using Ablations.Core.Store;
using Ablations.Core.Store.Entities;

namespace Ablations.Orchestrator.Tests.EndToEnd;

/// <summary>
/// Issue 13's placement and registry paths that need no second host, with real runner processes on the embedded store:
/// a stage no live runner can take is parked and runs once a runner that can take it starts (with the devices it was
/// given in ABLATIONS_DEVICES), and a runner the others marked lost stops when it comes back instead of racing them.
/// </summary>
[Collection("processes")]
public sealed class PlacementTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public void StageNoLiveRunnerCanTake_IsParkedAndReported_ThenRunsOnARunnerStartedLater_WithItsDevices()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var devices = Path.Combine(dir.Path, "devices.txt");
        var spec = dir.Write("wide.yaml", Fixtures.Spec("wide", "[7]", "[1]", seeds: "[1]", env: $"DEVICES_TO: '{devices}'")
            + "\nresources: {default: {devices: 2}}\n");
        var submit = Ablate.Run(dir.Path, "submit", spec);
        Assert.True(submit.ExitCode == 0, submit.All);
        var store = dir.Store();
        StageRow Stage() => store.StagesOf(store.FindExperiment("wide")!.Id).Single();

        var small = Ablate.Start(dir.Path, "runner", "--name", "small", "--devices", "cpu");
        System.Diagnostics.Process? big = null;
        try
        {
            // The one-device runner fetched the stage, could not take it and nobody else could: parked, no job.
            Ablate.WaitUntil(() => Stage() is { Status: StageStatus.Queued, JobId: null, Worker: null }, Patience, "the stage to be parked");
            var status = Ablate.Run(dir.Path, "status", "wide");
            Assert.True(status.ExitCode == 0, status.All);
            Assert.Contains("small: it has 1 device, the stage needs 2", status.Stdout);
            Assert.Contains("wait for a runner that no live runner is", status.Stderr);
            Assert.False(File.Exists(devices));

            big = Ablate.Start(dir.Path, "runner", "--name", "big", "--devices", "cpu,cpu");
            Ablate.WaitUntil(() => Stage().Status == StageStatus.Succeeded, Patience, "the parked stage to run on the runner started later");
            var bigId = store.Runners().Single(v => v.Runner.Name == "big").Runner.Id;
            Assert.StartsWith(bigId + ":", Stage().Worker);
            Assert.Equal("cpu,cpu", File.ReadAllText(devices).Trim()); // both devices of the lease, once
        }
        finally
        {
            Ablate.StopRunners([.. new[] { small, big }.OfType<System.Diagnostics.Process>().Where(p => !p.HasExited)]);
        }
        Assert.Equal(0, small.ExitCode);
        Assert.Equal(0, big!.ExitCode);
    }

    [Fact]
    public void RunnerMarkedLostWhileFrozen_ItsStageRunsElsewhere_AndItStopsWithExit3WhenItWakes()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var go = Path.Combine(dir.Path, "go");
        var spec = dir.Write("one.yaml", Fixtures.Spec("one", "[1]", "[1]", seeds: "[1]", env: $"WAIT_FOR: '{go}'"));
        var submit = Ablate.Run(dir.Path, "submit", spec);
        Assert.True(submit.ExitCode == 0, submit.All);
        var store = dir.Store();
        StageRow Stage() => store.StagesOf(store.FindExperiment("one")!.Id).Single();
        RunnerRow? Find(string name) => store.Runners(all: true).SingleOrDefault(v => v.Runner.Name == name)?.Runner;
        RunnerRow Runner(string name)
        {
            Ablate.WaitUntil(() => Find(name) is not null, Patience, $"runner {name} to register");
            return Find(name)!;
        }

        var a = Ablate.Start(dir.Path, "runner", "--name", "a", "--heartbeat", "0.5", "--stale-after", "3");
        System.Diagnostics.Process? b = null;
        try
        {
            Ablate.WaitUntil(() => Stage().Status == StageStatus.Running, Patience, "runner a to start the stage");
            var idA = Runner("a").Id;
            Assert.StartsWith(idA + ":", Stage().Worker);

            Ablate.Signal(a, "STOP"); // frozen: no heartbeats, its process still there (a paused VM, a long GC, a partition)
            b = Ablate.Start(dir.Path, "runner", "--name", "b", "--heartbeat", "0.5", "--stale-after", "3");
            Ablate.WaitUntil(() => Runner("a").State == RunnerState.Lost, Patience, "runner b's sweep to mark a lost");
            var idB = Runner("b").Id;
            Ablate.WaitUntil(() => Stage() is { Status: StageStatus.Running } s && s.Worker!.StartsWith(idB + ":", StringComparison.Ordinal),
                Patience, "runner b to take the stage over");

            Ablate.Signal(a, "CONT");
            var woke = Ablate.Wait(a, Patience);
            Assert.True(woke.ExitCode == 3, woke.All);
            Assert.Contains("the store marks this runner lost", woke.Stderr);
            // It stopped without touching the claim that is b's now.
            Assert.StartsWith(idB + ":", Stage().Worker);

            File.WriteAllText(go, "");
            Ablate.WaitUntil(() => Stage().Status == StageStatus.Succeeded, Patience, "runner b to finish the stage");
            Assert.Equal(1, store.Runners().Count(v => v.Runner.Name == "b"));
        }
        finally
        {
            if (!a.HasExited) Ablate.Signal(a, "CONT");
            Ablate.StopRunners([.. new[] { a, b }.OfType<System.Diagnostics.Process>().Where(p => !p.HasExited)]);
        }
        Assert.Equal(0, b!.ExitCode);
    }

    /// <summary>
    /// Resources are not part of a stage's hash (where it runs does not change what it computes), so a spec resubmitted
    /// with other resources moves its stages that have not started to the new queue, and a runner there runs them.
    /// </summary>
    [Fact]
    public void ResubmittedWithOtherResources_AStageNotStartedMovesToTheNewQueue()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var body = Fixtures.Spec("moved", "[1]", "[1]", seeds: "[1]");
        var spec = dir.Write("moved.yaml", body + "\nresources: {default: {queue: tpu}}\n");
        var first = Ablate.Run(dir.Path, "submit", spec);
        Assert.True(first.ExitCode == 0, first.All);
        var store = dir.Store();
        StageRow Stage() => store.StagesOf(store.FindExperiment("moved")!.Id).Single();
        Assert.Equal(("tpu", StageStatus.Queued), (Stage().Queue, Stage().Status));
        var hash = Stage().Hash;

        dir.Write("moved.yaml", body + "\nresources: {default: {queue: default}}\n");
        var second = Ablate.Run(dir.Path, "submit", spec);
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Equal((hash, "default", StageStatus.Queued), (Stage().Hash, Stage().Queue, Stage().Status));

        var runner = Ablate.Start(dir.Path, "runner", "--queues", "default");
        try
        {
            Ablate.WaitUntil(() => Stage().Status == StageStatus.Succeeded, Patience, "a runner on queue default to run the moved stage");
        }
        finally
        {
            Ablate.StopRunners(runner);
        }
        Assert.Equal(0, runner.ExitCode);
    }
}
