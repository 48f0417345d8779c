using Ablations.Core.Execution;
using Ablations.Core.Store;
using Ablations.Core.Store.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Ablations.Core.Tests.Store;

public sealed class ResultsStoreTests
{
    private static readonly TimeSpan Stale = TimeSpan.FromSeconds(30);

    [Fact]
    public void Submit_SameSpecTwice_NoNewRunsOrStages()
    {
        using var f = new StoreFixture();
        var first = f.Submit(StoreFixture.Plan("exp", 1, 2, 3));
        var second = f.Submit(StoreFixture.Plan("exp", 1, 2, 3));
        Assert.Equal((3, 4), (first.NewRuns, first.NewStages));
        Assert.Equal((0, 0), (second.NewRuns, second.NewStages));
    }

    [Fact]
    public void TakeReady_OnlyStagesWhoseInputsSucceeded_AndOnlyOnce()
    {
        using var f = new StoreFixture();
        var plan = StoreFixture.Plan("exp", 1, 2);
        var id = f.Submit(plan).ExperimentId;

        var ready = f.Store.TakeReady(id);
        Assert.Equal(["parent"], ready.Select(r => plan.Stages.Single(s => s.Hash == r.Hash).Type));
        Assert.Empty(f.Store.TakeReady(id)); // already Queued: a second call takes nothing

        var parent = ready[0].Hash;
        Assert.NotNull(f.Store.Claim(parent, "w1", Stale));
        var dependents = f.Store.Succeed(parent, "w1", "/tmp/x", 1, 0.5);
        Assert.Equal(2, dependents!.Count);
        Assert.Empty(f.Store.TakeReady(id));
    }

    [Fact]
    public void Claim_DuplicateDelivery_SecondClaimGetsNothing()
    {
        using var f = new StoreFixture();
        var id = f.Submit(StoreFixture.Plan("exp", 1)).ExperimentId;
        var hash = f.Store.TakeReady(id)[0].Hash;

        Assert.NotNull(f.Store.Claim(hash, "w1", Stale));
        Assert.Null(f.Store.Claim(hash, "w2", Stale));
        f.Store.Succeed(hash, "w1", "/tmp/x", 1, 0.1);
        Assert.Null(f.Store.Claim(hash, "w3", Stale)); // a late duplicate after success
    }

    [Fact]
    public void Claim_ConcurrentClaimers_ExactlyOneWins()
    {
        using var f = new StoreFixture();
        var id = f.Submit(StoreFixture.Plan("exp", 1)).ExperimentId;
        var hash = f.Store.TakeReady(id)[0].Hash;
        var wins = 0;
        Parallel.For(0, 8, i =>
        {
            if (f.Store.Claim(hash, $"w{i}", Stale) is not null) Interlocked.Increment(ref wins);
        });
        Assert.Equal(1, wins);
    }

    [Fact]
    public void Claim_AfterCrash_DeletesMetricsOfTheEarlierAttempt()
    {
        using var f = new StoreFixture();
        var id = f.Submit(StoreFixture.Plan("exp", 1)).ExperimentId;
        var hash = f.Store.TakeReady(id)[0].Hash;
        f.Store.Claim(hash, "dead", Stale);
        using (var w = new MetricWriter(f.Store, hash)) { w.Log("loss", 1, 0.5); w.Log("loss", 2, 0.4); }

        var requeued = f.Store.RequeueAbandoned(Stale, worker => worker == "dead");
        Assert.Equal([hash], requeued.Select(r => r.Hash));
        var again = f.Store.Claim(hash, "w2", Stale);
        Assert.Equal(2, again!.Attempts);
        using var db = f.Store.NewContext();
        Assert.Equal(0, db.Metrics.Count(m => m.StageHash == hash));
    }

    [Fact]
    public void Fail_Final_FailsDownstreamButNotSiblings()
    {
        using var f = new StoreFixture();
        var plan = StoreFixture.Plan("exp", 1, 2);
        var id = f.Submit(plan).ExperimentId;
        var parent = f.Store.TakeReady(id)[0].Hash;
        f.Store.Claim(parent, "w", Stale);
        f.Store.Fail(parent, "w", FailureKind.Diverged, "loss is NaN at step 3", retry: false);

        var stages = f.Store.StagesOf(id).ToDictionary(s => s.Type == "parent" ? "parent" : s.Hash);
        Assert.Equal(StageStatus.Failed, stages["parent"].Status);
        Assert.Equal("Diverged", stages["parent"].FailureKind);
        Assert.All(f.Store.StagesOf(id).Where(s => s.Type == "child"), s => Assert.Equal("UpstreamFailed", s.FailureKind));
        Assert.True(new ExperimentProgress(f.Store.StagesOf(id)).Finished);
    }

