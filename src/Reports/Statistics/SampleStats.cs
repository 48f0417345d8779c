namespace Ablations.Reports.Statistics;

/// <summary>
/// Descriptive statistics of one sample (seeds as replicates). <see cref="Std"/> is the sample standard
/// deviation (n−1) and the interval is a two-sided Student-t interval; both are null when n &lt; 2.
/// </summary>
public sealed record SampleStats(int N, double Mean, double? Std, double? CiLow, double? CiHigh)
{
    public static SampleStats Empty { get; } = new(0, double.NaN, null, null, null);

    /// <summary>Half the width of the confidence interval, or 0 when there is none (in summary.json; figures draw <c>Figures.Interval</c>, cut at the metric's range).</summary>
    public double CiHalfWidth => CiHigh is { } hi ? hi - Mean : 0;

    public static SampleStats Of(IReadOnlyList<double> values, double level = 0.95)
    {
        int n = values.Count;
        if (n == 0)
        {
            return Empty;
        }

        double mean = 0;
        foreach (double v in values)
        {
            mean += v;
        }

        mean /= n;
        if (n == 1)
        {
            return new SampleStats(1, mean, null, null, null);
        }

        double ss = 0;
        foreach (double v in values)
        {
            ss += (v - mean) * (v - mean);
        }

        double std = Math.Sqrt(ss / (n - 1));
        double half = TDistribution.Critical(n - 1, level) * std / Math.Sqrt(n);
        return new SampleStats(n, mean, std, mean - half, mean + half);
    }
}
