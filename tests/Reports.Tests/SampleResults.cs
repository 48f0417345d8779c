using System.Text.Json.Nodes;
using Ablations.Core.Results;
using Ablations.Core.Spec;

namespace Ablations.Reports.Tests;

/// <summary>Hand-made experiment results for tests: small, exact, and deterministic.</summary>
internal static class SampleResults
{
    public const string Teachers = "student.kd.teachers";
    public const string Scale = "student.kd.scale";
    public const string Captioner = "captions.captioner";

    public const string OutOfDisk = "student (Error): IOException: No space left on device";
    public const string DivergedAt12 = "student (Diverged): loss is NaN at step 12";
    public const string DivergedAt15 = "student (Diverged): loss is NaN at step 15";

    /// <summary>
    /// one_at_a_time over teachers and KD scale; baseline teachers t_a+t_b, scale 50; seeds 0–2, and a fourth
    /// seed of scale 30 that failed. zeroshot_avg per seed is written out so the expected tables can be checked
    /// by hand. With <paramref name="failedCell"/>, a sixth cell (teachers = t_b) whose three runs all failed.
    /// </summary>
    public static ExperimentResults OneAtATime(bool failedCell = false)
    {
        var runs = new List<RunResult>();
        void Cell(int index, JsonNode teachers, double scale, bool baseline, double[] zeroshot, double[] retrieval)
        {
            for (int seed = 0; seed < zeroshot.Length; seed++)
            {
                runs.Add(Run($"r{index}s{seed}", index, new() { [Teachers] = teachers.DeepClone(), [Scale] = scale }, seed, baseline,
                    new() { ["zeroshot_avg"] = zeroshot[seed], ["retrieval_i2t_r1"] = retrieval[seed] }));
            }
        }

        Cell(0, new JsonArray("t_a", "t_b"), 50, true, [0.50, 0.52, 0.51], [0.30, 0.31, 0.32]);
        Cell(1, new JsonArray("t_a"), 50, false, [0.48, 0.49, 0.50], [0.29, 0.30, 0.30]);
        Cell(2, new JsonArray(), 50, false, [0.40, 0.43, 0.41], [0.20, 0.22, 0.21]);
        Cell(3, new JsonArray("t_a", "t_b"), 70, false, [0.53, 0.56, 0.52], [0.31, 0.33, 0.32]);
        Cell(4, new JsonArray("t_a", "t_b"), 30, false, [0.49, 0.52, 0.50], [0.30, 0.30, 0.33]);
        runs.Add(Run("r4s3", 4, new() { [Teachers] = new JsonArray("t_a", "t_b"), [Scale] = 30 }, 3, false, new(), "failed") with { Failure = OutOfDisk });
        if (failedCell)
        {
            string[] reasons = [DivergedAt12, DivergedAt15, DivergedAt12];
            for (int seed = 0; seed < reasons.Length; seed++)
            {
                runs.Add(Run($"r5s{seed}", 5, new() { [Teachers] = new JsonArray("t_b"), [Scale] = 50 }, seed, false, new(), "failed") with { Failure = reasons[seed] });
            }
        }

        return new ExperimentResults(
            "kd_ablation",
            "Which teachers and KD logit scale help the student?",
            new MetricSpec("zeroshot_avg", MetricGoal.Maximize),
            [Teachers, Scale],
            new Dictionary<string, JsonNode?> { [Teachers] = new JsonArray("t_a", "t_b"), [Scale] = 50 },
            DesignKind.OneAtATime,
            runs,
            Stages());
    }

    /// <summary>A full grid teachers × scale × captioner (2 × 3 × 2) with curves and caption metrics; values from a formula.</summary>
    public static ExperimentResults FullGrid(int seeds = 3, int steps = 20)
    {
        JsonNode[] teachers = [new JsonArray("t_a"), new JsonArray("t_a", "t_b")];
        double[] scales = [30, 50, 70];
        string[] captioners = ["coca_base", "coca_ft"];
        var runs = new List<RunResult>();
        int cell = 0;
        for (int t = 0; t < teachers.Length; t++)
        {
            foreach (double s in scales)
            {
                for (int c = 0; c < captioners.Length; c++)
                {
                    for (int seed = 0; seed < seeds; seed++)
                    {
                        double noise = ((seed * 7 + cell * 3) % 5 - 2) * 0.004;
                        double acc = 0.45 + 0.04 * t + 0.03 * c - Math.Pow((s - 55) / 100, 2) + noise;
                        var metrics = new Dictionary<string, double>
                        {
                            ["zeroshot_avg"] = acc,
                            ["retrieval_i2t_r1"] = acc * 0.6,
                            ["caption_precision"] = 0.6 + 0.1 * c + noise,
                            ["caption_recall"] = 0.5 + 0.15 * c + noise,
                            ["caption_distinct1"] = 0.3 + 0.05 * c,
                            ["caption_distinct2"] = 0.5 + 0.08 * c - noise,
                        };
                        var curves = new Dictionary<string, IReadOnlyList<CurvePoint>>
                        {
                            ["loss"] = Curve(steps, k => 4.0 * Math.Exp(-k / (5.0 + s / 20)) + 1.0 - 0.2 * t - 0.1 * c + noise),
                            ["logit_scale"] = Curve(steps, k => Math.Min(s, 10 + k * 4)),
                        };
                        bool isBaseline = t == 1 && s == 50 && c == 0;
                        runs.Add(new RunResult($"run-{cell:D2}-{seed}", cell,
                            new Dictionary<string, JsonNode?>
                            {
                                [Teachers] = teachers[t].DeepClone(), [Scale] = s, [Captioner] = captioners[c], ["student.epochs"] = 2,
                            },
                            seed, "succeeded", isBaseline, metrics, curves));
                    }

                    cell++;
                }
            }
        }

        return new ExperimentResults(
            "kd_grid", "Teacher sets × KD logit scale × captioner.", new MetricSpec("zeroshot_avg", MetricGoal.Maximize),
            [Teachers, Scale, Captioner],
            new Dictionary<string, JsonNode?> { [Teachers] = new JsonArray("t_a", "t_b"), [Scale] = 50, [Captioner] = "coca_base" },
            DesignKind.Full, runs, Stages());
    }

