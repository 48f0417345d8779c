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

    /// <summary>
    /// Without table statistics SQLite planned the ready-stages query as a nested loop that took a minute for a
    /// 10,000-cell grid; a submit that adds many rows, or doubles the tables, leaves statistics of the tables it joins.
    /// </summary>
    [Fact]
    public void Submit_ManyRowsOrDoubledTables_LeavesPlannerStatisticsOfTheStageTables()
    {
        using var f = new StoreFixture();
        f.Submit(StoreFixture.Plan("small", 1, 2)); // a store without statistics gets them at once

        Assert.Equal(["run_stages", "runs", "stage_inputs", "stages"], StatisticsOf(f).Keys.Order());
        Assert.Equal(2, StatisticsOf(f)["runs"]);

        f.Submit(StoreFixture.Plan("small", 1, 2, 3)); // one run more: far from double, the statistics stay
        Assert.Equal(2, StatisticsOf(f)["runs"]);

        f.Submit(StoreFixture.Plan("big", [.. Enumerable.Range(100, 600)])); // many rows at once
        Assert.Equal(603, StatisticsOf(f)["runs"]);
    }

    /// <summary>Table → the row count sqlite_stat1 holds for it (its rows start with it).</summary>
    private static Dictionary<string, long> StatisticsOf(StoreFixture f)
    {
        using var db = f.Store.NewContext();
        return db.Database.SqlQueryRaw<string>("SELECT tbl || ' ' || stat AS \"Value\" FROM sqlite_stat1").AsEnumerable()
            .Select(l => l.Split(' ')).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Max(p => long.Parse(p[1])));
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
        var dependents = f.Store.Succeed(parent, "w1", StoreFixture.Empty, 0.5).Ready;
        Assert.Equal(2, dependents.Count);
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
        f.Store.Succeed(hash, "w1", StoreFixture.Empty, 0.1);
        Assert.Null(f.Store.Claim(hash, "w3", Stale)); // a late duplicate after success
    }

    [Fact]
    public void Claim_GivesTheStagesInputsAndWhetherPointsAreStored_ARetryOfTheSameClaimGetsItBackUnchanged()
    {
        using var f = new StoreFixture();
        var id = f.Submit(StoreFixture.Plan("exp", 1)).ExperimentId;
        var parent = f.Store.TakeReady(id)[0].Hash;
        var root = f.Store.Claim(parent, "w", Stale)!;
        Assert.Equal((1, false), (root.Attempts, root.HasMetrics));
        Assert.Empty(root.Inputs);
        var again = f.Store.Claim(parent, "w", Stale)!; // the answer was lost and the same claim asked again: no second attempt
        Assert.Equal((root.Type, root.ConfigJson, 1), (again.Type, again.ConfigJson, again.Attempts));
        Assert.Equal(1, f.Store.StagesOf(id).Single(s => s.Hash == parent).Attempts);

        var child = f.Store.Succeed(parent, "w", StoreFixture.Empty, 0.1).Ready.Single().Hash;
        var claimed = f.Store.Claim(child, "w", Stale)!;
        Assert.Equal(new Dictionary<string, string> { ["in"] = parent }, claimed.Inputs);
        Assert.Equal(f.Store.StagesOf(id).Single(s => s.Hash == child).ConfigJson, claimed.ConfigJson);
        using (var m = new MetricWriter(f.Store, child)) m.Log("loss", 1, 0.5);
        f.Store.Release(child, "w"); // a runner stopped: back to the queue
        Assert.True(f.Store.Claim(child, "w2", Stale)!.HasMetrics);
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
    public void Claim_AfterCrash_KeepsTheEarlierAttemptsPointsUntilTheRunnerDeletesThem()
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
        int Points() { using var db = f.Store.NewContext(); return db.Metrics.Count(m => m.StageHash == hash); }
        Assert.Equal(2, Points()); // a resumed attempt keeps them
        f.Store.DeleteMetrics(hash); // an attempt that starts over drops them
        Assert.Equal(0, Points());
    }

    [Fact]
    public void Hold_OfAFetchedAheadStage_OneHolderAtATime_SweptOnlyWhenItsWorkerIsGone_EndedByUnholdOrClaim()
    {
        using var f = new StoreFixture();
        // Two queued root stages: the shared parents of two experiments whose parents differ.
        var hashes = new[] { f.Submit(StoreFixture.Plan("a", 1)).ExperimentId, f.Submit(StoreFixture.Plan("b", 2, "y", 1)).ExperimentId }
            .Select(id => f.Store.TakeReady(id).Single().Hash).ToList();
        f.Store.RecordJob(hashes[1], "job-7");
        Assert.True(f.Store.Hold(hashes[0], "live"));
        Assert.True(f.Store.Hold(hashes[0], "live")); // renewed
        Assert.False(f.Store.Hold(hashes[0], "other")); // a duplicate delivery elsewhere does not take it
        Assert.True(f.Store.Hold(hashes[1], "dead"));

        var requeued = f.Store.RequeueAbandoned(Stale, worker => worker == "dead");
        Assert.Equal([hashes[1]], requeued.Select(r => r.Hash));
        Assert.Equal("job-7", requeued[0].AbandonedJob); // the dead runner's job, for the scheduler to delete
        Assert.Empty(f.Store.RequeueAbandoned(Stale, worker => worker == "dead")); // once
        Assert.True(f.Store.Hold(hashes[1], "other")); // free again

        Assert.Null(f.Store.Unhold(hashes[0], "other")); // not its hold
        Assert.Equal(hashes[0], f.Store.Unhold(hashes[0], "live")?.Hash);
        Assert.NotNull(f.Store.Claim(hashes[1], "other", Stale));
        Assert.False(f.Store.Hold(hashes[1], "other")); // Running now: a later delivery of it is a duplicate
        Assert.Null(f.Store.Unhold(hashes[1], "other"));
    }

    [Fact]
    public void MetricWriter_StepLoggedAgain_ReplacesThePointInsteadOfAddingOne()
    {
        using var f = new StoreFixture();
        var id = f.Submit(StoreFixture.Plan("exp", 1)).ExperimentId;
        var hash = f.Store.TakeReady(id)[0].Hash;
        using (var w = new MetricWriter(f.Store, hash)) { w.Log("loss", 10, 0.5); w.Log("loss", 20, 0.4); w.Log("loss", 30, 0.9); }
        using (var w = new MetricWriter(f.Store, hash))
        {
            w.Log("loss", 30, 0.3); // a resumed attempt re-logs the step after its checkpoint
            w.Log("loss", 40, 0.2);
            w.Final("acc", 0.1);
            w.Final("acc", 0.8); // twice in one batch: the last wins
        }
        using var db = f.Store.NewContext();
        var loss = db.Metrics.Where(m => m.StageHash == hash && m.Name == "loss").OrderBy(m => m.Step).Select(m => new { m.Step, m.Value }).ToList();
        Assert.Equal([10L, 20, 30, 40], loss.Select(p => p.Step));
        Assert.Equal([0.5, 0.4, 0.3, 0.2], loss.Select(p => p.Value));
        Assert.Equal(0.8, db.Metrics.Single(m => m.Name == "acc").Value);
    }

    [Fact]
    public void Submit_ChangedSharedStage_NewRevisionWithNewRunsAndTheOldRevisionKeepsItsOwn()
    {
        using var f = new StoreFixture();
        var first = f.Submit(StoreFixture.Plan("exp", 1, "spec v1", 1, 2));
        var same = f.Submit(StoreFixture.Plan("exp", 1, "spec v1", 1, 2));
        Assert.Equal((1, false), (same.Revision, same.NewRevision));

        var changed = f.Submit(StoreFixture.Plan("exp", 2, "spec v2", 1, 2, 3)); // the parent's option changed, a cell added
        Assert.Equal((2, true), (changed.Revision, changed.NewRevision));
        Assert.Equal(new RevisionChange(Added: 1, Changed: 2, Unchanged: 0, Left: 0), changed.Change);
        Assert.Equal((3, 3), (changed.Runs, changed.NewRuns)); // every run's chain changed: none keeps the old results
        Assert.Equal(4, changed.NewStages);

        var current = ResultsReader.Load(f.Store, "exp");
        var old = ResultsReader.Load(f.Store, "exp", revisionNumber: 1);
        Assert.Equal(3, current.Runs.Count);
        Assert.Equal(2, old.Runs.Count);
        Assert.Empty(current.Runs.Select(r => r.RunId).Intersect(old.Runs.Select(r => r.RunId)));
        Assert.Equal((2, 2, true), (current.Revision!.Number, current.Revision.Latest, current.Revision.IsCurrent));
        Assert.Equal(JsonCanonicalHash("spec v1"), old.Revision!.SpecHash);
        Assert.Equal(f.Store.StagesOf(first.ExperimentId).Select(s => s.Hash).Order(), f.Store.StagesOfRevision(RevisionId(f, 2)).Select(s => s.Hash).Order());
        Assert.Throws<KeyNotFoundException>(() => ResultsReader.Load(f.Store, "exp", revisionNumber: 3));

        var back = f.Submit(StoreFixture.Plan("exp", 1, "spec v1", 1, 2)); // the first spec again: its runs and stages, all still stored
        Assert.Equal((3, 0, 0), (back.Revision, back.NewRuns, back.NewStages));
        Assert.Equal(old.Runs.Select(r => r.RunId).Order(), ResultsReader.Load(f.Store, "exp").Runs.Select(r => r.RunId).Order());
    }

    [Fact]
    public void Submit_OnlyTheSpecTextChanged_NewRevisionSameRuns()
    {
        using var f = new StoreFixture();
        f.Submit(StoreFixture.Plan("exp", 1, "a", 1, 2));
        var edited = f.Submit(StoreFixture.Plan("exp", 1, "a # a comment", 1, 2));
        Assert.Equal((2, 0, 0), (edited.Revision, edited.NewRuns, edited.NewStages));
        Assert.Equal(new RevisionChange(0, 0, 2, 0), edited.Change);
    }

    /// <summary>A parent published with <paramref name="parentRoot"/>'s content and both children computed from it.</summary>
    private static (int Id, string Parent, IReadOnlyList<string> Children) Finished(StoreFixture f, string parentContent)
    {
        var id = f.Submit(StoreFixture.Plan("exp", 1, 2)).ExperimentId;
        var parent = f.Store.TakeReady(id)[0].Hash;
        f.Store.Claim(parent, "w", Stale);
        var manifest = Manifest(parentContent);
        var children = f.Store.Succeed(parent, "w", manifest, 0.1).Ready.Select(r => r.Hash).ToList();
        foreach (var child in children)
        {
            f.Store.Claim(child, "w", Stale);
            using (var m = new MetricWriter(f.Store, child)) m.Final("score", 1);
            Assert.Equal(Completion.Outcome.Succeeded, f.Store.Succeed(child, "w", StoreFixture.Empty, 0.1, new Dictionary<string, string> { ["in"] = manifest.RootSha256 }).Result);
        }
        Assert.True(new ExperimentProgress(f.Store.StagesOf(id)).Finished);
        return (id, parent, children);
    }

    private static Ablations.Core.Artifacts.ArtifactManifest Manifest(string content) =>
        new([new Ablations.Core.Artifacts.ArtifactFile("model.bin", content.Length, JsonCanonicalHash(content), 0)]);

    [Fact]
    public void Invalidate_TakesBackTheStageAlone_WhatWasComputedFromItKeepsItsResults()
    {
        using var f = new StoreFixture();
        var (id, parent, _) = Finished(f, "weights");

        Assert.True(f.Store.Invalidate(parent));

        var stages = f.Store.StagesOf(id);
        Assert.Equal((StageStatus.Pending, 0), (stages.Single(s => s.Hash == parent).Status, stages.Single(s => s.Hash == parent).Attempts));
        Assert.All(stages.Where(s => s.Hash != parent), s => Assert.Equal(StageStatus.Succeeded, s.Status));
        Assert.Null(f.Store.Artifact(parent));
        Assert.All(ResultsReader.Load(f.Store, "exp").Runs, r => Assert.Equal(("succeeded", 1.0), (r.Status, r.Metrics["score"])));
        Assert.Equal([parent], f.Store.TakeReady(id).Select(r => r.Hash)); // ready again: it recomputes
    }

    [Fact]
    public void Succeed_RecomputedWithTheSameContent_KeepsConsumers_WithOtherContent_TakesThemBack()
    {
        using var f = new StoreFixture();
        var (id, parent, children) = Finished(f, "weights");
        f.Store.Invalidate(parent);
        f.Store.TakeReady(id);
        f.Store.Claim(parent, "w", Stale);
        var same = f.Store.Succeed(parent, "w", Manifest("weights"), 0.1);
        Assert.Equal((Completion.Outcome.Succeeded, 0), (same.Result, same.TakenBack.Count));

        f.Store.Invalidate(parent);
        f.Store.TakeReady(id);
        f.Store.Claim(parent, "w", Stale);
        var other = f.Store.Succeed(parent, "w", Manifest("weightz"), 0.1);
        Assert.Equal(children.Order(), other.TakenBack.Order());
        Assert.Equal(children.Order(), other.Ready.Select(r => r.Hash).Order()); // taken back and ready at once
        Assert.All(ResultsReader.Load(f.Store, "exp").Runs, r => Assert.Empty(r.Metrics));
    }

    [Fact]
    public void Succeed_AnInputChangedWhileTheStageRan_NotRecordedAndPendingAgain()
    {
        using var f = new StoreFixture();
        var (id, parent, children) = Finished(f, "weights");
        f.Store.Invalidate(children[0]);
        f.Store.TakeReady(id);
        f.Store.Claim(children[0], "w", Stale);
        f.Store.Invalidate(parent); // while the child runs

        var done = f.Store.Succeed(children[0], "w", StoreFixture.Empty, 0.1, new Dictionary<string, string> { ["in"] = Manifest("weights").RootSha256 });

        Assert.Equal(Completion.Outcome.InputsChanged, done.Result);
        Assert.Equal(StageStatus.Pending, f.Store.StagesOf(id).Single(s => s.Hash == children[0]).Status);
        Assert.Null(f.Store.Artifact(children[0]));
    }

    private static string JsonCanonicalHash(string text) => Ablations.Core.Planning.JsonCanonical.Sha256(text);

    private static int RevisionId(StoreFixture f, int number) =>
        f.Store.Revision(f.Store.FindExperiment("exp")!, number)!.Id;

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
    public void ReadOnlyFile_ReadsWork_AWriteGivesAClearMessage()
    {
        using var f = new StoreFixture();
        f.Submit(StoreFixture.Plan("exp", 1));
        var path = Path.Combine(f.Dir, "ablations.db");
        var readOnly = ResultsStore.Open(StoreLocation.Sqlite(path, mode: SqliteOpenMode.ReadOnly)); // e.g. a results store on a read-only mount
        Assert.Equal("exp", Assert.Single(readOnly.ListExperiments()).Name);
        var e = Assert.Throws<StoreUnavailableException>(() => readOnly.Submit(StoreFixture.Plan("exp", 1, 2), "t", null, "{}"));
        Assert.Contains("read-only", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Open_StaleMigrationLockRowOfACrashedProcess_OpensInsteadOfWaitingForever()
    {
        using var f = new StoreFixture();
        var path = Path.Combine(f.Dir, "ablations.db");
        using (var c = new SqliteConnection($"Data Source={path}"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE IF NOT EXISTS \"__EFMigrationsLock\" (\"Id\" INTEGER NOT NULL PRIMARY KEY, \"Timestamp\" TEXT NOT NULL); " +
                "INSERT INTO \"__EFMigrationsLock\" VALUES (1, '2026-11-29 10:00:00');";
            cmd.ExecuteNonQuery();
        }
        var open = Task.Run(() => ResultsStore.Open(StoreLocation.Sqlite(path)).ListExperiments());
        Assert.True(open.Wait(TimeSpan.FromSeconds(60)), "Open waited for a lock row nobody holds");
        using var check = new SqliteConnection($"Data Source={path}");
        check.Open();
        using var count = check.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM \"__EFMigrationsLock\"";
        Assert.Equal(0L, (long)count.ExecuteScalar()!);
    }

    [Fact]
    public void Open_FileDeletedWhileInUse_NextOperationSaysSoInsteadOfWritingIntoTheVoid()
    {
        using var f = new StoreFixture();
        var id = f.Submit(StoreFixture.Plan("exp", 1)).ExperimentId;
        File.Delete(Path.Combine(f.Dir, "ablations.db"));
        var e = Assert.Throws<StoreUnavailableException>(() => f.Store.TakeReady(id));
        Assert.Contains("was deleted or moved while in use", e.Message);
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
        f.Store.Succeed(parent, "w", StoreFixture.Empty, 0.1); // its 7 children become ready (dependents bypass the window)
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

    /// <summary>
    /// Each queue gets its own window, filled with its oldest ready stages; a stage whose input has not succeeded is
    /// passed over however old it is. (TakeWindow reads each queue's with an ordered LIMIT, not the whole backlog.)
    /// </summary>
    [Fact]
    public void TopUp_TwoQueues_EachFilledToItsWindowWithItsOldestReadyStages()
    {
        using var f = new StoreFixture();
        var plan = StoreFixture.Plan("exp", 1, 2, 3, 4, 5, 6);
        var id = f.Submit(plan).ExperimentId;
        var parent = f.Store.TakeReady(id).Single().Hash;
        var children = plan.Stages.Where(s => s.Type == "child").Select(s => s.Hash).Order(StringComparer.Ordinal).ToList();
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        using (var db = f.Store.NewContext())
        {
            for (var i = 0; i < children.Count; i++)
            {
                var (hash, created, queue) = (children[i], start.AddMinutes(children.Count - i), i % 2 == 0 ? "gpu" : "default");
                db.Stages.Where(s => s.Hash == hash).ExecuteUpdate(u => u.SetProperty(s => s.CreatedAt, created).SetProperty(s => s.Queue, queue));
            }
        }
        Assert.Empty(f.Store.TopUp(perQueueWindow: 2)); // every child waits for the parent

        f.Store.Claim(parent, "w", Stale);
        using (var db = f.Store.NewContext()) // succeeded without taking its dependents, so TopUp is what takes them
            db.Stages.Where(s => s.Hash == parent).ExecuteUpdate(u => u.SetProperty(s => s.Status, StageStatus.Succeeded));
        var taken = f.Store.TopUp(perQueueWindow: 2);

        // Oldest first: the children were created in reverse order of their hashes.
        Assert.Equal([children[4], children[2]], taken.Where(t => t.Queue == "gpu").Select(t => t.Hash));
        Assert.Equal([children[5], children[3]], taken.Where(t => t.Queue == "default").Select(t => t.Hash));
        Assert.Empty(f.Store.TopUp(perQueueWindow: 2)); // both windows full
    }
}
