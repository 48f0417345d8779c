using Ablations.Core.Store;
using Ablations.Core.Store.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Ablations.Orchestrator.Tests.EndToEnd;

/// <summary>
/// Issue 9, store and disk: a damaged store, a stale migration lock, a store deleted mid-run, a PostgreSQL password with
/// ';', and a PostgreSQL restart while a stage finishes. Every failure is exit 3 with one sentence; nothing hangs, no
/// finished work is thrown away, no metric point is lost.
/// </summary>
[Collection("processes")]
public sealed class StoreFaultTests
{
    private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(90);

    private static AblateResult Quick(string cwd, params string[] args) => Ablate.Wait(Ablate.Start(cwd, args), NoHang);

    [Fact]
    public void DamagedStore_EveryCommandExits3WithTheFix_AndKeepsDoingSo()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var spec = dir.Write("toy.yaml", Fixtures.Spec("toy", "[1]", "[2]", seeds: "[1]"));
        Directory.CreateDirectory(dir.Root);
        File.WriteAllBytes(Path.Combine(dir.Root, "ablations.db"), Enumerable.Range(0, 8192).Select(i => (byte)(i * 13)).ToArray());

        foreach (var args in new[] { ["status"], ["status"], ["plan", spec], ["submit", spec], ["run", spec], ["report", "toy"], new[] { "status" } })
        {
            var result = Quick(dir.Path, args);
            Assert.True(result.ExitCode == 3, $"{string.Join(' ', args)}: {result.All}");
            Assert.True(result.Stderr.Contains("not a valid results store (corrupt or not SQLite); move it away or pass another --root", StringComparison.Ordinal), $"{string.Join(' ', args)}: {result.All}");
            Assert.DoesNotContain("   at ", result.All);
        }
    }

    [Fact]
    public void StaleMigrationLockRowOfAKilledProcess_CommandsRunInsteadOfHanging()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var spec = dir.Write("toy.yaml", Fixtures.Spec("toy", "[1]", "[2]", seeds: "[1]"));
        Assert.Equal(0, Quick(dir.Path, "submit", spec).ExitCode);
        using (var c = new SqliteConnection($"Data Source={Path.Combine(dir.Root, "ablations.db")}"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE IF NOT EXISTS \"__EFMigrationsLock\" (\"Id\" INTEGER NOT NULL PRIMARY KEY, \"Timestamp\" TEXT NOT NULL); " +
                "INSERT OR REPLACE INTO \"__EFMigrationsLock\" VALUES (1, '2026-12-01 10:00:00');";
            cmd.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();

        Assert.Equal(0, Quick(dir.Path, "status").ExitCode);
        var run = Quick(dir.Path, "run", spec);
        Assert.True(run.ExitCode == 0, run.All);
    }

    [Fact]
    public void StoreDeletedWhileARunIsInProgress_Exit3NotASuccessIntoTheVoid()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var spec = dir.Write("gone.yaml", Fixtures.Spec("gone", "[1, 2, 3]", "[2]", seeds: "[1]", env: "SLEEP: '2'"));
        var run = Ablate.Start(dir.Path, "run", spec);
        var store = dir.Store();
        Ablate.WaitUntil(() => store.StagesOf(store.FindExperiment("gone")?.Id ?? -1).Any(s => s.Status == StageStatus.Running), NoHang, "a running stage");
        SqliteConnection.ClearAllPools();
        foreach (var f in Directory.GetFiles(dir.Root, "ablations.db*")) File.Delete(f);

        var result = Ablate.Wait(run, NoHang);

        Assert.True(result.ExitCode == 3, result.All);
        Assert.Contains("was deleted or moved while in use", result.Stderr.Replace("\n", ""));
        Assert.DoesNotContain("   at ", result.All);
    }

    [SkippableFact]
    public void PostgresPasswordWithASemicolon_IsOneValueNotACrash()
    {
        PostgresServer.SkipUnlessAvailable();
        using var pg = new PostgresServer();
        using var dir = new TempDir();
        var db = pg.Url().Replace("postgres://postgres@", "postgres://postgres:p%3Bw%3Dx@", StringComparison.Ordinal); // trust auth: any password logs in

        var status = Quick(dir.Path, "status", "--db", db);

        Assert.True(status.ExitCode == 0, status.All);
    }

    /// <summary>train.sh that logs 10 curve points, waits for the test's "go" file, then logs its 11th point and its score.</summary>
    private const string GatedTrainer = """
        #!/usr/bin/env bash
        for s in 1 2 3 4 5 6 7 8 9 10; do echo "{\"name\":\"loss\",\"step\":$s,\"value\":0.$s}" >> "$ABLATIONS_METRICS_FILE"; done
        echo run >> "$COUNTER"
        while [ ! -f "$GO" ]; do sleep 0.1; done
        echo "{\"name\":\"loss\",\"step\":11,\"value\":0.05}" >> "$ABLATIONS_METRICS_FILE"
        echo "{\"name\":\"score\",\"value\":1}"
        touch "$DONE"
        """;

    [SkippableFact]
    public void PostgresRestartWhileAStageFinishes_ItsOutcomeIsRecordedOnceTheServerIsBack_NoPointLost()
    {
        PostgresServer.SkipUnlessAvailable();
        using var pg = new PostgresServer();
        using var dir = new TempDir();
        dir.Write("train.sh", GatedTrainer);
        string go = Path.Combine(dir.Path, "go"), done = Path.Combine(dir.Path, "done"), counter = Path.Combine(dir.Path, "count");
        var spec = dir.Write("pg.yaml", Fixtures.Spec("restart", "[1]", "[2]", seeds: "[1]", env: $"GO: '{go}', DONE: '{done}', COUNTER: '{counter}'"));
        var db = pg.Url();
        Assert.Equal(0, Quick(dir.Path, "submit", spec, "--db", db).ExitCode);
        var store = ResultsStore.Open(StoreLocation.Parse(db));
        var id = store.FindExperiment("restart")!.Id;
        StageRow Stage() => store.StagesOf(id).Single();
        var runner = Ablate.Start(dir.Path, "runner", "--db", db, "--heartbeat", "0.5");
        try
        {
            Ablate.WaitUntil(() => File.Exists(counter), NoHang, "the stage to start");
            pg.Stop(); // the operator restarts the server ...
            File.WriteAllText(go, "");
            Ablate.WaitUntil(() => File.Exists(done), NoHang, "the stage's program to finish while the server is down");
            pg.Start(); // ... and it comes back
            Ablate.WaitUntil(() => Stage().Status == StageStatus.Succeeded, NoHang, "the finished stage to be recorded");
        }
        finally
        {
            Ablate.StopRunners(runner);
        }
        Assert.Equal(1, Stage().Attempts); // its work was kept, not thrown away and run again
        Assert.Single(File.ReadAllLines(counter));
        using var ctx = store.NewContext();
        Assert.Equal(11, ctx.Metrics.Count(m => m.Name == "loss"));
        Assert.Equal(1, ctx.Metrics.Count(m => m.Name == "score"));
    }
}
