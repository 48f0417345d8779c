using Ablations.Core.Spec;
using Ablations.Reports.Aggregation;
using ScottPlot;

namespace Ablations.Reports.Figures;

/// <summary>
/// The primary metric against each numeric axis (e.g. KD logit scale) as a line with a CI band, one line
/// per value of a second axis (e.g. teacher set) when the grid crosses them.
/// </summary>
internal static class MetricLineCharts
{
    public static IEnumerable<Figure> Build(AblationSummary summary, FigureStyle style)
    {
        if (summary.PrimaryMetric is not { } metric)
        {
            yield break;
        }

        bool full = summary.Design == DesignKind.Full || summary.Baseline is null;
        foreach (var x in summary.Axes.Where(a => a.IsNumeric && a.Values.Count >= 2))
        {
            var group = full ? summary.Axes.FirstOrDefault(a => a.Key != x.Key && a.Values.Count >= 2) : null;
            var lines = group is null ? [(Label: (string?)null, Color: FigureStyle.ColorAt(0), Cells: Pick(summary, x, null, null))]
                : group.Values.Select(g => (Label: (string?)$"{group.Label} = {g}", Color: FigureStyle.ColorAt(group.IndexOf(g)), Cells: Pick(summary, x, group, g))).ToArray();

            int pct = (int)Math.Round(summary.ConfidenceLevel * 100);
            var plot = style.NewPlot($"{metric.Name} vs {x.Label}", x.Key, MetricUnits.Label(metric.Name));
            var kind = MetricUnits.Of(metric.Name);
            var all = new List<Interval>();
            foreach (var line in lines)
            {
                var points = x.Values
                    .Select(v => (X: double.Parse(v, System.Globalization.CultureInfo.InvariantCulture), S: SeedAveraging.Of(line.Cells.Where(c => c.Values[x.Key] == v), metric.Name, summary.ConfidenceLevel)))
                    .Where(p => p.S.N > 0)
                    .Select(p => Interval.Of(p.X, p.S, kind))
                    .ToArray();
                if (points.Length == 0)
                {
                    continue;
                }

                all.AddRange(points);
                Intervals.Band(plot, points, line.Color, 0.18);
                var scatter = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Mean).ToArray());
                scatter.Color = line.Color;
                scatter.LineWidth = 2;
                scatter.MarkerSize = 7;
                if (line.Label is not null)
                {
                    scatter.LegendText = line.Label;
                }
            }

            if (all.Count == 0)
            {
                continue;
            }

            int extra = group is null ? 0 : FigureStyle.LegendBeside(plot, lines.Select(l => l.Label ?? ""));

            ValueAxis.ForLines(plot, all, kind);
            string how = group is not null ? $"one line per {group.Key}, averaged over any other axes"
                : full ? "averaged over the other axes" : "other axes at the baseline";
            yield return new Figure(
                $"line_{FileName.Of(x.Key)}",
                $"{metric.Name} vs {x.Label}",
                $"{metric.Name} against {x.Key} ({how}); shaded: {pct}% Student-t confidence interval over seeds."
                    + Interval.ClipNote(all, kind) + CellStatus.Caption(summary, lines.SelectMany(l => l.Cells), metric.Name),
                plot) { ExtraWidth = extra };
        }
    }

    private static IReadOnlyList<CellSummary> Pick(AblationSummary summary, AxisInfo x, AxisInfo? group, string? value)
    {
        if (group is not null)
        {
            return summary.Cells.Where(c => c.Values[group.Key] == value).ToArray();
        }

        if (summary.Design == DesignKind.OneAtATime && summary.Baseline is { } b)
        {
            return summary.Cells.Where(c => summary.Axes.All(a => a.Key == x.Key || c.Values[a.Key] == b.Values[a.Key])).ToArray();
        }

        return summary.Cells;
    }
}
