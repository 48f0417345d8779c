using Ablations.Core.Results;
using Ablations.Core.Spec;

namespace Ablations.Reports.Aggregation;

/// <summary>Which metrics a report summarises, and their goals.</summary>
internal static class MetricSelection
{
    private const string DefaultMetric = "zeroshot_avg";

    /// <summary>The requested metric names (unchecked), in order; empty only when nothing can be named.</summary>
    public static IReadOnlyList<string> Requested(ExperimentResults results, ReportOptions options, IReadOnlyList<string> available)
    {
        if (options.Metrics is { Count: > 0 } chosen)
        {
            return chosen.Distinct(StringComparer.Ordinal).ToArray();
        }

        if (results.Metric is { } spec)
        {
            return [spec.Name];
        }

        if (available.Contains(DefaultMetric))
        {
            return [DefaultMetric];
        }

        return available.Count > 0 ? [available[0]] : [];
    }

    /// <summary>Problems with the requested metrics, one message each; empty when all are recorded.</summary>
    public static IReadOnlyList<string> Check(ExperimentResults results, ReportOptions options, IReadOnlyList<string> available, bool anyFinished)
    {
        if (!anyFinished)
        {
            return [];
        }

        var list = available.Count == 0 ? "(none)" : string.Join(", ", available);
        return Requested(results, options, available)
            .Where(name => !available.Contains(name))
            .Select(name => $"metric '{name}' is not recorded by any succeeded run of experiment '{results.Experiment}'; available metrics: {list}")
            .ToArray();
    }

    public static MetricGoal GoalOf(string name, ExperimentResults results, ReportOptions options)
    {
        if (options.Goals is not null && options.Goals.TryGetValue(name, out var goal))
        {
            return goal;
        }

        if (results.Metric is { } spec && spec.Name == name)
        {
            return spec.Goal;
        }

        string lower = name.ToLowerInvariant();
        bool smallerIsBetter = lower.Contains("loss") || lower.Contains("error") || lower.Contains("seconds") || lower.EndsWith("_time", StringComparison.Ordinal);
        return smallerIsBetter ? MetricGoal.Minimize : MetricGoal.Maximize;
    }
}
