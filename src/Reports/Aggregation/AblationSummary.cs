using Ablations.Core.Spec;
using Ablations.Reports.Statistics;

namespace Ablations.Reports.Aggregation;

/// <summary>
/// The statistical digest of one experiment: what every table, figure and summary.json is drawn from.
/// Only succeeded runs count towards statistics; seeds are replicates of a cell. Every cell with a recorded
/// run is present, so one whose runs failed can be named with its reason. Immutable.
/// </summary>
public sealed record AblationSummary(
    string Experiment,
    string? Description,
    DesignKind Design,
    IReadOnlyList<AxisInfo> Axes,
    /// <summary>The summarised metrics; the first is the primary one (figures, "best").</summary>
    IReadOnlyList<MetricInfo> Metrics,
    IReadOnlyList<CellSummary> Cells,
    /// <summary>Index into <see cref="Cells"/> of the baseline cell, or null when there is none.</summary>
    int? BaselineCell,
    RunCounts Runs,
    /// <summary>Every final metric name some succeeded run has, sorted.</summary>
    IReadOnlyList<string> AvailableMetrics,
    IReadOnlyList<MarginalEffect> Marginals,
    double ConfidenceLevel,
    /// <summary>Which submitted spec of the experiment this is (revision, spec SHA-256, profile); null for results not read from a store.</summary>
    Core.Results.RevisionInfo? Revision = null,
    /// <summary>Per axis the best value against the baseline, and the spec's claims tested (primary metric); null without results.</summary>
    Findings? Findings = null)
{
    public bool HasFinishedRuns => Runs.Succeeded > 0;

    /// <summary>Null only when there are no finished runs and no metric was named.</summary>
    public MetricInfo? PrimaryMetric => Metrics.Count > 0 ? Metrics[0] : null;

    public CellSummary? Baseline => BaselineCell is { } i ? Cells[i] : null;
}

/// <summary>One swept parameter. Values are display strings in axis order (numeric axes ascending).</summary>
public sealed record AxisInfo(string Key, string Label, IReadOnlyList<string> Values, bool IsNumeric)
{
    /// <summary>The position of a value on this axis: the colour index used for it in every figure.</summary>
    public int IndexOf(string value)
    {
        for (int i = 0; i < Values.Count; i++)
        {
            if (Values[i] == value)
            {
                return i;
            }
        }

        return -1;
    }
}

public sealed record MetricInfo(string Name, MetricGoal Goal);

public sealed record RunCounts(int Total, int Succeeded, IReadOnlyDictionary<string, int> ByStatus);

/// <summary>
/// One cell = one assignment of the axes. <see cref="Change"/> is the one_at_a_time label ("baseline",
/// "kd.scale = 70"); <see cref="Label"/> names every axis value. A cell with no succeeded run has no seeds and
/// no metrics; <see cref="Runs"/> and <see cref="Failures"/> say what happened.
/// </summary>
public sealed record CellSummary(
    int Index,
    string Label,
    string Change,
    /// <summary>Axis key → display value.</summary>
    IReadOnlyDictionary<string, string> Values,
    /// <summary>Axis key → numeric value, for numeric axes.</summary>
    IReadOnlyDictionary<string, double> NumericValues,
    bool IsBaseline,
    IReadOnlyList<long> Seeds,
    /// <summary>The succeeded runs that make up this cell.</summary>
    IReadOnlyList<string> RunIds,
    /// <summary>Metric name → statistics over seeds (absent when no succeeded run of the cell has the metric).</summary>
    IReadOnlyDictionary<string, CellMetric> Metrics,
    /// <summary>Every recorded run of the cell by status (<see cref="Seeds"/> and <see cref="RunIds"/> hold the succeeded ones).</summary>
    RunCounts Runs,
    /// <summary>Why the cell's other runs have no result (<see cref="Core.Results.RunResult.Failure"/>), distinct, most frequent first.</summary>
    IReadOnlyList<string> Failures)
{
    public bool HasResult => Runs.Succeeded > 0;
}

public sealed record SeedValue(long Seed, double Value);

public sealed record CellMetric(SampleStats Stats, IReadOnlyList<SeedValue> Values, BaselineComparison? VsBaseline);

/// <summary>
/// This cell against the baseline: difference of means, and a paired t-test over the seeds both share with
/// a Holm-adjusted p-value (family = every comparison of this metric that has a p-value; null for the others,
/// see <see cref="PairedTestResult.Outcome"/>).
/// </summary>
public sealed record BaselineComparison(double Delta, PairedTestResult Paired, double? PHolm);

/// <summary>
/// The effect of one axis value: averaged over the other axes (per seed, then over seeds), and with the
/// other axes held at the baseline when such a cell exists.
/// </summary>
public sealed record MarginalEffect(string Metric, string Axis, string Value, SampleStats Averaged, SampleStats? AtBaseline);
