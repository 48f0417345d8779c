namespace Ablations.Reports.Statistics;

/// <summary>Whether a paired comparison has a p-value, and if not, why.</summary>
public enum PairedOutcome
{
    /// <summary>The t-test is defined: <see cref="PairedTestResult.T"/> and <see cref="PairedTestResult.P"/> are set.</summary>
    Tested,

    /// <summary>Fewer than two shared seeds: nothing to test.</summary>
    TooFewPairs,

    /// <summary>Every difference is 0: equal to the control on every shared seed.</summary>
    NoDifference,

    /// <summary>Every difference is the same non-zero value (zero variance): the t statistic is undefined.</summary>
    ZeroVariance,
}

/// <summary>A two-sided paired t-test of <c>treatment − control</c> over matched replicates (shared seeds).</summary>
public sealed record PairedTestResult(int Pairs, double MeanDifference, double? StdDifference, double? T, double? P, PairedOutcome Outcome);

internal static class PairedTTest
{
    /// <summary>
    /// Differences spread by less than this fraction of the largest compared value count as identical: equal
    /// decimal differences (0.52 − 0.50 and 0.53 − 0.51) differ in the last bits of their doubles, and a t-test
    /// on that rounding noise gives t ≈ 10¹⁵ and p = 0, a "significant" result that is an artefact.
    /// </summary>
    internal const double RelativeTolerance = 1e-9;

    /// <summary>
    /// Tests the mean of the paired differences against 0. With fewer than two pairs, or differences that do
    /// not vary (the t statistic is undefined), T and P are null and <see cref="PairedTestResult.Outcome"/> says
    /// why: such a comparison is reported, not tested, and a multiple-testing correction must skip it.
    /// </summary>
    public static PairedTestResult Run(IReadOnlyList<double> treatment, IReadOnlyList<double> control)
    {
        if (treatment.Count != control.Count)
        {
            throw new ArgumentException("paired samples must have the same length");
        }

        var diffs = new double[treatment.Count];
        double scale = 0;
        for (int i = 0; i < diffs.Length; i++)
        {
            diffs[i] = treatment[i] - control[i];
            scale = Math.Max(scale, Math.Max(Math.Abs(treatment[i]), Math.Abs(control[i])));
        }

        SampleStats d = SampleStats.Of(diffs);
        if (d.N < 2 || d.Std is not { } sd)
        {
            return new PairedTestResult(d.N, d.N == 0 ? double.NaN : d.Mean, d.Std, null, null, PairedOutcome.TooFewPairs);
        }

        double noise = RelativeTolerance * scale;
        if (sd <= noise)
        {
            var outcome = Math.Abs(d.Mean) <= noise ? PairedOutcome.NoDifference : PairedOutcome.ZeroVariance;
            return new PairedTestResult(d.N, d.Mean, sd, null, null, outcome);
        }

        double t = d.Mean / (sd / Math.Sqrt(d.N));
        return new PairedTestResult(d.N, d.Mean, sd, t, TDistribution.TwoSidedP(t, d.N - 1), PairedOutcome.Tested);
    }
}
