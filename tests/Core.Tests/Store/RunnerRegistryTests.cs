using Ablations.Core.Scheduling;
using Ablations.Core.Store;
using Ablations.Core.Store.Entities;
using Microsoft.Data.Sqlite;

namespace Ablations.Core.Tests.Store;

/// <summary>The runner registry and placement at the store's level (the CLI and real runner processes: Orchestrator.Tests ClusterTests).</summary>
public sealed class RunnerRegistryTests
{
    private static RunnerRow Row(string id, string? name = null, string queues = "default", string devices = "cpu", double? memory = null, double staleAfter = 30) => new()
    {
        Id = id, Name = name ?? id, Host = id.Split(':')[0], Pid = 1, Devices = devices, WorkersPerDevice = 1, Queues = queues,
        MemoryGb = memory, Version = "test", StaleAfterSeconds = staleAfter,
    };

    [Fact]
    public void RegisterRunner_NameALiveRunnerHas_IsRefusedWithTheFix()
    {
        using var f = new StoreFixture();
        f.Store.RegisterRunner(Row("a:1:x", "gpu3"));
        var e = Assert.Throws<InvalidOperationException>(() => f.Store.RegisterRunner(Row("b:2:y", "gpu3")));
        Assert.Contains("a live runner is already named 'gpu3'", e.Message);
        Assert.Contains("another --name", e.Message);
        f.Store.RunnerStopped("a:1:x");
        f.Store.RegisterRunner(Row("b:2:y", "gpu3")); // once the first stopped, the name is free again
        Assert.Equal(["b:2:y"], f.Store.LiveRunners().Select(r => r.Id));
    }

    [Fact]
    public void Drain_ByHost_AsksEveryLiveRunnerThere_AndTheirHeartbeatSaysDraining()
    {
        using var f = new StoreFixture();
        f.Store.RegisterRunner(Row("node1:1:x"));
        f.Store.RegisterRunner(Row("node1:2:y"));
        f.Store.RegisterRunner(Row("node2:3:z"));
        Assert.Equal(2, f.Store.RequestDrain("node1").Count);
        Assert.Equal(RunnerState.Draining, f.Store.RunnerHeartbeat("node1:1:x"));
        Assert.Equal(RunnerState.Running, f.Store.RunnerHeartbeat("node2:3:z"));
        Assert.Empty(f.Store.RequestDrain("node9"));
    }

