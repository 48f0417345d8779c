using Ablations.Reports.Statistics;

namespace Ablations.Reports.Figures;

/// <summary>A mean with its confidence interval as drawn: clipped to the metric's range, then as error bars or a band.</summary>
internal readonly record struct Interval(double X, double Mean, double Low, double High, bool Clipped = false)
{
    /// <summary>
    /// The interval of <paramref name="stats"/> cut at <paramref name="kind"/>'s range; (mean, mean) when there is
    /// none (one seed). A mean outside the range means the name misled <see cref="MetricUnits"/>: then nothing
    /// is cut, since hiding data would be worse than a wide interval.
    /// </summary>
    public static Interval Of(double x, SampleStats stats, MetricKind kind)
    {
        double low = stats.CiLow ?? stats.Mean, high = stats.CiHigh ?? stats.Mean;
        if (kind.Clamp(stats.Mean) != stats.Mean)
        {
            return new(x, stats.Mean, low, high);
        }

        double cutLow = kind.Clamp(low), cutHigh = kind.Clamp(high);
        return new(x, stats.Mean, cutLow, cutHigh, cutLow != low || cutHigh != high);
    }

    /// <summary>A caption sentence saying that some intervals were cut at the range, or "" when none was.</summary>
    public static string ClipNote(IEnumerable<Interval> intervals, MetricKind kind) =>
        intervals.Any(i => i.Clipped) ? $" Intervals reaching past the metric's range ({kind.RangeText}) are cut at it." : "";
}
