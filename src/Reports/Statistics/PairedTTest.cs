namespace Ablations.Reports.Statistics;

/// <summary>A two-sided paired t-test of <c>treatment − control</c> over matched replicates (shared seeds).</summary>
public sealed record PairedTestResult(int Pairs, double MeanDifference, double? StdDifference, double? T, double? P);

internal static class PairedTTest
{
    /// <summary>
    /// Tests the mean of the paired differences against 0. With fewer than two pairs, or differences that
    /// do not vary (the t statistic is undefined), T and P are null: such a comparison is reported, not tested.
    /// </summary>
    public static PairedTestResult Run(IReadOnlyList<double> treatment, IReadOnlyList<double> control)
    {
        if (treatment.Count != control.Count)
        {
            throw new ArgumentException("paired samples must have the same length");
        }

        var diffs = new double[treatment.Count];
        for (int i = 0; i < diffs.Length; i++)
        {
            diffs[i] = treatment[i] - control[i];
        }

        SampleStats d = SampleStats.Of(diffs);
        if (d.N < 2 || d.Std is not { } sd || sd == 0)
        {
            return new PairedTestResult(d.N, d.N == 0 ? double.NaN : d.Mean, d.Std, null, null);
        }

        double t = d.Mean / (sd / Math.Sqrt(d.N));
        return new PairedTestResult(d.N, d.Mean, sd, t, TDistribution.TwoSidedP(t, d.N - 1));
    }
}
