using Ablations.Core.Stages;

namespace Ablations.Runner.Training;

/// <param name="CheckpointDir">Where checkpoints live (the stage's ScratchDir); null disables checkpointing.</param>
/// <param name="CheckpointEvery">Steps between checkpoints.</param>
/// <param name="LogEvery">Steps averaged into one metric point (metrics are batched, never per step).</param>
/// <param name="MetricPrefix">Prefix for curve names, e.g. "ft_" for a fine-tuning phase.</param>
internal sealed record TrainerOptions(
    ScheduleOptions Schedule,
    long TotalSteps,
    string? CheckpointDir,
    int CheckpointEvery = 100,
    int LogEvery = 10,
    string MetricPrefix = "");
