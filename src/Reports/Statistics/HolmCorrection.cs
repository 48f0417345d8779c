namespace Ablations.Reports.Statistics;

/// <summary>Holm's step-down adjustment of p-values for a family of comparisons (controls the family-wise error).</summary>
internal static class HolmCorrection
{
    /// <summary>
    /// Adjusted p-values in the input order. Null entries (untested comparisons) stay null and do not count
    /// towards the family size. p_adj(i) = max over j ≤ i of min(1, (m − j + 1)·p(j)) in ascending order.
    /// </summary>
    public static double?[] Adjust(IReadOnlyList<double?> pValues)
    {
        var tested = Enumerable.Range(0, pValues.Count)
            .Where(i => pValues[i] is not null)
            .OrderBy(i => pValues[i]!.Value)
            .ThenBy(i => i)
            .ToArray();
        var adjusted = new double?[pValues.Count];
        int m = tested.Length;
        double running = 0;
        for (int rank = 0; rank < m; rank++)
        {
            int i = tested[rank];
            double value = Math.Min(1, (m - rank) * pValues[i]!.Value);
            running = Math.Max(running, value);
            adjusted[i] = running;
        }

        return adjusted;
    }
}
