using Ablations.Queue;
using Ablations.Core.Results;
using Ablations.Core.Store;
using Ablations.Orchestrator.Scheduling;
using Ablations.Runner.Hosting;
using Hangfire;
using Hangfire.Storage.SQLite;
using System.Diagnostics;
using static Ablations.Bench.SpineBenchSupport;

namespace Ablations.Bench;

/// <summary>
/// Plan + submit of a 1,000-cell command grid (10×10×10, one seed): SpecLoader+Planner, then Submission.Submit
/// (store the plan, take the ready stages, enqueue one Hangfire job each). Target: under 5 s in all.
/// A second pass on a fresh workspace repeats it warm (JIT and EF model built) and splits Submit into its parts.
/// </summary>
internal static class SpinePlanSubmitBench
{
    public const double TargetSeconds = 5.0;

    public static int Run(string[] args)
    {
        var axes = args.Length > 0 ? args[0].Split('x').Select(int.Parse).ToArray() : [10, 10, 10];
        Line($"## plan + submit: grid {string.Join("×", axes)} = {axes.Aggregate(1, (a, b) => a * b)} cells, 1 seed, command pipeline");
        var cold = Measure(axes, "cold (first in this process)", split: false);
        var warm = Measure(axes, "warm (fresh workspace, same process)", split: true);
        Line($"result: cold total {F(cold, "F2")} s = {F(cold / TargetSeconds, "F2")} × the 5 s target; warm total {F(warm, "F2")} s = {F(warm / TargetSeconds, "F2")} × target");
        return cold < TargetSeconds ? 0 : 1;
    }

    private static double Measure(int[] axes, string label, bool split)
    {
        using var temp = new TempWorkspace("plan");
        var specPath = WriteCommandSpec(temp.Root, "plan-bench", axes, ["bash", "${program}", "${args}"], withProgram: true);

        var t0 = Stopwatch.GetTimestamp();
        var plan = LoadAndPlan(specPath);
        var t1 = Stopwatch.GetTimestamp();
        var store = ResultsStore.Open(temp.Workspace.Store);
        var t2 = Stopwatch.GetTimestamp();
        var result = Submission.Submit(temp.Workspace, store, plan);
        var t3 = Stopwatch.GetTimestamp();

        var planS = Seconds(t0, t1);
        var openS = Seconds(t1, t2);
        var submitS = Seconds(t2, t3);
        var total = planS + openS + submitS;
        Line($"{label}:");
        Line($"  runs {plan.Runs.Count}, stages {plan.Stages.Count}; stored new stages {result.Stored.NewStages}, new runs {result.Stored.NewRuns}; Hangfire jobs enqueued {result.Enqueued}");
        Line($"  SpecLoader+Planner  {F(planS)} s");
        Line($"  ResultsStore.Open   {F(openS)} s  (create + migrate the SQLite file)");
        Line($"  Submission.Submit   {F(submitS)} s  (store + take ready + enqueue; {Ms(submitS / Math.Max(1, result.Enqueued))} per stage)");
        Line($"  total               {F(total)} s = {F(total / TargetSeconds, "F2")} × target");
        if (split) Split(axes);
        return total;
    }

    /// <summary>The same submission, step by step, on a fresh workspace: which part of Submit costs what.</summary>
    private static void Split(int[] axes)
    {
        using var temp = new TempWorkspace("split");
        var specPath = WriteCommandSpec(temp.Root, "plan-split", axes, ["bash", "${program}", "${args}"], withProgram: true);
        var plan = LoadAndPlan(specPath);
        var workspace = temp.Workspace;
        var store = ResultsStore.Open(workspace.Store);
        workspace.EnsureDirectories();

        var t0 = Stopwatch.GetTimestamp();
        var git = Submission.GitCommit(temp.Root);
        var t1 = Stopwatch.GetTimestamp();
        var stored = store.Submit(plan, Submission.CodeVersion, git, ReportContext.From(plan.Spec).ToJson());
        var t2 = Stopwatch.GetTimestamp();
        var queue = HangfireJobQueue.Of(workspace);
        var t3 = Stopwatch.GetTimestamp();
        var ready = store.TakeReady(stored.ExperimentId);
        var t4 = Stopwatch.GetTimestamp();
        var queued = store.Queued(stored.ExperimentId);
        var t5 = Stopwatch.GetTimestamp();
        foreach (var s in ready) store.RecordJob(s.Hash, queue.Enqueue(s.Hash, s.Queue)); // what StageScheduler does per ready stage
        var t6 = Stopwatch.GetTimestamp();

        Line("  split of Submission.Submit (warm, fresh workspace):");
        Line($"    git rev-parse         {F(Seconds(t0, t1))} s");
        Line($"    ResultsStore.Submit   {F(Seconds(t1, t2))} s  ({stored.NewStages} stages, {stored.NewRuns} runs, links and inputs)");
        Line($"    Hangfire storage init {F(Seconds(t2, t3))} s");
        Line($"    TakeReady             {F(Seconds(t3, t4))} s  ({ready.Count} stages Pending → Queued, {Ms(Seconds(t3, t4) / Math.Max(1, ready.Count))} each)");
        Line($"    Queued (lost jobs)    {F(Seconds(t4, t5))} s  ({queued.Count} found, all just taken)");
        Line($"    enqueue {ready.Count} jobs      {F(Seconds(t5, t6))} s  ({Ms(Seconds(t5, t6) / Math.Max(1, ready.Count))} per job: Hangfire create + RecordJob)");

        // The two halves of enqueueing a stage (StageScheduler), timed apart on a sample; Hangfire's journal mode compared on fresh files.
        var sample = ready.Take(100).ToList();
        var r0 = Stopwatch.GetTimestamp();
        foreach (var s in sample) store.RecordJob(s.Hash, "bench");
        var recordS = Seconds(r0, Stopwatch.GetTimestamp()) / sample.Count;
        // Alternated in rounds on fresh files so that a burst of load on the shared machine does not favour one mode.
        var delete = new List<double>();
        var wal = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            delete.Add(HangfireCreate(Path.Combine(temp.Root, $"hf-delete-{round}.db"), SQLiteStorageOptions.JournalModes.DELETE, sample));
            wal.Add(HangfireCreate(Path.Combine(temp.Root, $"hf-wal-{round}.db"), SQLiteStorageOptions.JournalModes.WAL, sample));
        }
        Line($"    per job, {sample.Count} sampled: RecordJob {Ms(recordS)}; Hangfire create, 3 alternated rounds each: journal_mode DELETE (the package default) {string.Join(" / ", delete.Select(Ms))}, WAL {string.Join(" / ", wal.Select(Ms))}");
    }

    private static double HangfireCreate(string file, SQLiteStorageOptions.JournalModes mode, IReadOnlyList<ReadyStage> stages)
    {
        var storage = new SQLiteStorage(file, new SQLiteStorageOptions { QueuePollInterval = JobStorageFactory.SqlitePollInterval, JournalMode = mode });
        var client = new BackgroundJobClient(storage);
        var t0 = Stopwatch.GetTimestamp();
        foreach (var s in stages) client.Enqueue<StageJob>(s.Queue, job => job.Run(s.Hash, CancellationToken.None));
        return Seconds(t0, Stopwatch.GetTimestamp()) / stages.Count;
    }
}
