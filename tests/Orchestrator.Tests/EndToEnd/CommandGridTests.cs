using Ablations.Core.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace Ablations.Orchestrator.Tests.EndToEnd;

/// <summary>Whole grids of `command` stages through the real CLI, Hangfire (SQLite storage) and the SQLite results store.</summary>
[Collection("processes")]
public sealed class CommandGridTests
{
    [Fact]
    public void Run_Grid_AllRunsSucceed_ThenRerunReusesAndNewValueRunsOnlyNewCells()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var spec = dir.Write("toy.yaml", Fixtures.Spec("toy", "[1, 2]", "[3, 4]"));

        var first = Ablate.Run(dir.Path, "run", spec);
        Assert.True(first.ExitCode == 0, first.All);
        Assert.Contains("8 runs (8 new)", first.Stdout);

        var report = Path.Combine(dir.Path, "reports", "toy");
        var csv = File.ReadAllLines(Path.Combine(report, "results.csv"));
        Assert.Equal(9, csv.Length);
        Assert.Equal("run_id,cell,seed,status,is_baseline,param.a,param.b,metric.score", csv[0]);
        Assert.Contains(csv, line => line.EndsWith(",2,succeeded,false,2,4,24.02", StringComparison.Ordinal)); // a=2, b=4, seed 2
        Assert.True(File.Exists(Path.Combine(report, "index.html")));
        Assert.True(File.Exists(Path.Combine(report, "results.parquet")));
        using (var db = dir.Store().NewContext())
        {
            Assert.Equal(8, db.Stages.Count(s => s.Status == StageStatus.Succeeded));
            Assert.Equal(8 * 3, db.Metrics.Count(m => m.Name == "loss"));
            Assert.Equal(24.02, db.Metrics.Where(m => m.Name == "score").Max(m => m.Value), 6);
        }

        var runnerLog = Path.Combine(dir.Path, ".ablations", "logs", "runner.log");
        int RunnersStarted() => File.ReadLines(runnerLog).Count(l => l.Contains(" on queues ", StringComparison.Ordinal));
        var reportWritten = Directory.GetFiles(report, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Assert.Equal(1, RunnersStarted());

        var again = Ablate.Run(dir.Path, "run", spec);
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains("8 runs (0 new), 8 unique stages (0 new, 8 already done)", again.Stdout);
        Assert.Contains("24.02", again.Stdout); // the results are still printed
        Assert.Equal(1, RunnersStarted()); // nothing to run: no runner started
        Assert.Equal(reportWritten, Directory.GetFiles(report, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc)); // nor the report rendered again

        dir.Write("toy.yaml", Fixtures.Spec("toy", "[1, 2, 5]", "[3, 4]"));
        var wider = Ablate.Run(dir.Path, "run", spec);
        Assert.True(wider.ExitCode == 0, wider.All);
        Assert.Contains("12 runs (4 new), 12 unique stages (4 new, 8 already done)", wider.Stdout);
        Assert.Equal(2, RunnersStarted());
        Assert.Contains(",5,4,", File.ReadAllText(Path.Combine(report, "results.csv"))); // the report has the new cells
        using var db2 = dir.Store().NewContext();
        Assert.Equal(12, db2.Stages.Count(s => s.Status == StageStatus.Succeeded && s.Attempts == 1));
    }

    [Fact]
    public void Run_TwoWorkers_RunTwoStagesAtOnce()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var spec = dir.Write("pair.yaml", Fixtures.Spec("pair", "[1, 2]", "[3]", seeds: "[1]", env: "SLEEP: '1.5'"));

