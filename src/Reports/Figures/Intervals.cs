using ScottPlot;

namespace Ablations.Reports.Figures;

/// <summary>Draws <see cref="Interval"/>s: error bars for bars and single points, a shaded band for a line.</summary>
internal static class Intervals
{
    /// <summary>Error bars (asymmetric once clipped, which ScottPlot's bar errors cannot be) for bars or points.</summary>
    public static void ErrorBars(Plot plot, IReadOnlyList<Interval> intervals, Color color)
    {
        var bars = new ScottPlot.Plottables.ErrorBar(
            intervals.Select(i => i.X).ToArray(), intervals.Select(i => i.Mean).ToArray(), null, null,
            intervals.Select(i => i.High - i.Mean).ToArray(), intervals.Select(i => i.Mean - i.Low).ToArray())
        {
            Color = color,
            LineWidth = 1.5f,
            CapSize = 5,
        };
        plot.Add.Plottable(bars);
    }

    /// <summary>
    /// A shaded band between the interval ends; a band over one x has no area, so a single point gets an error
    /// bar instead (a run that logged one step still shows its spread).
    /// </summary>
    public static void Band(Plot plot, IReadOnlyList<Interval> intervals, Color color, double alpha)
    {
        if (intervals.Count == 1)
        {
            ErrorBars(plot, intervals, color);
            return;
        }

        var band = plot.Add.FillY(intervals.Select(i => i.X).ToArray(), intervals.Select(i => i.Low).ToArray(), intervals.Select(i => i.High).ToArray());
        band.FillStyle.Color = color.WithAlpha(alpha);
        band.LineStyle.Width = 0;
    }
}
