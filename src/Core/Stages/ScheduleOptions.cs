using System.Text.Json.Nodes;

namespace Ablations.Core.Stages;

/// <summary>Optimisation schedule shared by every trained stage: AdamW + linear warmup + cosine decay.</summary>
public sealed record ScheduleOptions(
    int Epochs,              // passes over the pool
    int BatchSize,           // pairs per step
    double LearningRate,     // peak AdamW learning rate
    double WeightDecay,      // AdamW decoupled weight decay (explicit: TorchSharp defaults to 0)
    double WarmupFraction,   // fraction of all steps spent on the linear warmup, 0–0.5
    double GradClip)         // max global gradient L2 norm; 0 disables clipping
{
    public static readonly ScheduleOptions Default = new(6, 256, 2e-3, 0.1, 0.05, 1.0);

    internal static ScheduleOptions Bind(ConfigReader r, ScheduleOptions defaults) => new(
        r.Int("epochs", defaults.Epochs, 1, 10_000),
        r.Int("batch_size", defaults.BatchSize, 2, 1 << 16),
        r.Double("lr", defaults.LearningRate, 1e-7, 1),
        r.Double("weight_decay", defaults.WeightDecay, 0, 10),
        r.Double("warmup", defaults.WarmupFraction, 0, 0.5),
        r.Double("grad_clip", defaults.GradClip, 0, 1e6));

    internal void Write(JsonObject o)
    {
        o["epochs"] = Epochs;
        o["batch_size"] = BatchSize;
        o["lr"] = LearningRate;
        o["weight_decay"] = WeightDecay;
        o["warmup"] = WarmupFraction;
        o["grad_clip"] = GradClip;
    }
}
