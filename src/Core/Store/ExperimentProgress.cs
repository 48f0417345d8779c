using Ablations.Core.Store.Entities;

namespace Ablations.Core.Store;

/// <summary>A snapshot of an experiment's stages for progress displays; pure, computed from stage rows.</summary>
public sealed record ExperimentProgress(IReadOnlyList<StageRow> Stages)
{
    public int Count(StageStatus status) => Stages.Count(s => s.Status == status);

    public int Total => Stages.Count;

    /// <summary>True when no stage can make progress any more: all succeeded, failed or cancelled.</summary>
    public bool Finished => Stages.All(s => s.Status is StageStatus.Succeeded or StageStatus.Failed or StageStatus.Cancelled);

    /// <summary>Fraction of the work done, counting a running stage by its reported progress.</summary>
    public double Fraction => Total == 0 ? 1 : Stages.Sum(s => s.Status switch
    {
        StageStatus.Succeeded or StageStatus.Failed or StageStatus.Cancelled => 1.0,
        StageStatus.Running => Math.Clamp(s.Progress, 0, 1),
        _ => 0.0,
    }) / Total;
}
