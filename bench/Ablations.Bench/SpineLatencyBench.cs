using Ablations.Queue;
using Ablations.Core.Results;
using Ablations.Core.Store;
using Ablations.Orchestrator.Scheduling;
using Ablations.Runner.Hosting;
using Hangfire;
using Hangfire.Storage.SQLite;
using System.Collections.Concurrent;
using System.Diagnostics;
using static Ablations.Bench.SpineBenchSupport;

namespace Ablations.Bench;

/// <summary>
/// Enqueue → start latency on an idle runner: an in-process RunnerHost (one worker) with a no-op executor; stages
/// are enqueued one at a time after a random idle pause (so the enqueue lands at a random point of the worker's
/// poll cycle) and timed from the enqueue call to the executor's first line. Target: p50 under 0.5 s.
/// Each job is split at Hangfire's OnPerforming (fetched, Processing state set) and at the executor's start.
/// </summary>
internal static class SpineLatencyBench
{
    public const double TargetP50Seconds = 0.5;
    private const int WarmUp = 5;

    public static int Run(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0]) : 50;
        Line($"## enqueue → start latency: {count} sequential jobs (+{WarmUp} warm-up) on an idle runner, one worker, no-op stage");
        var p50 = Measure(count, pollInterval: null);
        var compareCount = Math.Max(10, count / 2);
        Line($"comparison: the same with a 20 ms Hangfire queue poll interval ({compareCount} jobs), to show the poll's share");
        var p50Fast = Measure(compareCount, pollInterval: TimeSpan.FromMilliseconds(20));
        Line($"result: p50 {Ms(p50)} = {F(p50 / TargetP50Seconds, "F2")} × the 0.5 s target (poll 200 ms); with a 20 ms poll p50 {Ms(p50Fast)}");
        return p50 < TargetP50Seconds ? 0 : 1;
    }

    private static double Measure(int count, TimeSpan? pollInterval)
    {
        using var temp = new TempWorkspace("latency");
        var workspace = temp.Workspace;
        var specPath = WriteCommandSpec(temp.Root, "latency-bench", [count + WarmUp], ["true"], withProgram: false);
        var plan = LoadAndPlan(specPath);
        var store = ResultsStore.Open(workspace.Store);
        var stored = store.Submit(plan, Submission.CodeVersion, null, ReportContext.From(plan.Spec).ToJson());
        var stages = store.TakeReady(stored.ExperimentId); // Queued in the store; each gets its Hangfire job below, one at a time

        JobStorage storage = pollInterval is { } poll
            ? new SQLiteStorage(workspace.Jobs.Display, new SQLiteStorageOptions { QueuePollInterval = poll, InvisibilityTimeout = TimeSpan.FromHours(12) })
            : JobStorageFactory.Create(workspace);
        var executor = new TimedExecutor(new NoOpExecutor("command"));
        var timeline = new JobTimeline();
        var ended = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        using var signal = new AutoResetEvent(false);
        GlobalJobFilters.Filters.Add(timeline);
        try
        {
            var queue = new HangfireJobQueue(storage);
            using var host = new RunnerHost(workspace, new RunnerSettings(), queue, [executor]);
            host.Host.StageEnded += (hash, _) =>
            {
                ended[hash] = Stopwatch.GetTimestamp();
                signal.Set();
            };
            var random = new Random(1);
            var enqueueCall = new List<double>();
            var fetch = new List<double>();
            var setup = new List<double>();
            var latency = new List<double>();
            var finish = new List<double>();
            for (var i = 0; i < stages.Count; i++)
            {
                Thread.Sleep(random.Next(100, 400));
                var stage = stages[i];
                var t0 = Stopwatch.GetTimestamp();
                store.RecordJob(stage.Hash, queue.Enqueue(stage.Hash, stage.Queue));
                var t1 = Stopwatch.GetTimestamp();
                if (!signal.WaitOne(TimeSpan.FromSeconds(30)) || !ended.ContainsKey(stage.Hash))
                    throw new InvalidOperationException($"stage {stage.Hash[..12]} did not end within 30 s");
                if (i < WarmUp) continue;
                enqueueCall.Add(Seconds(t0, t1));
                fetch.Add(Seconds(t1, timeline.Performing[stage.Hash]));
                setup.Add(Seconds(timeline.Performing[stage.Hash], executor.Started[stage.Hash]));
                latency.Add(Seconds(t0, executor.Started[stage.Hash]));
                finish.Add(Seconds(executor.Ended[stage.Hash], ended[stage.Hash]));
            }

            Line($"  poll interval {Ms((pollInterval ?? JobStorageFactory.PollInterval).TotalSeconds)}; jobs measured {latency.Count}, ended {ended.Count - WarmUp}");
            Row("enqueue → executor start", latency);
            Row("  enqueue call (Hangfire create + RecordJob)", enqueueCall);
            Row("  wait for fetch + Processing state", fetch);
            Row("  claim + staging/log setup", setup);
            Row("executor end → StageEnded (publish + Succeed)", finish);
            var mean = latency.Average();
            Line($"  share of mean latency: enqueue call {Pct(enqueueCall.Average(), mean)}, fetch wait {Pct(fetch.Average(), mean)}, claim + setup {Pct(setup.Average(), mean)}");
            return Percentile(latency, 50);
        }
        finally
        {
            GlobalJobFilters.Filters.Remove(timeline);
        }
    }

    private static void Row(string label, List<double> sample) =>
        Line($"  {label,-48} p50 {Ms(Percentile(sample, 50)),9}  p95 {Ms(Percentile(sample, 95)),9}  mean {Ms(sample.Average()),9}  max {Ms(sample.Max()),9}");

    private static string Pct(double part, double whole) => F(100 * part / whole, "F0") + "%";
}
