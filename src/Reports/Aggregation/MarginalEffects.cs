using Ablations.Reports.Statistics;

namespace Ablations.Reports.Aggregation;

/// <summary>The effect of each axis value: averaged over the other axes, and with them held at the baseline.</summary>
internal static class MarginalEffects
{
    public static MarginalEffect[] Of(
        IReadOnlyList<MetricInfo> metrics, IReadOnlyList<AxisInfo> axes, IReadOnlyList<CellSummary> cells, int? baseline, double level)
    {
        var list = new List<MarginalEffect>();
        foreach (var metric in metrics)
        {
            foreach (var axis in axes)
            {
                foreach (var value in axis.Values)
                {
                    var matching = cells.Where(c => c.Values[axis.Key] == value).ToArray();
                    SampleStats? atBaseline = null;
                    if (baseline is { } b)
                    {
                        var baseCell = cells[b];
                        var held = matching.FirstOrDefault(c => axes.All(o => o.Key == axis.Key || c.Values[o.Key] == baseCell.Values[o.Key]));
                        if (held is not null && held.Metrics.TryGetValue(metric.Name, out var hm))
                        {
                            atBaseline = hm.Stats;
                        }
                    }

                    list.Add(new MarginalEffect(metric.Name, axis.Key, value, SeedAveraging.Of(matching, metric.Name, level), atBaseline));
                }
            }
        }

        return list.ToArray();
    }
}
