using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Ablations.Core.Results;
using Ablations.Core.Spec;
using Ablations.Reports;
using Ablations.Reports.Export;

namespace Ablations.Bench;

/// <summary>
/// Report generation for 1,000 runs × 20 metrics × 50 steps (issue 4 §7, target under 5 s). The data is a
/// synthetic full grid (4 teacher sets × 5 KD scales × 2 captioners × 5 λ = 200 cells × 5 seeds) with 20
/// curves of 50 points per run and their final values as the 20 final metrics.
/// Usage: report [--runs N] [--out DIR] [--repeat K]
/// </summary>
internal static class ReportBenchmark
{
    private const double TargetSeconds = 5.0;

    public static int Run(string[] args)
    {
        int repeat = 3;
        string? outDir = null;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--repeat": repeat = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--out": outDir = args[i + 1]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}; options: --repeat K, --out DIR"); return 2;
            }
        }

        var build = Stopwatch.StartNew();
        var results = Synthetic(seed: 42);
        build.Stop();
        Console.WriteLine($"synthetic data: {results.Runs.Count} runs × 20 metrics × 50 steps ({results.Runs.Sum(r => r.Curves.Values.Sum(c => c.Count)):N0} curve points) built in {build.Elapsed.TotalSeconds:F2} s");

        string root = outDir ?? Directory.CreateTempSubdirectory("ablations-report-bench-").FullName;
        var times = new List<double>();
        for (int k = 0; k < repeat; k++)
        {
            string dir = Path.Combine(root, $"report{k}");
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var outcome = ReportWriter.Write(results, dir, ReportOptions.Default);
            sw.Stop();
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            if (!outcome.Succeeded)
            {
                Console.Error.WriteLine(string.Join(Environment.NewLine, outcome.Errors));
                return 1;
            }

            times.Add(sw.Elapsed.TotalSeconds);
            Console.WriteLine($"run {k + 1}: {sw.Elapsed.TotalSeconds:F2} s wall, {cpu:F2} s CPU ({outcome.Files.Count} files){(k == 0 ? " (cold: includes JIT and font loading)" : "")}");
        }

        var export = Stopwatch.StartNew();
        MetricsExporter.Export(results, Path.Combine(root, "metrics.parquet"), MetricsExportFormat.Parquet);
        export.Stop();
        Console.WriteLine($"raw metrics export (parquet, {results.Runs.Count * 20 * 50:N0} rows): {export.Elapsed.TotalSeconds:F2} s");

        double warm = times.Count > 1 ? times.Skip(1).Min() : times[0];
        Console.WriteLine($"cores: {Environment.ProcessorCount}; load average: {LoadAverage()}");
        Console.WriteLine($"report generation: cold {times[0]:F2} s, warm best {warm:F2} s; target {TargetSeconds:F1} s; ratio warm/target = {warm / TargetSeconds:F2}, cold/target = {times[0] / TargetSeconds:F2}");
        if (outDir is null)
        {
            Directory.Delete(root, recursive: true);
        }

        return 0;
    }

    /// <summary>The 1-minute load average (Linux), so a slow number on a busy machine reads as such.</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    internal static ExperimentResults Synthetic(int seed)
    {
        var rng = new Random(seed);
        JsonNode[] teachers = [new JsonArray("t_a"), new JsonArray("t_b"), new JsonArray("t_a", "t_b"), new JsonArray()];
        double[] scales = [10, 30, 50, 70, 100];
        string[] captioners = ["coca_base", "coca_ft"];
        double[] lambdas = [0, 0.25, 0.5, 0.75, 1];
        string[] metricNames = ["zeroshot_avg", "retrieval_i2t_r1", "retrieval_t2i_r1", "retrieval_i2t_r5", "retrieval_t2i_r5",
            "zeroshot_top1.object", "zeroshot_top1.colour", "zeroshot_top1.shape", "zeroshot_top1.count", "zeroshot_top1.position",
            "loss", "loss_clip", "loss_kd", "logit_scale", "lr", "caption_precision", "caption_recall", "caption_distinct1",
            "caption_distinct2", "grad_norm"];
        var runs = new List<RunResult>(1000);
        int cell = 0;
        foreach (var t in teachers)
        {
            foreach (double s in scales)
            {
                foreach (string c in captioners)
                {
                    foreach (double l in lambdas)
                    {
                        double effect = 0.05 * t.AsArray().Count - Math.Abs(s - 60) / 1000 + (c == "coca_ft" ? 0.02 : 0) - Math.Abs(l - 0.6) / 20;
                        for (int seedIndex = 0; seedIndex < 5; seedIndex++)
                        {
                            var curves = new Dictionary<string, IReadOnlyList<CurvePoint>>();
                            var finals = new Dictionary<string, double>();
                            foreach (var name in metricNames)
                            {
                                double level = 0.4 + effect + rng.NextDouble() * 0.01;
                                var points = new CurvePoint[50];
                                for (int k = 0; k < 50; k++)
                                {
                                    double progress = 1 - Math.Exp(-k / 12.0);
                                    points[k] = new CurvePoint(k * 100, level * progress + rng.NextDouble() * 0.005);
                                }

                                curves[name] = points;
                                finals[name] = points[^1].Value;
                            }

                            bool baseline = t.AsArray().Count == 2 && s == 50 && c == "coca_base" && l == 0.5;
                            runs.Add(new RunResult($"run-{cell:D3}-{seedIndex}", cell,
                                new Dictionary<string, JsonNode?>
                                {
                                    ["student.kd.teachers"] = t.DeepClone(), ["student.kd.scale"] = s, ["captions.captioner"] = c, ["student.kd.lambda"] = l,
                                },
                                seedIndex, "succeeded", baseline, finals, curves));
                        }

                        cell++;
                    }
                }
            }
        }

        var stages = Enumerable.Range(0, 400).Select(i => new StageCost($"h{i}", (i % 5) switch
        {
            0 => "world", 1 => "teacher", 2 => "embed", 3 => "student", _ => "eval",
        }, "succeeded", 10 + i % 37, 1 + i % 7, i % 11 == 0)).ToArray();
        return new ExperimentResults(
            "bench_1000", "Synthetic 1,000-run grid for the report benchmark.", new MetricSpec("zeroshot_avg", MetricGoal.Maximize),
            ["student.kd.teachers", "student.kd.scale", "captions.captioner", "student.kd.lambda"],
            new Dictionary<string, JsonNode?>
            {
                ["student.kd.teachers"] = new JsonArray("t_a", "t_b"), ["student.kd.scale"] = 50, ["captions.captioner"] = "coca_base", ["student.kd.lambda"] = 0.5,
            },
            DesignKind.Full, runs, stages);
    }
}
