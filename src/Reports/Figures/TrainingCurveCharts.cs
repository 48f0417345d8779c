using Ablations.Core.Results;
using Ablations.Core.Spec;
using Ablations.Reports.Aggregation;
using Ablations.Reports.Statistics;

namespace Ablations.Reports.Figures;

/// <summary>Training curves per cell: the mean over seeds at each step with a CI band, one figure per curve name.</summary>
internal static class TrainingCurveCharts
{
    private static readonly string[] Usual = ["loss", "loss_clip", "loss_kd", "logit_scale", "lr"];

    public static IEnumerable<Figure> Build(AblationSummary summary, ExperimentResults results, FigureStyle style, ReportOptions options)
    {
        var runs = results.Runs.Where(AblationSummarizer.IsSucceeded).ToDictionary(r => r.RunId);
        var names = runs.Values.SelectMany(r => r.Curves.Keys).Distinct().ToArray();
        var chosen = Usual.Where(names.Contains)
            .Concat(names.Where(n => !Usual.Contains(n)).Order(StringComparer.Ordinal))
            .Take(options.MaxCurveFigures)
            .ToArray();
        var cells = Shown(summary, options.MaxCurveCells);
        var varying = summary.Axes.Where(a => cells.Select(c => c.Values[a.Key]).Distinct().Count() > 1).ToArray();
        int pct = (int)Math.Round(summary.ConfidenceLevel * 100);

        foreach (var name in chosen)
        {
            var plot = style.NewPlot($"Training curve: {name}", "step", MetricUnits.Label(name));
            var kind = MetricUnits.Of(name);
            var all = new List<Interval>();
            int drawn = 0;
            var labels = new List<string>();
            for (int i = 0; i < cells.Count; i++)
            {
                var cell = cells[i];
                var points = cell.RunIds
                    .Select(id => runs[id].Curves.GetValueOrDefault(name))
                    .Where(c => c is { Count: > 0 })
                    .SelectMany(c => c!)
                    .Where(p => double.IsFinite(p.Value))
                    .GroupBy(p => p.Step)
                    .OrderBy(g => g.Key)
                    .Select(g => Interval.Of(g.Key, SampleStats.Of(g.Select(p => p.Value).ToArray(), summary.ConfidenceLevel), kind))
                    .ToArray();
                if (points.Length == 0)
                {
                    continue;
                }

                // With exactly one varying axis among the shown cells, colour by its value (as in every other figure).
                var color = varying.Length == 1 ? FigureStyle.ColorAt(varying[0].IndexOf(cell.Values[varying[0].Key])) : FigureStyle.ColorAt(i);
                all.AddRange(points);
                if (points.Any(p => p.High > p.Low))
                {
                    Intervals.Band(plot, points, color, 0.15);
                }

                var line = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(), points.Select(p => p.Mean).ToArray());
                line.Color = color;
                line.LineWidth = cell.IsBaseline ? 2.5f : 1.8f;
                if (points.Length == 1)
                {
                    // A line through one point has no length: a run that logged one step would draw nothing.
                    line.MarkerShape = ScottPlot.MarkerShape.FilledCircle;
                    line.MarkerSize = 9;
                }

                line.LegendText = summary.Design == DesignKind.OneAtATime ? cell.Change
                    : varying.Length == 0 ? cell.Label : string.Join(", ", varying.Select(a => $"{a.Label} = {cell.Values[a.Key]}"));
                labels.Add(line.LegendText);
                drawn++;
            }

            if (drawn == 0)
            {
                continue;
            }

            int extra = FigureStyle.LegendBeside(plot, labels);
            ValueAxis.ForLines(plot, all, kind);
            double first = all.Min(p => p.X), last = all.Max(p => p.X);
            if (first == last)
            {
                // Every curve logged the same single step: autoscaling an empty span gives no usable x axis.
                double half = Math.Max(1, Math.Abs(first) * 0.05);
                plot.Axes.SetLimitsX(first - half, first + half);
            }

            int withResult = summary.Cells.Count(c => c.HasResult);
            string which = cells.Count < withResult
                ? $"{cells.Count} of {withResult} cells with a result (the baseline and the best by {summary.PrimaryMetric?.Name})"
                : withResult < summary.Cells.Count ? "every cell with a result" : "every cell";
            yield return new Figure(
                $"curve_{FileName.Of(name)}",
                $"Training curve: {name}",
                $"{name} per step for {which}: mean over seeds, shaded {pct}% Student-t confidence interval."
                    + Interval.ClipNote(all, kind) + CellStatus.Caption(summary, cells.Concat(summary.Cells.Where(c => !c.HasResult)), null),
                plot) { ExtraWidth = extra };
        }
    }

    /// <summary>The cells drawn: only those with a succeeded run have curves (the caption names the others).</summary>
    private static IReadOnlyList<CellSummary> Shown(AblationSummary summary, int max)
    {
        var candidates = summary.Cells.Where(c => c.HasResult).ToArray();
        if (candidates.Length <= max || summary.PrimaryMetric is not { } metric)
        {
            return candidates.Take(Math.Max(max, 0)).ToArray();
        }

        double Key(CellSummary c) => c.Metrics.TryGetValue(metric.Name, out var m)
            ? (metric.Goal == MetricGoal.Maximize ? -m.Stats.Mean : m.Stats.Mean)
            : double.PositiveInfinity;
        return candidates
            .OrderBy(c => c.IsBaseline ? 0 : 1)
            .ThenBy(Key)
            .ThenBy(c => c.Index)
            .Take(max)
            .OrderBy(c => c.Index)
            .ToArray();
    }
}