    [Fact]
    public void Sweep_LateRunner_IsMarkedLost_ItsStageRequeuedBeforeTheStagesOwnHeartbeatIsStale_AndItsHeartbeatSaysLost()
    {
        using var f = new StoreFixture();
        f.Submit(StoreFixture.Plan("exp", 1));
        var hash = f.Store.TakeReady(f.Store.FindExperiment("exp")!.Id).Single().Hash;
        f.Store.RegisterRunner(Row("far:7:dead", staleAfter: 1));
        Assert.NotNull(f.Store.Claim(hash, "far:7:dead:12", TimeSpan.FromSeconds(30)));
        // The runner's heartbeat is late (its own stale-after is 1 s); the stage's own heartbeat is fresh.
        using (var c = new SqliteConnection($"Data Source={Path.Combine(f.Dir, "ablations.db")}"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE runners SET \"HeartbeatAt\" = @t";
            cmd.Parameters.AddWithValue("@t", DateTime.UtcNow.AddSeconds(-5));
            cmd.ExecuteNonQuery();
        }
        var requeued = f.Store.RequeueAbandoned(TimeSpan.FromSeconds(30), _ => false);
        Assert.Equal([hash], requeued.Select(r => r.Hash));
        Assert.Equal(RunnerState.Lost, f.Store.Runners(all: true).Single().Runner.State);
        Assert.Equal(RunnerState.Lost, f.Store.RunnerHeartbeat("far:7:dead")); // it comes back: told to stop, not revived
        Assert.Empty(f.Store.LiveRunners());
    }

    [Fact]
    public void Runners_ListsEachLiveRunnersRunningStages()
    {
        using var f = new StoreFixture();
        f.Submit(StoreFixture.Plan("exp", 1, 2));
        var ready = f.Store.TakeReady(f.Store.FindExperiment("exp")!.Id).Select(r => r.Hash).ToList();
        f.Store.RegisterRunner(Row("h:1:a"));
        f.Store.RegisterRunner(Row("h:2:b"));
        f.Store.Claim(ready[0], "h:1:a:5", TimeSpan.FromSeconds(30));
        var views = f.Store.Runners();
        Assert.Equal([ready[0]], views.Single(v => v.Runner.Id == "h:1:a").Stages.Select(s => s.Hash));
        Assert.Empty(views.Single(v => v.Runner.Id == "h:2:b").Stages);
    }

    [Fact]
    public void Placement_SaysWhyNoLiveRunnerCanTakeAStage()
    {
        var gpu = Row("g:1:a", "gpu-small", queues: "gpu", devices: "cuda:0,cuda:1", memory: 24);
        var cpu = Row("c:1:b", "cpu", queues: "default");
        Assert.Null(Placement.NobodyCanTake(new StageNeeds("gpu", 2, 24), [gpu, cpu]));
        Assert.Contains("no live runner serves queue tpu", Placement.NobodyCanTake(new StageNeeds("tpu", 1, null), [gpu, cpu]));
        Assert.Contains("gpu-small: it has 2 devices, the stage needs 4", Placement.NobodyCanTake(new StageNeeds("gpu", 4, null), [gpu, cpu]));
        Assert.Contains("gpu-small: it declares 24 GiB per device, the stage needs 80", Placement.NobodyCanTake(new StageNeeds("gpu", 1, 80), [gpu]));
        Assert.Contains("no runner is live", Placement.NobodyCanTake(new StageNeeds("gpu", 1, null), []));
        Assert.Null(Placement.Misfit(new StageNeeds("gpu", 1, 80), RunnerOffer.Of(Row("x:1:c", queues: "gpu")))); // no --memory: taken at its word
    }

    /// <summary>The registry's view of a runner counts its devices as its slots do: `--devices cpu,cpu` is two devices.</summary>
    /// <summary>A runner asked to drain is still live (listed, named) but takes no new work: placement and parking skip it.</summary>
    [Fact]
    public void DrainRequested_RunnerStaysLive_ButTakesNoWork()
    {
        using var f = new StoreFixture();
        f.Store.RegisterRunner(Row("a:1:x", "a"));
        f.Store.RegisterRunner(Row("b:2:y", "b"));
        Assert.Single(f.Store.RequestDrain("a"));
        Assert.Equal(["a:1:x", "b:2:y"], f.Store.LiveRunners().Select(r => r.Id).Order());
        Assert.Equal(["b:2:y"], f.Store.RunnersTakingWork().Select(r => r.Id));
        Assert.False(f.Store.AnotherRunnerIsFree(new StageNeeds("default", 1, null), "b:2:y")); // a would be free, but it drains
        Assert.True(f.Store.AnotherRunnerIsFree(new StageNeeds("default", 1, null), "a:1:x"));
    }

    [Fact]
    public void Placement_DevicesListedTwice_CountAsTwo_AsTheRunnersSlotsCountThem()
    {
        var twoCpus = Row("c:1:d", "two", queues: "default", devices: "cpu,cpu");
        Assert.Equal(2, RunnerOffer.Of(twoCpus).Devices.Count);
        Assert.Null(Placement.NobodyCanTake(new StageNeeds("default", 2, null), [twoCpus]));
    }

    [Fact]
    public void Open_StoreMigratedByANewerVersion_IsRefusedWithTheFix()
    {
        using var f = new StoreFixture();
        var path = Path.Combine(f.Dir, "ablations.db");
        using (var c = new SqliteConnection($"Data Source={path}"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO \"__EFMigrationsHistory\" VALUES ('29991231000000_FromTheFuture', '99.0.0')";
            cmd.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();
        var e = Assert.Throws<StoreUnavailableException>(() => ResultsStore.Open(StoreLocation.Sqlite(path)));
        Assert.Contains("migrated by a newer version of ablate", e.Message);
        Assert.Contains("29991231000000_FromTheFuture", e.Message);
        Assert.Contains("upgrade ablate", e.Message);
    }
}