        var run = Ablate.Run(dir.Path, "run", spec, "--workers", "2", "--threads", "1");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("cpu × 2 worker(s), torch threads 1", File.ReadAllText(Path.Combine(dir.Path, ".ablations", "logs", "runner.log")));
        using var db = dir.Store().NewContext();
        var spans = db.Stages.Select(s => new { s.StartedAt, s.FinishedAt }).ToList();
        Assert.Equal(2, spans.Count);
        Assert.True(spans[0].StartedAt < spans[1].FinishedAt && spans[1].StartedAt < spans[0].FinishedAt,
            $"the two 1.5 s stages did not overlap: {string.Join("; ", spans.Select(s => $"{s.StartedAt:O} - {s.FinishedAt:O}"))}");
    }

    /// <summary>
    /// One worker fetches one job ahead (the runner's default --prefetch 1), so the next program starts the moment one
    /// ends; it must still never start beside it. Each program holds a lock directory while it runs and fails if another
    /// holds it: a fetched-ahead job that did not wait for the slot would fail its stage.
    /// </summary>
    [Fact]
    public void Run_OneWorkerFetchingAhead_NeverRunsTwoProgramsAtOnce()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var spec = dir.Write("one.yaml", Fixtures.Spec("one", "[1, 2, 3]", "[3, 4]", seeds: "[1]", env: $"SLEEP: '0.2', LOCK: '{Path.Combine(dir.Path, "lock")}'"));

        var run = Ablate.Run(dir.Path, "run", spec, "--workers", "1");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("cpu × 1 worker(s)", File.ReadAllText(Path.Combine(dir.Path, ".ablations", "logs", "runner.log")));
        using var db = dir.Store().NewContext();
        Assert.Equal(6, db.Stages.Count(s => s.Status == StageStatus.Succeeded && s.Attempts == 1));
    }

    /// <summary>
    /// `ablate run` renders a throwaway report while the grid runs, to pay the report's one-time costs before its last
    /// stage ends (ReportPublisher.Warm): the temporary folder it renders into is gone when the run ends.
    /// </summary>
    [Fact]
    public void Run_TheReportItRendersAheadLeavesNothingInTheTempFolder()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var spec = dir.Write("warm.yaml", Fixtures.Spec("warm", "[1, 2]", "[3]", seeds: "[1]", env: "SLEEP: '0.5'"));
        var tmp = Directory.CreateDirectory(Path.Combine(dir.Path, "tmp")).FullName;

        var run = Ablate.Wait(Ablate.Start(dir.Path, new Dictionary<string, string> { ["TMPDIR"] = tmp }, "run", spec), TimeSpan.FromMinutes(3));

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Empty(Directory.GetFileSystemEntries(tmp, "ablations-report-*"));
        Assert.True(File.Exists(Path.Combine(dir.Path, "reports", "warm", "index.html")));
    }

    /// <summary>
    /// A job fetched ahead while every slot is busy stays with its runner while no other runner could start it (no new
    /// job, no second delivery: the hold is renewed on the first job), and goes back on its queue as a new job once another
    /// runner that can take it has a free slot, which then runs it while the first stage still runs on the first runner.
    /// Before, the job went back after each second regardless (about two jobs per stage on a busy grid).
    /// </summary>
    [Fact]
    public void Runner_AllSlotsBusy_HoldsTheFetchedAheadJobUntilAnotherRunnerIsFree()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var go = Path.Combine(dir.Path, "go");
        var spec = dir.Write("held.yaml", Fixtures.Spec("held", "[1, 2]", "[3]", seeds: "[1]", env: $"WAIT_FOR: '{go}'"));
        var submit = Ablate.Run(dir.Path, "submit", spec);
        Assert.True(submit.ExitCode == 0, submit.All);
        var store = dir.Store();
        List<(string Hash, StageStatus Status, string? JobId, string? Worker, DateTime? Heartbeat)> Stages()
        {
            using var db = store.NewContext();
            return db.Stages.AsNoTracking().Select(s => new { s.Hash, s.Status, s.JobId, s.Worker, s.HeartbeatAt }).AsEnumerable()
                .Select(s => (s.Hash, s.Status, s.JobId, s.Worker, s.HeartbeatAt)).ToList();
        }
        string RunnerId(string name)
        {
            using var db = store.NewContext();
            return db.Runners.AsNoTracking().Single(r => r.Name == name && r.State == RunnerState.Running).Id;
        }
        var submitted = Stages().ToDictionary(s => s.Hash, s => s.JobId);
        Assert.Equal(2, submitted.Values.Distinct().Count());

        var a = Ablate.Start(dir.Path, "runner", "--name", "a", "--workers", "1", "--prefetch-hold", "0.2", "--heartbeat", "0.5");
        System.Diagnostics.Process? b = null;
        try
        {
            Ablate.WaitUntil(() => Stages() is var now && now.Count(s => s.Status == StageStatus.Running) == 1
                && now.Any(s => s.Status == StageStatus.Queued && s.Worker is not null), TimeSpan.FromSeconds(60),
                "one stage running on runner a and the other fetched ahead by it");
            var held = Stages().Single(s => s.Status == StageStatus.Queued);
            // Ten hold periods later the same delivery still holds it: its hold was renewed, on the job the submit made.
            Ablate.WaitUntil(() => Stages().Single(s => s.Hash == held.Hash).Heartbeat > held.Heartbeat!.Value.AddSeconds(2),
                TimeSpan.FromSeconds(60), "the hold to be renewed two seconds on");
            var still = Stages().Single(s => s.Hash == held.Hash);
            Assert.Equal(StageStatus.Queued, still.Status);
            Assert.Equal(held.Worker, still.Worker);
            Assert.Equal(submitted[held.Hash], still.JobId);

            b = Ablate.Start(dir.Path, "runner", "--name", "b", "--workers", "1");
            Ablate.WaitUntil(() => Stages().Count(s => s.Status == StageStatus.Running) == 2, TimeSpan.FromSeconds(60),
                "runner b to start the stage runner a held");
            var (idA, idB) = (RunnerId("a"), RunnerId("b"));
            var moved = Stages().Single(s => s.Hash == held.Hash);
            Assert.StartsWith(idB + ":", moved.Worker);
            Assert.NotEqual(submitted[held.Hash], moved.JobId); // given back as a new job
            Assert.StartsWith(idA + ":", Stages().Single(s => s.Hash != held.Hash).Worker);

            File.WriteAllText(go, "");
            Ablate.WaitUntil(() => Stages().All(s => s.Status == StageStatus.Succeeded), TimeSpan.FromSeconds(60), "both stages to succeed");
        }
        finally
        {
            Ablate.StopRunners(b is null ? [a] : [a, b]);
        }
        Assert.Equal(0, a.ExitCode);
        Assert.Equal(0, b!.ExitCode);
    }

    [Fact]
    public void Run_BadWorkerCountOrStaleness_Exit2WithTheFix()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var spec = dir.Write("toy.yaml", Fixtures.Spec("toy", "[1]", "[3]", seeds: "[1]"));
        var run = Ablate.Run(dir.Path, "run", spec, "--workers", "-1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--workers -1: give a positive number", run.Stderr);
        var stale = Ablate.Run(dir.Path, "run", spec, "--stale-after", "0");
        Assert.Equal(2, stale.ExitCode);
        Assert.Contains("--stale-after 0: give the seconds without a heartbeat", stale.Stderr);
        var runner = Ablate.Run(dir.Path, "runner", "--stale-after", "1", "--heartbeat", "2");
        Assert.Equal(2, runner.ExitCode);
        Assert.Contains("--stale-after 1: must exceed --heartbeat 2", runner.Stderr);
    }

    [Fact]
    public void Run_OneCellFails_ItsRunsFailWithReason_OthersSucceed()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var spec = dir.Write("mixed.yaml", Fixtures.Spec("mixed", "[1]", "[2, 99]", seeds: "[1]"));

        var result = Ablate.Run(dir.Path, "run", spec);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ExternalFailure", result.Stderr);
        Assert.Contains("diverged badly", result.Stderr);
        using var db = dir.Store().NewContext();
        var failed = db.Stages.Single(s => s.Status == StageStatus.Failed);
        Assert.Equal("ExternalFailure", failed.FailureKind);
        Assert.Equal(1, failed.Attempts); // deterministic: not retried
        Assert.Contains("exited with code 3", failed.Error);
        Assert.Single(db.Stages.Where(s => s.Status == StageStatus.Succeeded));
        var status = Ablate.Run(dir.Path, "status", "mixed");
        Assert.Contains("failed", status.Stdout);
        var export = Ablate.Run(dir.Path, "export", "mixed", "--format", "csv");
        Assert.True(export.ExitCode == 0, export.All);
        Assert.Equal(1 + 3, File.ReadAllLines(Path.Combine(dir.Path, "exports", "mixed", "metrics.csv")).Length); // header + 3 loss points of the good run
        Assert.Equal(2, Ablate.Run(dir.Path, "export", "mixed", "--format", "xlsx").ExitCode);
    }

    [Fact]
    public void Validate_BrokenSpec_EveryProblemWithPositionAndExit2()
    {
        using var dir = new TempDir();
        var spec = dir.Write("broken.yaml", """
            name: broken
            program: train.sh
            paramters:
              a: {values: [1, 2]}
            method: gird
            """);

        var result = Ablate.Run(dir.Path, "validate", spec);

        Assert.Equal(2, result.ExitCode);
        Assert.Matches(@"broken\.yaml:3:1: .*paramters.*parameters", result.Stderr);
        Assert.Matches(@"broken\.yaml:5:9: .*gird", result.Stderr);
    }

    [Fact]
    public void Validate_ManyFiles_EachOneJudged_Exit2WhenAnyHasAProblem()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var good = dir.Write("good.yaml", Fixtures.Spec("good", "[1]", "[1]"));
        var bad = dir.Write("bad.yaml", "name: bad\nprogram: train.sh\nmethod: gird\n");

        var both = Ablate.Run(dir.Path, "validate", good, bad);
        var goodOnly = Ablate.Run(dir.Path, "validate", good, good);

        Assert.Equal(2, both.ExitCode);
        Assert.Matches(@"ok \S*good\.yaml: experiment good", both.Stdout);
        Assert.Matches(@"bad\.yaml:3:9: .*gird", both.Stderr);
        Assert.True(goodOnly.ExitCode == 0, goodOnly.All);
    }

    [Fact]
    public void Validate_MissingFile_Exit2WithMessage()
    {
        using var dir = new TempDir();
        var result = Ablate.Run(dir.Path, "validate", "nope.yaml");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nope.yaml", result.Stderr);
    }

    [Fact]
    public void Validate_MissingProgram_Exit2NamingThePath()
    {
        using var dir = new TempDir();
        var spec = dir.Write("p.yaml", Fixtures.Spec("p", "[1]", "[1]"));
        var result = Ablate.Run(dir.Path, "validate", spec);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("train.sh", result.Stderr);
        Assert.Contains("not found", result.Stderr);
    }

    [Fact]
    public void Status_UnknownExperiment_Exit2ListsKnownOnes()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        Ablate.Run(dir.Path, "submit", dir.Write("s.yaml", Fixtures.Spec("known_one", "[1]", "[1]", seeds: "[1]")));
        var result = Ablate.Run(dir.Path, "status", "unknown_one");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("known_one", result.Stderr);
    }
}
