using Ablations.Core.Stages;
using System.Globalization;
using Ablations.Core.Results;
using ScottPlot;

namespace Ablations.Reports.Figures;

/// <summary>
/// Where the compute went: seconds computed per stage type, beside the seconds that stage reuse saved
/// (a stage shared by k runs saves (k−1)× its time; one reused from an earlier experiment saves it all).
/// </summary>
internal static class CostCharts
{
    public static IEnumerable<Figure> Build(ExperimentResults results, FigureStyle style)
    {
        var byType = results.Stages
            .GroupBy(s => s.Type)
            .OrderBy(g => StageTypes.OrderOf(g.Key))
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Type: g.Key, Computed: g.Where(s => !s.ReusedFromEarlier).Sum(s => s.Seconds), Saved: g.Sum(Saved)))
            .ToArray();
        if (byType.Length == 0 || byType.All(t => t.Computed == 0 && t.Saved == 0))
        {
            yield break;
        }

        var computedColor = FigureStyle.ColorAt(0);
        var savedColor = FigureStyle.ColorAt(2);
        var plot = style.NewPlot("Compute per stage type and time saved by reuse", "stage type", "time (s)");
        var bars = new List<Bar>();
        for (int i = 0; i < byType.Length; i++)
        {
            bars.Add(new Bar { Position = i - 0.2, Value = byType[i].Computed, FillColor = computedColor, LineColor = computedColor.Darken(0.3), Size = 0.38 });
            bars.Add(new Bar { Position = i + 0.2, Value = byType[i].Saved, FillColor = savedColor, LineColor = savedColor.Darken(0.3), Size = 0.38 });
        }

        plot.Add.Bars(bars);
        FigureStyle.CategoryTicks(plot, byType.Select(t => t.Type).ToArray());
        FigureStyle.LegendItem(plot, "computed in this experiment", computedColor);
        FigureStyle.LegendItem(plot, "saved by stage reuse", savedColor);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.SetLimitsY(0, bars.Max(b => b.Value) * 1.3 + 1e-9); // headroom for the legend

        double computed = byType.Sum(t => t.Computed), saved = byType.Sum(t => t.Saved);
        double share = computed + saved > 0 ? saved / (computed + saved) * 100 : 0;
        string S(double v) => v.ToString("F1", CultureInfo.InvariantCulture);
        yield return new Figure(
            "cost",
            "Compute per stage type and time saved by reuse",
            $"Computed {S(computed)} s in {results.Stages.Count} unique stages; reuse saved {S(saved)} s ({S(share)}% of the {S(computed + saved)} s that running every run separately would take).",
            plot);
    }

    internal static double Saved(StageCost stage) =>
        stage.Seconds * Math.Max(0, stage.UsedByRuns - 1) + (stage.ReusedFromEarlier ? stage.Seconds : 0);
}
