using Ablations.Reports.Statistics;

namespace Ablations.Reports.Aggregation;

/// <summary>
/// Statistics of a group of cells with seeds kept as the replicates: per seed the mean over the cells that
/// ran it, then mean, std and CI over those per-seed means. Used for marginal effects, lines and heatmaps.
/// </summary>
internal static class SeedAveraging
{
    public static SampleStats Of(IEnumerable<CellSummary> cells, string metric, double level)
    {
        var bySeed = new SortedDictionary<long, (double Sum, int Count)>();
        foreach (var cell in cells)
        {
            if (!cell.Metrics.TryGetValue(metric, out var m))
            {
                continue;
            }

            foreach (var sv in m.Values)
            {
                bySeed.TryGetValue(sv.Seed, out var acc);
                bySeed[sv.Seed] = (acc.Sum + sv.Value, acc.Count + 1);
            }
        }

        return SampleStats.Of(bySeed.Values.Select(a => a.Sum / a.Count).ToArray(), level);
    }
}
