using Ablations.Queue;
using Ablations.Core.Stages;
using Ablations.Core.Store;
using Ablations.Core.Store.Entities;
using Ablations.Orchestrator.Scheduling;
using Ablations.Runner.Hosting;
using Ablations.Runner.Stages;
using Hangfire;
using Hangfire.Storage.SQLite;
using System.Diagnostics;
using System.Globalization;
using static Ablations.Bench.SpineBenchSupport;

namespace Ablations.Bench;

/// <summary>
/// Orchestration overhead of short `command` stages with one worker: the grid is submitted (the first queue window
/// enqueued; the rest follow by top-up as stages end), then an in-process RunnerHost runs every stage; overhead =
/// 1 − (stages × the program's own time ÷ wall time from the runner's start until the last stage ended), the program's
/// own time being the median of starting it directly (Process.Start, output read) back to back. Target: under 5%.
/// Until issue 11 it waited only for the stages submit enqueued (64 of 100) and divided by all of them; later it took
/// Σ StageRow.DurationSeconds as the work, which since a job is fetched ahead overlaps the next stage and counts the
/// executor's own start-up as work. The critical path is split at the executor's start and end.
/// </summary>
internal static class SpineOverheadBench
{
    public const double TargetOverhead = 0.05;

    public static int Run(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0]) : 100;
        var sleep = args.Length > 1 ? args[1] : "0.2";
        Line($"## orchestration overhead: {count} command stages, one worker");
        ProcessGroup.LeadOwnSession(); // this process is the runner, as `ablate runner` is
        if (Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") != "0")
            Line("note: DOTNET_TieredCompilation is not 0: the JIT recompiles in the background beside the stages, which an installed runner does not (bench/README.md)");
        // The first pass in a process runs partly on unoptimised (tier-0) code while the JIT tiers up in the
        // background; a short warm-up pass absorbs part of that (on the starved 2-core machine not all: the first
        // measured pass still used ~5× the CPU per job of the later ones, see RESULTS.md).
        Measure(20, ["true"], "warm-up (not counted): 20 × `true`");
        var withSleep = Measure(count, ["sleep", sleep], $"`sleep {sleep}`");
        var noOp = Measure(count, ["true"], "`true` (no-op)");
        var fastPoll = Measure(count, ["sleep", sleep], $"`sleep {sleep}`, diagnostic: Hangfire queue poll 20 ms instead of {Ms(JobStorageFactory.PollInterval.TotalSeconds)}",
            new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromMilliseconds(20), InvisibilityTimeout = TimeSpan.FromHours(12) });
        var delete = Measure(count, ["sleep", sleep], $"`sleep {sleep}`, diagnostic: runner's Hangfire SQLite journal_mode DELETE (the package default)",
            new SQLiteStorageOptions { QueuePollInterval = JobStorageFactory.SqlitePollInterval, InvisibilityTimeout = TimeSpan.FromHours(12), JournalMode = SQLiteStorageOptions.JournalModes.DELETE });
        Line($"result: overhead with `sleep {sleep}` {Pct(withSleep)} = {F(withSleep / TargetOverhead, "F1")} × the 5% target; with a no-op command {Pct(noOp)}; diagnostics with `sleep {sleep}`: 20 ms poll {Pct(fastPoll)}, Hangfire journal DELETE {Pct(delete)}");
        return withSleep < TargetOverhead ? 0 : 1;
    }

    private static double Measure(int count, string[] command, string label, SQLiteStorageOptions? storageOptions = null)
    {
        using var temp = new TempWorkspace("overhead");
        var workspace = temp.Workspace;
        var plan = LoadAndPlan(WriteCommandSpec(temp.Root, "overhead-bench", [count], command, withProgram: false));
        var store = ResultsStore.Open(workspace.Store);
        var s0 = Stopwatch.GetTimestamp();
        var submitted = Submission.Submit(workspace, store, plan);
        var submitS = Seconds(s0, Stopwatch.GetTimestamp());

        var executor = new TimedExecutor(StageCatalog.Resolve(StageTypes.Command.Name));
        var timeline = new JobTimeline();
        var ended = new Dictionary<string, long>(StringComparer.Ordinal);
        var gate = new object();
        using var done = new ManualResetEventSlim(false);
        GlobalJobFilters.Filters.Add(timeline);
        long t0, tEnd;
        TimeSpan cpu0, cpu;
        try
        {
            cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            t0 = Stopwatch.GetTimestamp();
            var queue = storageOptions is null ? HangfireJobQueue.Of(workspace) : new HangfireJobQueue(new SQLiteStorage(workspace.Jobs.Display, storageOptions));
            using var host = new RunnerHost(workspace, new RunnerSettings(), queue, [executor]);
            var hostStarted = Stopwatch.GetTimestamp();
            host.Host.StageEnded += (hash, _) =>
            {
                lock (gate)
                {
                    ended[hash] = Stopwatch.GetTimestamp();
                    if (ended.Count == plan.Stages.Count) done.Set();
                }
            };
            if (!done.Wait(TimeSpan.FromSeconds(60 + count * 5)))
                throw new InvalidOperationException($"only {ended.Count} of {plan.Stages.Count} stages ended in time");
            lock (gate) tEnd = ended.Values.Max();
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
            Line($"{label}: {submitted.Enqueued} jobs enqueued by Submission.Submit in {F(submitS)} s; RunnerHost constructed in {F(Seconds(t0, hostStarted))} s");
        }
        finally
        {
            GlobalJobFilters.Filters.Remove(timeline);
        }

        List<StageRow> rows;
        using (var db = store.NewContext()) rows = db.Stages.Where(s => s.Type == StageTypes.Command.Name).ToList();
        var succeeded = rows.Count(r => r.Status == StageStatus.Succeeded);
        if (succeeded != plan.Stages.Count) throw new InvalidOperationException($"{succeeded} of {plan.Stages.Count} stages succeeded; the overhead of a partial grid means nothing");
        var bare = BareProgram(command, Math.Min(count, 30));
        var wall = Seconds(t0, tEnd);
        var ideal = rows.Count * bare;
        var overhead = 1 - ideal / wall;
        var firstPickup = timeline.Performing.Values.Min();

        // With one slot the programs run one after another: what lies between one program's end and the next one's start
        // (the slot's hand-over, the claim, folders, log, inputs) and what the executor adds to the program's own time are
        // the critical path. Manifest, publish and Succeed run beside the next program (a job is fetched ahead).
        var order = executor.Started.OrderBy(p => p.Value).Select(p => p.Key).ToList();
        var handoff = order.Zip(order.Skip(1), (a, b) => Seconds(executor.Ended[a], executor.Started[b])).ToList();
        var execExtra = order.Select(h => Seconds(executor.Started[h], executor.Ended[h]) - bare).ToList();
        var finish = order.Select(h => Seconds(executor.Ended[h], ended[h])).ToList();

        Line($"  stages {rows.Count}, succeeded {succeeded}; the program alone (started directly, {Math.Min(count, 30)} times) {Ms(bare)}, × {rows.Count} = {F(ideal)} s");
        Line($"  wall from runner start {F(wall)} s → overhead {Pct(overhead)} (1 − programs alone ÷ wall); {Ms((wall - ideal) / rows.Count)} per stage");
        Line($"  CPU of this process (runner; the commands' own processes excluded) {F(cpu.TotalSeconds)} s = {Ms(cpu.TotalSeconds / rows.Count)} per job");
        Line("  where the wall time goes:");
        Line($"    runner start → first job performing                 {F(Seconds(t0, firstPickup)),8} s");
        Line($"    program end → next program's executor (hand-over, claim, folders, inputs) mean {Ms(handoff.Average())}, p95 {Ms(Percentile(handoff, 95))}");
        Line($"    executor beyond the program alone (files, start, output) mean {Ms(execExtra.Average())}, p95 {Ms(Percentile(execExtra, 95))}");
        Line($"    beside the next program: manifest, publish, Succeed  mean {Ms(finish.Average())}, p95 {Ms(Percentile(finish, 95))}");
        return overhead;
    }

    /// <summary>The program's own wall time: median of <paramref name="times"/> direct starts, output read, back to back.</summary>
    private static double BareProgram(string[] command, int times) =>
        Percentile(Enumerable.Range(0, times).Select(_ => SpawnBenchmark.Once(SpawnBenchmark.Plain(command[0], command[1..])) / 1000).ToList(), 50);

    private static string Pct(double fraction) => (100 * fraction).ToString("F1", CultureInfo.InvariantCulture) + "%";
}