    [Fact]
    public void Fail_Retryable_GoesBackToQueued()
    {
        using var f = new StoreFixture();
        var id = f.Submit(StoreFixture.Plan("exp", 1)).ExperimentId;
        var hash = f.Store.TakeReady(id)[0].Hash;
        f.Store.Claim(hash, "w", Stale);
        f.Store.Fail(hash, "w", FailureKind.Transient, "disk hiccup", retry: true);
        Assert.Equal(StageStatus.Queued, f.Store.StagesOf(id).Single(s => s.Hash == hash).Status);
        Assert.NotNull(f.Store.Claim(hash, "w2", Stale));
    }

    [Fact]
    public void CancelThenRetry_WaitingStagesCancelledThenPendingAgain()
    {
        using var f = new StoreFixture();
        var id = f.Submit(StoreFixture.Plan("exp", 1, 2)).ExperimentId;
        var parent = f.Store.TakeReady(id)[0].Hash;
        f.Store.Claim(parent, "w", Stale);

        Assert.Equal(3, f.Store.Cancel(id));
        Assert.True(f.Store.Heartbeat(parent, "w", 0.5, "epoch 1")); // the runner learns it must stop
        Assert.All(f.Store.StagesOf(id).Where(s => s.Type == "child"), s => Assert.Equal(StageStatus.Cancelled, s.Status));

        f.Store.Fail(parent, "w", FailureKind.Cancelled, "cancelled", retry: false);
        Assert.Equal(3, f.Store.Retry(id, failedOnly: false));
        Assert.Single(f.Store.TakeReady(id));
    }

    [Fact]
    public void MetricWriter_BatchesAreStoredOnce()
    {
        using var f = new StoreFixture();
        var id = f.Submit(StoreFixture.Plan("exp", 1)).ExperimentId;
        var hash = f.Store.TakeReady(id)[0].Hash;
        using (var w = new MetricWriter(f.Store, hash, batchSize: 100))
        {
            for (var i = 0; i < 1050; i++) w.Log("loss", i, 1.0 / (i + 1));
            w.Final("acc", 0.9);
            w.Log("nan", 1, double.NaN);
        }
        using var db = f.Store.NewContext();
        Assert.Equal(1050, db.Metrics.Count(m => m.StageHash == hash && m.Name == "loss"));
        Assert.Equal(0.9, db.Metrics.Single(m => m.Name == "acc").Value);
        Assert.Equal(-1, db.Metrics.Single(m => m.Name == "acc").Step);
    }

    [Fact]
    public void Open_ReadOnlyFile_ClearMessage()
    {
        using var f = new StoreFixture();
        var path = Path.Combine(f.Dir, "ablations.db");
        var readOnly = StoreLocation.Sqlite(path, mode: SqliteOpenMode.ReadOnly);
        var e = Assert.Throws<StoreUnavailableException>(() => ResultsStore.Open(readOnly));
        Assert.Contains("read-only", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Write_LockedByAnotherConnection_ClearMessageAfterBusyTimeout()
    {
        using var f = new StoreFixture();
        var path = Path.Combine(f.Dir, "ablations.db");
        var store = ResultsStore.Open(StoreLocation.Sqlite(path, busyTimeoutSeconds: 1));
        using var holder = new SqliteConnection($"Data Source={path}");
        holder.Open();
        using (var cmd = holder.CreateCommand()) { cmd.CommandText = "BEGIN EXCLUSIVE;"; cmd.ExecuteNonQuery(); }

        var e = Assert.Throws<StoreUnavailableException>(() => store.Submit(StoreFixture.Plan("locked", 1), "t", null, "{}"));
        Assert.Contains("locked", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Open_NotADatabase_ClearMessage()
    {
        using var f = new StoreFixture();
        var path = Path.Combine(f.Dir, "junk.db");
        File.WriteAllBytes(path, Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray());
        var e = Assert.Throws<StoreUnavailableException>(() => ResultsStore.Open(StoreLocation.Sqlite(path)));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void TakeReadyAndTopUp_KeepAtMostTheWindowQueuedPerQueue()
    {
        using var f = new StoreFixture();
        var id = f.Submit(StoreFixture.Plan("exp", 1, 2, 3, 4, 5, 6, 7)).ExperimentId;
        var parent = f.Store.TakeReady(id, perQueueWindow: 3).Single().Hash;
        f.Store.Claim(parent, "w", Stale);
        f.Store.Succeed(parent, "w", "/tmp/p", 1, 0.1); // its 7 children become ready (dependents bypass the window)
        f.Store.Retry(id, failedOnly: false);
        using (var db = f.Store.NewContext())
            db.Stages.Where(s => s.Type == "child").ExecuteUpdate(u => u.SetProperty(s => s.Status, StageStatus.Pending));

        var first = f.Store.TakeReady(id, perQueueWindow: 3);
        Assert.Equal(3, first.Count);
        Assert.Empty(f.Store.TopUp(perQueueWindow: 3));

        f.Store.Claim(first[0].Hash, "w", Stale); // one leaves Queued for Running
        Assert.Single(f.Store.TopUp(perQueueWindow: 3));
        Assert.Equal(3, f.Store.StagesOf(id).Count(s => s.Status == StageStatus.Queued));
    }
}
