using System.Globalization;
using Ablations.Core.Spec;
using Ablations.Reports.Aggregation;
using ScottPlot;

namespace Ablations.Reports.Figures;

/// <summary>The primary metric over the first two crossed axes, values printed in the cells.</summary>
internal static class HeatmapCharts
{
    public static IEnumerable<Figure> Build(AblationSummary summary, FigureStyle style)
    {
        var crossed = summary.Axes.Where(a => a.Values.Count >= 2).Take(2).ToArray();
        if (summary.PrimaryMetric is not { } metric || summary.Design != DesignKind.Full || crossed.Length < 2)
        {
            yield break;
        }

        var (rows, cols) = (crossed[0], crossed[1]);
        int nr = rows.Values.Count, nc = cols.Values.Count;

        // Row 0 of the intensities is drawn at the top: put the first row value there.
        var data = new double[nr, nc];
        for (int r = 0; r < nr; r++)
        {
            for (int c = 0; c < nc; c++)
            {
                var cells = summary.Cells.Where(x => x.Values[rows.Key] == rows.Values[r] && x.Values[cols.Key] == cols.Values[c]);
                var s = SeedAveraging.Of(cells, metric.Name, summary.ConfidenceLevel);
                data[r, c] = s.N > 0 ? s.Mean : double.NaN;
            }
        }

        var finite = data.Cast<double>().Where(double.IsFinite).ToArray();
        if (finite.Length == 0)
        {
            yield break;
        }

        var plot = style.NewPlot($"{metric.Name}: {rows.Label} × {cols.Label}", cols.Key, rows.Key);
        var heatmap = plot.Add.Heatmap(data);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        // Extent gives the centres of the corner cells (so cells are one unit wide around integer positions).
        heatmap.Extent = new CoordinateRect(0, nc - 1, 0, nr - 1);
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = MetricUnits.Label(metric.Name);
        bar.LabelStyle.FontName = style.FontName;

        double lo = finite.Min(), hi = finite.Max();
        int decimals = Tables.TableNumbers.DecimalsFor(finite);
        for (int r = 0; r < nr; r++)
        {
            for (int c = 0; c < nc; c++)
            {
                string text = double.IsFinite(data[r, c]) ? data[r, c].ToString("F" + decimals, CultureInfo.InvariantCulture) : "—";
                var label = plot.Add.Text(text, c, nr - 1 - r);
                label.LabelFontName = style.FontName;
                label.LabelFontSize = 14;
                label.LabelBold = true;
                label.LabelAlignment = Alignment.MiddleCenter;
                bool dark = !double.IsFinite(data[r, c]) || hi == lo || (data[r, c] - lo) / (hi - lo) < 0.6;
                label.LabelFontColor = dark ? Colors.White : Colors.Black;
            }
        }

        FigureStyle.CategoryTicks(plot, cols.Values);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, nr).Select(r => (double)(nr - 1 - r)).ToArray(), rows.Values.ToArray());
        plot.Axes.SetLimits(-0.5, nc - 0.5, -0.5, nr - 0.5);
        string others = summary.Axes.Count > 2 ? ", averaged over the other axes (per seed)" : "";
        yield return new Figure(
            $"heatmap_{FileName.Of(rows.Key)}__{FileName.Of(cols.Key)}",
            $"{metric.Name}: {rows.Label} × {cols.Label}",
            $"Mean {metric.Name} over seeds for each {rows.Key} × {cols.Key} pair{others}{(finite.Length < data.Length ? "; — marks a pair with no result" : "")}."
                + CellStatus.Caption(summary, summary.Cells, metric.Name),
            plot);
    }
}
