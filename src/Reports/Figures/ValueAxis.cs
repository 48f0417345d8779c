using ScottPlot;

namespace Ablations.Reports.Figures;

/// <summary>
/// Limits of a figure's value (y) axis: they hold every drawn interval, stay inside the metric's range (no
/// accuracy axis below 0 or above 1, no loss axis below 0), and for bars include the bars' base.
/// </summary>
internal static class ValueAxis
{
    /// <summary>
    /// Bars grow from 0, so the axis always holds 0: a bar's length is then its value, and no bar starts below
    /// the axis (an axis from 0.84 makes 0.86 look twice 0.85). Small differences between cells are read off
    /// the error bars, the table and the line and heatmap figures, which zoom in.
    /// </summary>
    public static void ForBars(Plot plot, IReadOnlyList<Interval> intervals, MetricKind kind)
    {
        double lo = Math.Min(0, intervals.Min(i => i.Low));
        double hi = Math.Max(0, intervals.Max(i => i.High));
        double pad = hi > lo ? (hi - lo) * 0.08 : 1;
        Set(plot, lo < 0 ? lo - pad : 0, hi > 0 || lo == 0 ? hi + pad : 0, lo, hi, kind);
    }

    /// <summary>
    /// Lines and curves zoom in on the range their intervals span (differences between ablation cells are
    /// small next to the values) with a margin, clipped to the metric's range. A metric of unknown range that
    /// is never negative keeps a non-negative axis.
    /// </summary>
    public static void ForLines(Plot plot, IReadOnlyList<Interval> intervals, MetricKind kind)
    {
        double lo = intervals.Min(i => i.Low);
        double hi = intervals.Max(i => i.High);
        double pad = hi > lo ? (hi - lo) * 0.25 : hi != 0 ? Math.Abs(hi) * 0.05 : 1;
        double bottom = lo >= 0 && kind.Min is null ? Math.Max(0, lo - pad) : lo - pad;
        Set(plot, bottom, hi + pad, lo, hi, kind);
    }

    /// <summary>Sets [bottom, top] clipped to the range, but never so far that data at [lo, hi] falls outside.</summary>
    private static void Set(Plot plot, double bottom, double top, double lo, double hi, MetricKind kind)
    {
        bottom = Math.Min(kind.Clamp(bottom), lo);
        top = Math.Max(kind.Clamp(top), hi);
        if (top <= bottom)
        {
            // Everything sits on one bound (every accuracy 1.0): open the axis towards the inside of the range.
            double width = Math.Max(Math.Abs(top) * 0.05, 1e-6);
            (bottom, top) = kind.Max is { } max && top >= max ? (top - width, top) : (bottom, bottom + width);
        }

        plot.Axes.SetLimitsY(bottom, top);
    }
}
