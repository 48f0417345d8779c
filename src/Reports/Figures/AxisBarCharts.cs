using Ablations.Reports.Aggregation;
using Ablations.Reports.Statistics;
using ScottPlot;

namespace Ablations.Reports.Figures;

/// <summary>One bar chart per swept axis: the primary metric per axis value with its confidence interval.</summary>
internal static class AxisBarCharts
{
    public static IEnumerable<Figure> Build(AblationSummary summary, FigureStyle style)
    {
        if (summary.PrimaryMetric is not { } metric)
        {
            yield break;
        }

        foreach (var axis in summary.Axes.Where(a => a.Values.Count >= 2))
        {
            var effects = summary.Marginals.Where(m => m.Metric == metric.Name && m.Axis == axis.Key).ToArray();
            // A value whose only cells have no result has neither statistic: it must not switch the whole chart to averages.
            bool held = summary.Baseline is not null && effects.Where(e => e.Averaged.N > 0).All(e => e.AtBaseline is not null);
            var stats = effects.Select(e => held ? e.AtBaseline ?? SampleStats.Empty : e.Averaged).ToArray();
            if (stats.All(s => s.N == 0))
            {
                continue;
            }

            int pct = (int)Math.Round(summary.ConfidenceLevel * 100);
            var plot = style.NewPlot($"{metric.Name} by {axis.Label}", axis.Key, MetricUnits.Label(metric.Name));
            var kind = MetricUnits.Of(metric.Name);
            var bars = new List<Bar>();
            var intervals = new List<Interval>();
            for (int i = 0; i < effects.Length; i++)
            {
                var s = stats[i];
                if (s.N == 0)
                {
                    // The tick label stays; say at the bar's place that there is nothing to draw (the caption says why).
                    var none = plot.Add.Text("no result", i, 0);
                    none.LabelFontName = style.FontName;
                    none.LabelFontSize = 12;
                    none.LabelFontColor = Colors.Gray;
                    none.LabelAlignment = Alignment.LowerCenter;
                    continue;
                }

                var color = FigureStyle.ColorAt(axis.IndexOf(effects[i].Value));
                bars.Add(new Bar
                {
                    Position = i,
                    Value = s.Mean,
                    FillColor = color,
                    LineColor = color.Darken(0.3),
                    Size = 0.7,
                });
                intervals.Add(Interval.Of(i, s, kind));
            }

            plot.Add.Bars(bars);
            Intervals.ErrorBars(plot, intervals, Colors.Black);
            FigureStyle.CategoryTicks(plot, effects.Select(e => e.Value).ToArray());
            plot.Axes.SetLimitsX(-0.6, effects.Length - 0.4); // every category's slot, also one without a bar
            ValueAxis.ForBars(plot, intervals, kind);
            string how = held ? "other axes held at the baseline" : "averaged over the other axes (per seed)";
            var drawnFrom = held
                ? summary.Cells.Where(c => summary.Axes.All(o => o.Key == axis.Key || c.Values[o.Key] == summary.Baseline!.Values[o.Key]))
                : summary.Cells;
            string caption = $"{metric.Name} for each value of {axis.Key}, {how}; error bars: {pct}% Student-t confidence interval over seeds."
                + Interval.ClipNote(intervals, kind) + CellStatus.Caption(summary, drawnFrom, metric.Name);
            yield return new Figure($"bars_{FileName.Of(axis.Key)}", $"{metric.Name} by {axis.Label}", caption, plot);
        }
    }
}
