using ScottPlot;

namespace Ablations.Reports.Figures;

/// <summary>
/// Looks shared by every figure: an explicit font (the default resolves differently per machine) and one
/// palette, indexed by an axis value's position on its axis, so a value has the same colour everywhere.
/// </summary>
internal sealed class FigureStyle(ReportOptions options)
{
    private static readonly Color[] Palette = new ScottPlot.Palettes.Category10().Colors;

    public string FontName { get; } = options.FontName;

    public int Width { get; } = options.FigureWidth;

    public int Height { get; } = options.FigureHeight;

    public static Color ColorAt(int index) => Palette[((index % Palette.Length) + Palette.Length) % Palette.Length];

    public Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.Title(title, size: 16);
        plot.XLabel(xLabel, size: 13);
        plot.YLabel(yLabel, size: 13);
        plot.Legend.FontName = FontName;
        plot.Legend.FontSize = 12;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
        return plot;
    }

    /// <summary>Category names under positions 0..n-1, tilted when they would collide.</summary>
    public static void CategoryTicks(Plot plot, IReadOnlyList<string> labels, double[]? positions = null)
    {
        positions ??= Enumerable.Range(0, labels.Count).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels.ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        if (labels.Sum(l => l.Length) > 60 || labels.Any(l => l.Length > 14))
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        }
    }

    /// <summary>
    /// Puts the legend beside the plot (it never hides data) and returns the extra figure width it needs,
    /// estimated from the longest label.
    /// </summary>
    public static int LegendBeside(Plot plot, IEnumerable<string> labels)
    {
        plot.ShowLegend(Edge.Right);
        int longest = labels.Select(l => l.Length).DefaultIfEmpty(0).Max();
        return 70 + (int)(longest * 7.2);
    }

    public static void LegendItem(Plot plot, string label, Color color)
    {
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = label, FillColor = color, LineColor = color });
    }
}
