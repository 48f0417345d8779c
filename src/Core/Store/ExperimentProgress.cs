using Ablations.Core.Stages;
using Ablations.Core.Store.Entities;

namespace Ablations.Core.Store;

/// <summary>A snapshot of an experiment's stages for progress displays; pure, computed from stage rows.</summary>
public sealed record ExperimentProgress(IReadOnlyList<StageRow> Stages)
{
    private readonly Lazy<IReadOnlyDictionary<string, double>> _weights = new(() => Weigh(Stages));

    public int Count(StageStatus status) => Stages.Count(s => s.Status == status);

    public int Total => Stages.Count;

    /// <summary>True when no stage can make progress any more: all succeeded, failed or cancelled.</summary>
    public bool Finished => Stages.All(s => s.Status is StageStatus.Succeeded or StageStatus.Failed or StageStatus.Cancelled);

    /// <summary>
    /// Fraction of the work done, each stage weighted by its expected duration (the mean of its type's finished
    /// stages in this snapshot, else its type's expected duration in StageTypes) and a running stage counted by its reported progress.
    /// </summary>
    public double Fraction
    {
        get
        {
            if (Total == 0) return 1;
            double done = 0, all = 0;
            foreach (var s in Stages)
            {
                var w = _weights.Value[s.Type];
                all += w;
                done += w * s.Status switch
                {
                    StageStatus.Succeeded or StageStatus.Failed or StageStatus.Cancelled => 1.0,
                    StageStatus.Running => Math.Clamp(s.Progress, 0, 1),
                    _ => 0.0,
                };
            }
            return done / all;
        }
    }

    /// <summary>Time left at the pace since <paramref name="startFraction"/> was done <paramref name="elapsed"/> ago; null until there is a pace.</summary>
    public TimeSpan? Eta(TimeSpan elapsed, double startFraction = 0)
    {
        var f = Fraction;
        var gained = f - startFraction;
        if (f >= 1 || gained < 0.01 || elapsed <= TimeSpan.Zero) return null;
        return TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - f) / gained);
    }

    private static IReadOnlyDictionary<string, double> Weigh(IEnumerable<StageRow> stages)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var group in stages.GroupBy(s => s.Type))
        {
            var measured = group.Where(s => s.Status == StageStatus.Succeeded && s.DurationSeconds > 0).Select(s => s.DurationSeconds!.Value).ToList();
            weights[group.Key] = measured.Count > 0 ? Math.Max(0.1, measured.Average()) : StageTypes.Find(group.Key)?.ExpectedSeconds ?? 1;
        }
        return weights;
    }
}