    /// <summary>
    /// one_at_a_time over the KD scale, seeds 0–2, baseline scale 50 = [0.46, 0.45, 0.47]. Scale 70 is the
    /// baseline + 0.02 on every seed (zero variance; written as decimals, so the differences of the doubles
    /// differ in their last bits), scale 60 equals the baseline on every seed, scales 30 and 40 vary.
    /// </summary>
    public static ExperimentResults ConstantDifferences()
    {
        var runs = new List<RunResult>();
        void Cell(int index, double scale, double[] zeroshot)
        {
            for (int seed = 0; seed < zeroshot.Length; seed++)
            {
                runs.Add(Run($"c{index}s{seed}", index, new() { [Scale] = scale }, seed, index == 0, new() { ["zeroshot_avg"] = zeroshot[seed] }));
            }
        }

        Cell(0, 50, [0.46, 0.45, 0.47]);
        Cell(1, 70, [0.48, 0.47, 0.49]);
        Cell(2, 60, [0.46, 0.45, 0.47]);
        Cell(3, 30, [0.40, 0.44, 0.41]);
        Cell(4, 40, [0.44, 0.45, 0.48]);
        return new ExperimentResults(
            "constant_differences", null, new MetricSpec("zeroshot_avg", MetricGoal.Maximize), [Scale],
            new Dictionary<string, JsonNode?> { [Scale] = 50 }, DesignKind.OneAtATime, runs, []);
    }

    /// <summary>
    /// A 2 × 2 full grid (teachers × scale) with two seeds whose accuracies are far apart (0.05 and 0.95) and a
    /// loss curve close to 0: the 95% intervals (±12.7 standard errors at one degree of freedom) reach far
    /// past 0 and 1, so figures must cut them at the metrics' ranges.
    /// </summary>
    public static ExperimentResults WideIntervals(int steps = 5)
    {
        JsonNode[] teachers = [new JsonArray("t_a"), new JsonArray("t_a", "t_b")];
        double[] scales = [30, 50];
        var runs = new List<RunResult>();
        int cell = 0;
        foreach (var t in teachers)
        {
            foreach (double s in scales)
            {
                for (int seed = 0; seed < 2; seed++)
                {
                    double acc = seed == 0 ? 0.05 + 0.01 * cell : 0.95 - 0.01 * cell;
                    var curves = new Dictionary<string, IReadOnlyList<CurvePoint>>
                    {
                        ["loss"] = Curve(steps, k => seed == 0 ? 0.01 : 0.4 / (k + 1)),
                        ["zeroshot_acc"] = Curve(steps, k => seed == 0 ? 0.02 : 0.98),
                    };
                    runs.Add(new RunResult($"w{cell}s{seed}", cell,
                        new Dictionary<string, JsonNode?> { [Teachers] = t.DeepClone(), [Scale] = s }, seed, "succeeded", cell == 3,
                        new Dictionary<string, double> { ["zeroshot_avg"] = acc }, curves));
                }

                cell++;
            }
        }

        return new ExperimentResults(
            "wide", null, new MetricSpec("zeroshot_avg", MetricGoal.Maximize), [Teachers, Scale],
            new Dictionary<string, JsonNode?> { [Teachers] = new JsonArray("t_a", "t_b"), [Scale] = 50 }, DesignKind.Full, runs, []);
    }

    /// <summary>
    /// <see cref="FullGrid"/> (three seeds) where every run of cell 5 (teachers t_a, scale 70, coca_ft) failed
    /// and seed 2 of cell 0 (t_a, 30, coca_base) was cancelled, with their reasons.
    /// </summary>
    public static ExperimentResults FullGridWithFailures()
    {
        var results = FullGrid();
        var runs = results.Runs.Select(r => (r.CellIndex, r.Seed) switch
        {
            (5, _) => r with { Status = "failed", Metrics = new Dictionary<string, double>(), Curves = new Dictionary<string, IReadOnlyList<CurvePoint>>(), Failure = DivergedAt12 },
            (0, 2) => r with { Status = "cancelled", Metrics = new Dictionary<string, double>(), Failure = "student (Cancelled): cancelled by request" },
            _ => r,
        }).ToArray();
        return results with { Runs = runs };
    }

    public static IReadOnlyList<StageCost> Stages() =>
    [
        new("h1", "world", "succeeded", 12.5, 15, true),
        new("h2", "teacher", "succeeded", 120, 9, false),
        new("h3", "teacher", "succeeded", 110, 6, false),
        new("h4", "embed", "succeeded", 40, 9, false),
        new("h5", "student", "succeeded", 60, 1, false),
        new("h6", "student", "succeeded", 62, 1, false),
        new("h7", "eval", "succeeded", 5, 1, false),
    ];

    public static RunResult Run(string id, int cell, Dictionary<string, JsonNode?> p, long seed, bool baseline, Dictionary<string, double> metrics, string status = "succeeded") =>
        new(id, cell, p, seed, status, baseline, metrics, new Dictionary<string, IReadOnlyList<CurvePoint>>());

    private static CurvePoint[] Curve(int steps, Func<int, double> f) => Enumerable.Range(0, steps).Select(k => new CurvePoint(k * 10, f(k))).ToArray();
}
