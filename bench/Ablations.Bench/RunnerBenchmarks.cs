using System.Diagnostics;
using System.Globalization;
using Ablations.Core.Stages;
using Ablations.Runner.Data;
using Ablations.Runner.Modeling;
using Ablations.Runner.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ablations.Bench;

/// <summary>
/// Runner benchmarks of issue 3 §6, each a ratio of loops measured side by side in this process, interleaved
/// in rounds of <c>--steps</c> steps per loop (default 8: A, B, C, D, then B, C, D, A, ...; the order rotates
/// every round), ratios are the median over rounds of the paired per-round ratios. Training tasks prepare
/// their next batch while a step trains, so a loop's last prefetch of a round overlaps the next loop's
/// steps; with 8 steps per round that borrowed overlap is at most 1/8 of a round (with 1 step it was all of it):
/// <list type="bullet">
/// <item><c>kd</c>: seconds per student step (cnn-tiny, batch 128, 32×32, GT + synthetic caption terms, through
/// <see cref="Trainer"/>) with the reinforced KD loss from two stored teachers ÷ the same step as the no-KD
/// baseline (no teachers, λ = 0: plain CLIP on the same data); and online KD (two cnn-base teachers run
/// forward every step on the same batch) ÷ plain CLIP, for contrast. Target ≤ 1.15.</item>
/// <item><c>pipeline</c>: samples/s of the KD student loop with its data source (stored augmentation replay,
/// caption sampling, tokenising, target gathering) ÷ samples/s of the same loop over pre-made tensors of the
/// same shapes. Target ≥ 0.90.</item>
/// <item><c>reuse</c>: see <see cref="RunnerReuseBench"/>.</item>
/// </list>
/// Usage: runner [all|kd|pipeline|reuse] [--steps N] [--rounds R] [--threads T] [--rows N] [--db PATH]
/// </summary>
internal static class RunnerBenchmarks
{
    private const double KdTarget = 1.15;
    private const double PipelineTarget = 0.90;
    private const int Batch = 128;
    private const long Seed = 7;

