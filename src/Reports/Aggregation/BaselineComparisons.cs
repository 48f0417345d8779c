using Ablations.Reports.Statistics;

namespace Ablations.Reports.Aggregation;

/// <summary>
/// Each cell against the baseline for one metric: difference of means, a paired t-test over shared seeds,
/// and Holm's adjustment across the compared cells that have a p-value (the family for that metric). A
/// comparison without one (too few shared seeds, no difference, zero variance) is not a test and does not
/// enlarge the family.
/// </summary>
internal static class BaselineComparisons
{
    /// <summary>Replaces the cells' metric entries with ones that carry their comparison.</summary>
    public static void Add(List<CellSummary> cells, int baseline, string metric)
    {
        if (!cells[baseline].Metrics.TryGetValue(metric, out var baseMetric))
        {
            return;
        }

        var baseBySeed = baseMetric.Values.ToDictionary(v => v.Seed, v => v.Value);
        var compared = new List<(int Cell, double Delta, PairedTestResult Test)>();
        foreach (var cell in cells)
        {
            if (cell.Index == baseline || !cell.Metrics.TryGetValue(metric, out var m))
            {
                continue;
            }

            var shared = m.Values.Where(v => baseBySeed.ContainsKey(v.Seed)).ToArray();
            var test = PairedTTest.Run(shared.Select(v => v.Value).ToArray(), shared.Select(v => baseBySeed[v.Seed]).ToArray());
            compared.Add((cell.Index, m.Stats.Mean - baseMetric.Stats.Mean, test));
        }

        var holm = HolmCorrection.Adjust(compared.Select(c => c.Test.P).ToArray());
        for (int i = 0; i < compared.Count; i++)
        {
            var (index, delta, test) = compared[i];
            var cell = cells[index];
            var updated = new Dictionary<string, CellMetric>(cell.Metrics)
            {
                [metric] = cell.Metrics[metric] with { VsBaseline = new BaselineComparison(delta, test, holm[i]) },
            };
            cells[index] = cell with { Metrics = updated };
        }
    }
}
