using Ablations.Reports.Aggregation;
using ScottPlot;

namespace Ablations.Reports.Figures;

/// <summary>
/// Caption quality and diversity (caption_precision, caption_recall, caption_distinct1/2, …) per captioner:
/// grouped bars, one group per measure, one colour per captioner, CI error bars.
/// </summary>
internal static class CaptionQualityCharts
{
    public const string Prefix = "caption_";

    public static IEnumerable<Figure> Build(AblationSummary summary, FigureStyle style)
    {
        var measures = summary.AvailableMetrics.Where(m => m.StartsWith(Prefix, StringComparison.Ordinal)).ToArray();
        if (measures.Length == 0)
        {
            yield break;
        }

        var captioner = summary.Axes.FirstOrDefault(a => a.Key.Split('.').Any(s => s.Contains("captioner", StringComparison.OrdinalIgnoreCase)));
        var groups = captioner is null
            ? [(Label: "all cells", Color: FigureStyle.ColorAt(0), Cells: (IReadOnlyList<CellSummary>)summary.Cells)]
            : captioner.Values.Select(v => (Label: v, Color: FigureStyle.ColorAt(captioner.IndexOf(v)),
                Cells: (IReadOnlyList<CellSummary>)summary.Cells.Where(c => c.Values[captioner.Key] == v).ToArray())).ToArray();

        var plot = style.NewPlot(
            captioner is null ? "Caption quality and diversity" : $"Caption quality and diversity by {captioner.Label}",
            "measure", "score (fraction, 0–1)");
        var bars = new List<Bar>();
        var intervals = new List<Interval>();
        double width = 0.8 / groups.Length;
        for (int m = 0; m < measures.Length; m++)
        {
            for (int g = 0; g < groups.Length; g++)
            {
                var s = SeedAveraging.Of(groups[g].Cells, measures[m], summary.ConfidenceLevel);
                if (s.N == 0)
                {
                    continue;
                }

                double position = m - 0.4 + width * (g + 0.5);
                bars.Add(new Bar
                {
                    Position = position,
                    Value = s.Mean,
                    FillColor = groups[g].Color,
                    LineColor = groups[g].Color.Darken(0.3),
                    Size = width * 0.9,
                });
                intervals.Add(Interval.Of(position, s, MetricUnits.Of(measures[m])));
            }
        }

        if (bars.Count == 0)
        {
            yield break;
        }

        plot.Add.Bars(bars);
        Intervals.ErrorBars(plot, intervals, Colors.Black);
        FigureStyle.CategoryTicks(plot, measures.Select(m => m[Prefix.Length..]).ToArray());
        if (captioner is not null)
        {
            foreach (var g in groups)
            {
                FigureStyle.LegendItem(plot, $"{captioner.Label} = {g.Label}", g.Color);
            }

            plot.ShowLegend(Alignment.UpperRight);
        }

        // The measures are fractions (0–1) read against the whole scale; each interval is clipped to its own measure's range.
        plot.Axes.SetLimitsY(0, Math.Max(1.0, intervals.Max(i => i.High) * 1.1));
        int pct = (int)Math.Round(summary.ConfidenceLevel * 100);
        yield return new Figure(
            "captions",
            plot.Axes.Title.Label.Text,
            $"Synthetic-caption quality (precision/recall against ground truth) and diversity (distinct-n) per {(captioner?.Key ?? "experiment")}; error bars: {pct}% CI over seeds."
                + CellStatus.Caption(summary, summary.Cells, null),
            plot);
    }
}
