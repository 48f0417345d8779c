using Ablations.Core.Stages;
using Ablations.Core.Execution;
using Ablations.Core.Planning;
using Ablations.Core.Spec;
using Ablations.Core.Store;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Ablations.Bench;

/// <summary>Shared pieces of the spine benchmarks: temp workspaces, generated specs, a clock and percentiles.</summary>
internal static class SpineBenchSupport
{
    /// <summary>A fresh workspace under the temp folder; deleted on dispose unless ABLATIONS_BENCH_KEEP is set.</summary>
    public sealed class TempWorkspace : IDisposable
    {
        /// <param name="db">A results store other than the workspace's SQLite file, e.g. a postgres:// URL.</param>
        public TempWorkspace(string name, string? db = null)
        {
            Root = Path.Combine(Path.GetTempPath(), $"ablations-bench-{name}-{Guid.NewGuid():N}"[..48]);
            Directory.CreateDirectory(Root);
            Workspace = Workspace.Create(Root, db);
        }

        public string Root { get; }
        public Workspace Workspace { get; }

        public void Dispose()
        {
            if (Environment.GetEnvironmentVariable("ABLATIONS_BENCH_KEEP") is not null) return;
            try { Directory.Delete(Root, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// Writes a W&amp;B-style command sweep with the given axis sizes (a full grid, one seed) into <paramref name="dir"/>
    /// and returns its path. The command ignores the parameters; they only make every stage distinct.
    /// </summary>
    public static string WriteCommandSpec(string dir, string name, IReadOnlyList<int> axisSizes, IReadOnlyList<string> command, bool withProgram)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine(CultureInfo.InvariantCulture, $"name: {name}");
        yaml.AppendLine("method: grid");
        if (withProgram)
        {
            File.WriteAllText(Path.Combine(dir, "train.sh"), "#!/bin/sh\nexit 0\n");
            yaml.AppendLine("program: train.sh");
        }
        yaml.AppendLine("command:");
        foreach (var arg in command) yaml.AppendLine(CultureInfo.InvariantCulture, $"  - \"{arg}\"");
        yaml.AppendLine("parameters:");
        for (var a = 0; a < axisSizes.Count; a++)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  p{a}:");
            var values = Enumerable.Range(0, axisSizes[a]).Select(i => (i + 1).ToString(CultureInfo.InvariantCulture));
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    values: [{string.Join(", ", values)}]");
        }
        var path = Path.Combine(dir, name + ".yaml");
        File.WriteAllText(path, yaml.ToString());
        return path;
    }

    /// <summary>Loads and plans a spec, failing loudly: a benchmark spec that does not validate is a bug in the benchmark.</summary>
    public static StagePlan LoadAndPlan(string path)
    {
        var loaded = SpecLoader.Load(path);
        if (!loaded.Ok) throw new InvalidOperationException("benchmark spec is invalid:\n" + string.Join("\n", loaded.Diagnostics));
        return Planner.Plan(loaded.Spec!);
    }

    public static double Seconds(long fromTimestamp, long toTimestamp) => Stopwatch.GetElapsedTime(fromTimestamp, toTimestamp).TotalSeconds;

    /// <summary>Nearest-rank percentile of an unsorted sample.</summary>
    public static double Percentile(IReadOnlyCollection<double> sample, double p)
    {
        if (sample.Count == 0) return double.NaN;
        var sorted = sample.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static string Ms(double seconds) => (seconds * 1000).ToString("F1", CultureInfo.InvariantCulture) + " ms";

    public static string F(double value, string format = "F3") => value.ToString(format, CultureInfo.InvariantCulture);

    public static void Line(string text) => Console.WriteLine(text);

    /// <summary>Wraps a stage executor to record when it started and ended (Stopwatch timestamps) per stage hash.</summary>
    public sealed class TimedExecutor(IStageExecutor inner) : IStageExecutor
    {
        public ConcurrentDictionary<string, long> Started { get; } = new(StringComparer.Ordinal);
        public ConcurrentDictionary<string, long> Ended { get; } = new(StringComparer.Ordinal);

        public StageType Type => inner.Type;

        public void Execute(StageContext context)
        {
            Started[context.StageHash] = Stopwatch.GetTimestamp();
            try
            {
                inner.Execute(context);
            }
            finally
            {
                Ended[context.StageHash] = Stopwatch.GetTimestamp();
            }
        }
    }

    /// <summary>A stage that does nothing: what is left of a job is the orchestration around it.</summary>
    public sealed class NoOpExecutor(string type) : IStageExecutor
    {
        public StageType Type { get; } = StageTypes.Get(type);

        public void Execute(StageContext context) { }
    }

    /// <summary>
    /// A Hangfire server filter that records when Hangfire starts and finishes performing each stage job (after the
    /// fetch and the Processing state change; before the Succeeded state change). Keyed by the stage hash argument.
    /// </summary>
    public sealed class JobTimeline : JobFilterAttribute, IServerFilter, IApplyStateFilter
    {
        public ConcurrentDictionary<string, long> Performing { get; } = new(StringComparer.Ordinal);
        public ConcurrentDictionary<string, long> Performed { get; } = new(StringComparer.Ordinal);
        /// <summary>When the Processing (after the fetch) and Succeeded states were applied, inside their transactions.</summary>
        public ConcurrentDictionary<string, long> ProcessingApplied { get; } = new(StringComparer.Ordinal);
        public ConcurrentDictionary<string, long> SucceededApplied { get; } = new(StringComparer.Ordinal);

        public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
        {
            if (context.BackgroundJob.Job?.Args is not { Count: > 0 } args || args[0] is not string hash) return;
            if (context.NewState.Name == "Processing") ProcessingApplied[hash] = Stopwatch.GetTimestamp();
            else if (context.NewState.Name == "Succeeded") SucceededApplied[hash] = Stopwatch.GetTimestamp();
        }

        public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction) { }

        public void OnPerforming(PerformingContext context)
        {
            if (HashOf(context) is { } hash) Performing[hash] = Stopwatch.GetTimestamp();
        }

        public void OnPerformed(PerformedContext context)
        {
            if (HashOf(context) is { } hash) Performed[hash] = Stopwatch.GetTimestamp();
        }

        private static string? HashOf(PerformContext context) =>
            context.BackgroundJob.Job.Args.Count > 0 ? context.BackgroundJob.Job.Args[0] as string : null;
    }
}
