using System.Diagnostics;
using System.Text.Json;
using Ablations.Core.Execution;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ablations.Runner.Training;

/// <summary>
/// The training loop: AdamW with explicit decoupled weight decay (matrices and convolutions only; norms,
/// biases, embeddings of position and the logit scale are not decayed, as in CLIP), linear warmup + cosine,
/// global-norm gradient clipping, one dispose scope per step, NaN/Inf → <see cref="FailureKind.Diverged"/>,
/// cancellation honoured between steps, and checkpoints (weights + optimiser state + step) written atomically
/// to the scratch directory so a killed stage resumes exactly where the last checkpoint left it.
/// </summary>
internal static class Trainer
{
    private const string StateFile = "trainer.json";

    /// <returns>Mean loss of the last logged window.</returns>
    public static double Run(ITrainingTask task, TrainerOptions o, IMetricSink metrics, Action<double, string?> progress, TextWriter log, CancellationToken cancel)
    {
        var model = task.Model;
        var s = o.Schedule;
        var decay = model.parameters().Where(p => p.dim() >= 2).ToList();
        var noDecay = model.parameters().Where(p => p.dim() < 2).ToList();
        using var optimizer = new AdamW([(decay, s.WeightDecay), (noDecay, 0)]);
        var warmup = (long)Math.Round(o.TotalSteps * s.WarmupFraction);
        var resumed = TryResume(o, model, optimizer, log);
        var start = resumed?.Step ?? 0;
        model.train();

        // The metric window is trainer state like the weights: a resumed run continues the window the checkpoint
        // was taken in, so it logs the same points and returns the same last loss as an uninterrupted run.
        var lastLoss = resumed?.LastLoss ?? double.NaN;
        var window = resumed?.Window is { } w ? new Dictionary<string, double>(w) : new Dictionary<string, double>();
        var windowSteps = resumed?.WindowSteps ?? 0;
        var clock = Stopwatch.StartNew();
        for (var step = start; step < o.TotalSteps; step++)
        {
            if (cancel.IsCancellationRequested)
            {
                SaveCheckpoint(o, model, optimizer, new Progress(step, lastLoss, window, windowSteps), metrics);
                throw new StageFailedException(FailureKind.Cancelled, $"cancelled at step {step}/{o.TotalSteps}");
            }
            var lr = LearningRateSchedule.At(step, o.TotalSteps, warmup, s.LearningRate);
            optimizer.LearningRate = lr;

            using (NewDisposeScope())
            {
                optimizer.ZeroGrad();
                var (loss, extras) = task.Step(step);
                var value = loss.item<float>();
                if (!float.IsFinite(value))
                    throw new StageFailedException(FailureKind.Diverged, $"{o.MetricPrefix}loss is {value} at step {step} (lr {lr:g3})");
                loss.backward();
                if (s.GradClip > 0) nn.utils.clip_grad_norm_(model.parameters(), s.GradClip);
                optimizer.Step();
                Accumulate(window, "loss", value);
                foreach (var (name, t) in extras) Accumulate(window, name, t.item<float>());
            }
            windowSteps++;

            if (windowSteps == o.LogEvery || step == o.TotalSteps - 1)
            {
                var seconds = clock.Elapsed.TotalSeconds;
                lastLoss = window["loss"] / windowSteps;
                foreach (var (name, sum) in window) metrics.Log(o.MetricPrefix + name, step + 1, sum / windowSteps);
                metrics.Log(o.MetricPrefix + "lr", step + 1, lr);
                metrics.Log(o.MetricPrefix + "samples_per_s", step + 1, windowSteps * task.BatchSize / Math.Max(seconds, 1e-9));
                window.Clear();
                windowSteps = 0;
                clock.Restart();
                progress((step + 1.0) / o.TotalSteps, o.MetricPrefix + "training");
            }
            if (o.CheckpointDir is not null && ((step + 1) % o.CheckpointEvery == 0 || step + 1 == o.TotalSteps))
                SaveCheckpoint(o, model, optimizer, new Progress(step + 1, lastLoss, window, windowSteps), metrics);
        }
        model.eval();
        return lastLoss;
    }

    private static void Accumulate(Dictionary<string, double> window, string name, double value) =>
        window[name] = window.GetValueOrDefault(name) + value;

    private static string Prefixed(TrainerOptions o, string file) => Path.Combine(o.CheckpointDir!, o.MetricPrefix + file);

    /// <summary>Where a checkpoint leaves the loop: the next step, the last logged loss and the metric window in progress.</summary>
    private sealed record Progress(long Step, double LastLoss, Dictionary<string, double> Window, int WindowSteps);

    private static Progress? TryResume(TrainerOptions o, nn.Module model, AdamW optimizer, TextWriter log)
    {
        if (o.CheckpointDir is null || !File.Exists(Prefixed(o, StateFile))) return null;
        var state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(Prefixed(o, StateFile)))!;
        if (state.TotalSteps != o.TotalSteps) return null; // a different schedule: start over rather than mix
        if (state.Format != CheckpointFormat) return null; // written by an earlier version (other optimiser or loop state): start over
        model.load(Prefixed(o, state.Weights));
        optimizer.Load(Prefixed(o, state.Optimizer));
        log.WriteLine($"resumed {o.MetricPrefix}training at step {state.Step}/{o.TotalSteps} from {o.CheckpointDir}");
        return new Progress(state.Step, state.LastLoss ?? double.NaN, state.Window ?? [], state.WindowSteps);
    }

    /// <summary>
    /// Written atomically: files of a new step go under new names, then trainer.json is replaced in one rename. The
    /// metrics logged so far are stored first, so a resume from this checkpoint has every point up to its step.
    /// </summary>
    private static void SaveCheckpoint(TrainerOptions o, nn.Module model, AdamW optimizer, Progress progress, IMetricSink metrics)
    {
        if (o.CheckpointDir is null) return;
        metrics.Flush();
        var step = progress.Step;
        Directory.CreateDirectory(o.CheckpointDir);
        var weights = $"weights-{step}.bin";
        var optim = $"adamw-{step}.bin";
        model.save(Prefixed(o, weights));
        optimizer.Save(Prefixed(o, optim));
        var tmp = Prefixed(o, StateFile + ".tmp");
        File.WriteAllText(tmp, JsonSerializer.Serialize(new CheckpointState(step, o.TotalSteps, weights, optim, CheckpointFormat,
            double.IsFinite(progress.LastLoss) ? progress.LastLoss : null, progress.Window, progress.WindowSteps)));
        File.Move(tmp, Prefixed(o, StateFile), overwrite: true);
        foreach (var old in Directory.GetFiles(o.CheckpointDir, o.MetricPrefix + "*-*.bin"))
        {
            var name = Path.GetFileName(old);
            if (name != o.MetricPrefix + weights && name != o.MetricPrefix + optim) File.Delete(old);
        }
    }

    /// <summary>
    /// 3: also the last logged loss and the metric window in progress (2 lacked them: a stage resumed from its last
    /// checkpoint reported no final loss). 2: optimiser state written by <see cref="AdamW"/> (1, unversioned, was
    /// TorchSharp's optimiser format).
    /// </summary>
    private const int CheckpointFormat = 3;

    private sealed record CheckpointState(long Step, long TotalSteps, string Weights, string Optimizer, int Format = 1,
        double? LastLoss = null, Dictionary<string, double>? Window = null, int WindowSteps = 0);
}