    public static int Run(string[] args)
    {
        var which = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "all";
        int steps = 8, rounds = 10, threads = 1, rows = 512;
        var db = "/work/main/.ablations/ablations.db";
        for (var i = args.Length > 0 && args[0] == which ? 1 : 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length) { Console.Error.WriteLine($"option {args[i]} needs a value"); return 2; }
            switch (args[i])
            {
                case "--steps": steps = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--rows": rows = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--db": db = args[i + 1]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}; options: --steps N, --rounds R, --threads T, --rows N, --db PATH"); return 2;
            }
        }
        if (which is not ("all" or "kd" or "pipeline" or "reuse"))
        {
            Console.Error.WriteLine("usage: runner [all|kd|pipeline|reuse] [--steps N] [--rounds R] [--threads T] [--rows N] [--db PATH]");
            return 2;
        }

        var ok = true;
        if (which is "all" or "kd" or "pipeline") ok &= Loops(which, steps, rounds, threads, rows);
        if (which is "all" or "reuse") RunnerReuseBench.Run(db);
        return ok ? 0 : 1;
    }

    private static bool Loops(string which, int steps, int rounds, int threads, int rows)
    {
        torch.set_num_threads(threads);
        Console.WriteLine($"torch threads {torch.get_num_threads()} (interop {torch.get_num_interop_threads()}), {Environment.ProcessorCount} logical CPUs, " +
                          $"batch {Batch}, {RunnerBenchFixture.ImageSize}×{RunnerBenchFixture.ImageSize}, student cnn-tiny, {rows} rows, {steps} steps per loop, {rounds} rounds");
        var build = Stopwatch.StartNew();
        var fx = new RunnerBenchFixture(rows, Seed);
        var tok = fx.Tokenizer;
        const int size = RunnerBenchFixture.ImageSize;
        var variants = new List<(string Name, ITrainingTask Task)>();
        var kd = new ReinforcedTrainingTask(fx.NewClip("cnn-tiny", 1), fx.Stored, tok, Batch, Seed, size, 0.5, false, 0, CPU);
        if (which is "all" or "kd")
        {
            variants.Add(("clip", new ReinforcedTrainingTask(fx.NewClip("cnn-tiny", 1), fx.NoTeachers, tok, Batch, Seed, size, 0, false, 0, CPU)));
            variants.Add(("kd-stored", kd));
            var teachers = new[] { fx.NewClip("cnn-base", 11), fx.NewClip("cnn-base", 12) };
            foreach (var t in teachers) t.eval();
            variants.Add(("kd-online", new OnlineKdTask(fx.NewClip("cnn-tiny", 1), teachers, fx.Stored, tok, Batch, Seed, 0.5)));
        }
        else variants.Add(("kd-stored", kd));
        if (which is "all" or "pipeline")
            variants.Add(("bare", new PremadeKdTask(fx.NewClip("cnn-tiny", 1), fx.Stored, tok, Batch, Seed, 0.5, distinct: 4)));
        Console.WriteLine($"fixture and models built in {build.Elapsed.TotalSeconds:F1} s");

        var loops = variants.ToDictionary(v => v.Name, v => new Loop(v.Task));
        foreach (var (name, _) in variants)
        {
            var (warm, _) = loops[name].Run(2);
            Console.WriteLine($"warm-up {name}: {warm * 1000:F0} ms/step");
        }

        foreach (var loop in loops.Values) loop.ResetGc();
        var times = variants.ToDictionary(v => v.Name, _ => new List<double>());
        var cpu = variants.ToDictionary(v => v.Name, _ => new List<double>());
        for (var r = 0; r < rounds; r++)
        {
            var line = new List<string>();
            for (var k = 0; k < variants.Count; k++)
            {
                var name = variants[(k + r) % variants.Count].Name;
                var (s, c) = loops[name].Run(steps);
                times[name].Add(s);
                cpu[name].Add(c);
                line.Add($"{name} {s * 1000:F0} ({c * 1000:F0} CPU)");
            }
            Console.WriteLine($"round {r + 1} (wall ms/step, process CPU ms/step): {string.Join(", ", line)}");
        }

        double Median(IEnumerable<double> xs)
        {
            var a = xs.Order().ToArray();
            return a.Length % 2 == 1 ? a[a.Length / 2] : (a[a.Length / 2 - 1] + a[a.Length / 2]) / 2;
        }
        double RoundRatio(string num, string den) => Median(times[num].Zip(times[den], (a, b) => a / b));
        double CpuRatio(string num, string den) => Median(cpu[num].Zip(cpu[den], (a, b) => a / b));
        foreach (var (name, _) in variants)
            Console.WriteLine($"{name,-10} median {Median(times[name]) * 1000,7:F1} ms/step = {Batch / Median(times[name]),7:F0} samples/s; " +
                              $"CPU {Median(cpu[name]) * 1000,7:F1} ms/step; fastest round {times[name].Min() * 1000,7:F1} ms/step; " +
                              $"GC pauses {loops[name].GcPause / loops[name].Steps * 1000:F1} ms/step, {loops[name].Gen2} gen-2 GCs in {loops[name].Steps} steps");
        double MinRatio(string num, string den) => times[num].Min() / times[den].Min();

        var ok = true;
        if (which is "all" or "kd")
        {
            var ratio = RoundRatio("kd-stored", "clip");
            var online = RoundRatio("kd-online", "clip");
            Console.WriteLine($"KD overhead (stored, 2 teachers) ÷ plain CLIP: {ratio:F3} (median of per-round wall ratios; target ≤ {KdTarget:F2}: {(ratio <= KdTarget ? "met" : "MISSED")}); " +
                              $"CPU-time ratio {CpuRatio("kd-stored", "clip"):F3}, fastest-round ratio {MinRatio("kd-stored", "clip"):F3}");
            Console.WriteLine($"online KD (2 × cnn-base forward per step) ÷ plain CLIP: {online:F3} (contrast, no target); " +
                              $"CPU-time ratio {CpuRatio("kd-online", "clip"):F3}, fastest-round ratio {MinRatio("kd-online", "clip"):F3}");
            ok &= ratio <= KdTarget;
        }
        if (which is "all" or "pipeline")
        {
            var ratio = RoundRatio("bare", "kd-stored");
            Console.WriteLine($"input pipeline efficiency (samples/s with ReinforcedBatchSource ÷ pre-made tensors): {ratio:F3} (median of per-round wall ratios; target ≥ {PipelineTarget:F2}: {(ratio >= PipelineTarget ? "met" : "MISSED")}); " +
                              $"CPU-time ratio {CpuRatio("bare", "kd-stored"):F3}, fastest-round ratio {MinRatio("bare", "kd-stored"):F3}");
            ok &= ratio >= PipelineTarget;
            PipelineParts(fx, 8);
        }
        return ok;
    }

    /// <summary>
    /// A variant's training loop, kept alive across rounds so rounds can interleave at step granularity: the
    /// step body of <see cref="Trainer.Run"/> (dispose scope, zero_grad, task step, loss.item, backward,
    /// global-norm clip 1.0, AdamW step with the same decay / no-decay groups, extras read back with item),
    /// with a constant learning rate.
    /// </summary>
    private sealed class Loop(ITrainingTask task)
    {
        private readonly Runner.Training.AdamW _optimizer = new([(task.Model.parameters().Where(p => p.dim() >= 2), 0.1), (task.Model.parameters().Where(p => p.dim() < 2), 0)])
        {
            LearningRate = 1e-3,
        };
        private long _step;

        /// <summary>GC pause seconds and gen-2 collections seen during this loop's measured steps.</summary>
        public double GcPause { get; private set; }
        public int Gen2 { get; private set; }
        public long Steps { get; private set; }

        public void ResetGc() => (GcPause, Gen2, Steps) = (0, 0, 0);

        /// <returns>Wall seconds and process CPU seconds per step over <paramref name="steps"/> steps.</returns>
        public (double Wall, double Cpu) Run(int steps)
        {
            task.Model.train();
            using var process = Process.GetCurrentProcess();
            var cpu0 = process.TotalProcessorTime;
            var pause0 = GC.GetTotalPauseDuration();
            var gen20 = GC.CollectionCount(2);
            var sw = Stopwatch.StartNew();
            for (var k = 0; k < steps; k++, _step++)
            {
                using var scope = NewDisposeScope();
                _optimizer.ZeroGrad();
                var (loss, extras) = task.Step(_step);
                var value = loss.item<float>();
                if (!float.IsFinite(value)) throw new InvalidOperationException($"loss {value} at step {_step}");
                loss.backward();
                nn.utils.clip_grad_norm_(task.Model.parameters(), 1.0);
                _optimizer.Step();
                foreach (var t in extras.Values) t.item<float>();
            }
            var wall = sw.Elapsed.TotalSeconds;
            GcPause += (GC.GetTotalPauseDuration() - pause0).TotalSeconds;
            Gen2 += GC.CollectionCount(2) - gen20;
            Steps += steps;
            process.Refresh();
            return (wall / steps, (process.TotalProcessorTime - cpu0).TotalSeconds / steps);
        }
    }

    /// <summary>Where the pipeline's time goes: the per-step data work of the KD step, alone, outside the loop.</summary>
    private static void PipelineParts(RunnerBenchFixture fx, int steps)
    {
        var src = fx.Stored;
        var n = src.Pixels.Length;
        double images = 0, tokens = 0, sampling = 0;
        using var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        for (var s = 0; s < steps; s++)
        {
            using var scope = NewDisposeScope();
            var sw = Stopwatch.StartNew();
            var rows = Batches.StepRows(Seed, s, n, Batch);
            var rng = Rng.For(Seed, 0x5e1ec7, s);
            var aug = rows.Select(_ => rng.Next(src.AugsUsed)).ToArray();
            var gt = rows.Select(r => src.GtCaptions[r]).ToArray();
            var syn = rows.Select(r => src.Synthetic[r][rng.Next(src.Synthetic[r].Length)]).ToArray();
            sampling += sw.Elapsed.TotalSeconds;
            sw.Restart();
            Batches.Images(src.Pixels, rows, RunnerBenchFixture.ImageSize, CPU, k => src.Augmentations[rows[k]][aug[k]]);
            images += sw.Elapsed.TotalSeconds;
            sw.Restart();
            Batches.Tokens(fx.Tokenizer, gt, CPU);
            Batches.Tokens(fx.Tokenizer, syn, CPU);
            tokens += sw.Elapsed.TotalSeconds;
        }
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds / steps;
        Console.WriteLine($"pipeline parts per step, alone: augmentation replay {images / steps * 1000:F1} ms, tokenising 2×{Batch} captions {tokens / steps * 1000:F1} ms, " +
                          $"row/caption sampling {sampling / steps * 1000:F2} ms (wall, Parallel.For over images); all parts {cpu * 1000:F1} ms of process CPU");
    }
}
