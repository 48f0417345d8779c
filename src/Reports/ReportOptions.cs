using Ablations.Core.Spec;

namespace Ablations.Reports;

/// <summary>What a report shows and how. The defaults give the paper-style report of the spec's metric.</summary>
public sealed record ReportOptions
{
    public static ReportOptions Default { get; } = new();

    /// <summary>
    /// Metrics to summarise (table columns); the first drives figures and "best". Null: the spec's metric,
    /// else zeroshot_avg, else the first recorded metric.
    /// </summary>
    public IReadOnlyList<string>? Metrics { get; init; }

    /// <summary>Goal per metric name; unlisted metrics use the spec's goal for its metric, else a guess from the name (loss/error/time: minimise).</summary>
    public IReadOnlyDictionary<string, MetricGoal>? Goals { get; init; }

    /// <summary>Two-sided level of the confidence intervals (0.95 = 95%).</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    public bool WritePng { get; init; } = true;

    public bool WriteSvg { get; init; } = true;

    /// <summary>Font for every figure (explicit so output is stable across machines).</summary>
    public string FontName { get; init; } = "DejaVu Sans";

    /// <summary>Figure size in pixels.</summary>
    public int FigureWidth { get; init; } = 800;

    public int FigureHeight { get; init; } = 480;

    /// <summary>Training-curve figures drawn at most (the usual curves first: loss, loss_clip, loss_kd, logit_scale, lr).</summary>
    public int MaxCurveFigures { get; init; } = 6;

    /// <summary>Cells drawn at most in a training-curve figure (the baseline, then the best by the primary metric).</summary>
    public int MaxCurveCells { get; init; } = 8;
}
