using Ablations.Core.Store;
using Ablations.Core.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace Ablations.Orchestrator.Tests.EndToEnd;

/// <summary>The many-node setup on a real PostgreSQL server: shared results store and Hangfire storage, two runner processes.</summary>
[Collection("processes")]
public sealed class PostgresTests
{
    [SkippableFact]
    public void TwoRunnerProcesses_SharedPostgres_EveryStageRunsExactlyOnce()
    {
        PostgresServer.SkipUnlessAvailable();
        using var pg = new PostgresServer();
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var counter = Path.Combine(dir.Path, "count.txt");
        var spec = dir.Write("pg.yaml", Fixtures.Spec("pg", "[1, 2, 3, 4]", "[1, 2, 3]", seeds: "[1]", env: $"SLEEP: '0.2', COUNTER: '{counter}'"));
        var db = pg.Url();

        var submitted = Ablate.Run(dir.Path, "submit", spec, "--db", db);
        Assert.True(submitted.ExitCode == 0, submitted.All);
        var runners = new[]
        {
            Ablate.Start(dir.Path, "runner", "--db", db, "--devices", "cpu,cpu"),
            Ablate.Start(dir.Path, "runner", "--db", db, "--devices", "cpu,cpu"),
        };
        var store = ResultsStore.Open(StoreLocation.Parse(db));
        var id = store.FindExperiment("pg")!.Id;
        try
        {
            Ablate.WaitUntil(() => new ExperimentProgress(store.StagesOf(id)).Finished, TimeSpan.FromMinutes(2), "all 12 stages");
        }
        finally
        {
            Ablate.StopRunners(runners);
        }

        Assert.All(store.StagesOf(id), s => Assert.Equal((StageStatus.Succeeded, 1), (s.Status, s.Attempts)));
        Assert.Equal(12, File.ReadAllLines(counter).Length);
        using var ctx = store.NewContext();
        Assert.Equal(12 * 3, ctx.Metrics.Count(m => m.Name == "loss"));
        var workers = ctx.Stages.Select(s => s.Worker!).ToList().Select(w => string.Join(':', w.Split(':').Take(2))).Distinct().Count();
        Assert.Equal(2, workers); // both processes did work

        var report = Ablate.Run(dir.Path, "report", "pg", "--db", db);
        Assert.True(report.ExitCode == 0, report.All);
        Assert.Equal(13, File.ReadAllLines(Path.Combine(dir.Path, "reports", "pg", "results.csv")).Length);

        // The finished grid run again: the store's plain queries (Settled) find it settled on PostgreSQL too, nothing runs.
        var again = Ablate.Run(dir.Path, "run", spec, "--db", db);
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains("revision 1 (unchanged): 12 runs (0 new), 12 unique stages (0 new, 12 already done), 0 enqueued now", again.Stdout);
        Assert.Equal(12, File.ReadAllLines(counter).Length);
    }

    /// <summary>
    /// A large submit analyses the stage tables itself rather than waiting for autovacuum (which may come minutes later,
    /// while runners are already asking for ready stages): pg_stat_user_tables shows a manual ANALYZE.
    /// </summary>
    [SkippableFact]
    public void LargeSubmit_AnalysesTheStageTables()
    {
        PostgresServer.SkipUnlessAvailable();
        using var pg = new PostgresServer();
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var values = $"[{string.Join(", ", Enumerable.Range(1, 20))}]";
        var spec = dir.Write("big.yaml", Fixtures.Spec("big", values, $"[{string.Join(", ", Enumerable.Range(1, 15))}]", seeds: "[1]"));

        var submitted = Ablate.Run(dir.Path, "submit", spec, "--db", pg.Url()); // 300 runs + 300 stages

        Assert.True(submitted.ExitCode == 0, submitted.All);
        var store = ResultsStore.Open(StoreLocation.Parse(pg.Url()));
        using var ctx = store.NewContext();
        foreach (var table in new[] { "stages", "run_stages", "runs", "stage_inputs" })
            Ablate.WaitUntil(() => ctx.Database.SqlQueryRaw<DateTime?>(
                    "SELECT last_analyze AS \"Value\" FROM pg_stat_user_tables WHERE relname = {0}", table).AsEnumerable().Single() is not null,
                TimeSpan.FromSeconds(30), $"a manual ANALYZE of {table}");
    }

    /// <summary>
    /// Runners top their queues up at the same moments, over overlapping candidates; on PostgreSQL one statement moves
    /// them, skipping rows another top-up has locked. Eight concurrent top-ups take every ready stage exactly once.
    /// </summary>
    [SkippableFact]
    public void ConcurrentTopUps_TakeEveryReadyStageExactlyOnce()
    {
        PostgresServer.SkipUnlessAvailable();
        using var pg = new PostgresServer();
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var spec = dir.Write("wide.yaml", Fixtures.Spec("wide", $"[{string.Join(", ", Enumerable.Range(1, 20))}]", "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]", seeds: "[1]"));
        var submitted = Ablate.Run(dir.Path, "submit", spec, "--db", pg.Url()); // 200 stages, the first 64 queued
        Assert.True(submitted.ExitCode == 0, submitted.All);
        var store = ResultsStore.Open(StoreLocation.Parse(pg.Url()));
        var id = store.FindExperiment("wide")!.Id;
        var queuedBefore = store.StagesOf(id).Where(s => s.Status == StageStatus.Queued).Select(s => s.Hash).ToHashSet();
        Assert.Equal(ResultsStore.DefaultQueueWindow, queuedBefore.Count);

        using var start = new Barrier(8);
        var takes = Enumerable.Range(0, 8).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return store.TopUp(perQueueWindow: 1000).Select(r => r.Hash).ToList();
        }, TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(takes);

        var taken = takes.SelectMany(t => t.Result).ToList();
        Assert.Equal(taken.Count, taken.Distinct().Count()); // no stage taken twice
        Assert.Empty(taken.Intersect(queuedBefore));
        var stages = store.StagesOf(id);
        Assert.All(stages, s => Assert.Equal(StageStatus.Queued, s.Status));
        Assert.Equal(stages.Select(s => s.Hash).Except(queuedBefore).Order(), taken.Order());
    }
}
