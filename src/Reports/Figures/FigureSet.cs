using Ablations.Core.Results;
using Ablations.Reports.Aggregation;
using ScottPlot;

namespace Ablations.Reports.Figures;

/// <summary>Builds and renders every figure a report has, in reading order.</summary>
internal static class FigureSet
{
    public static IReadOnlyList<Figure> Build(AblationSummary summary, ExperimentResults results, ReportOptions options)
    {
        var style = new FigureStyle(options);
        if (!summary.HasFinishedRuns)
        {
            return CostCharts.Build(results, style).ToArray();
        }

        return AxisBarCharts.Build(summary, style)
            .Concat(MetricLineCharts.Build(summary, style))
            .Concat(HeatmapCharts.Build(summary, style))
            .Concat(TrainingCurveCharts.Build(summary, results, style, options))
            .Concat(CaptionQualityCharts.Build(summary, style))
            .Concat(CostCharts.Build(results, style))
            .ToArray();
    }

    /// <summary>
    /// Renders figures on all cores: each plot is independent and ScottPlot 5 renders separate plots on separate
    /// threads safely. Output order and bytes do not depend on the scheduling.
    /// </summary>
    public static RenderedFigure[] RenderAll(IReadOnlyList<Figure> figures, ReportOptions options)
    {
        var rendered = new RenderedFigure[figures.Count];
        Parallel.For(0, figures.Count, i => rendered[i] = Render(figures[i], options));
        return rendered;
    }

    public static RenderedFigure Render(Figure figure, ReportOptions options)
    {
        int w = options.FigureWidth + figure.ExtraWidth, h = options.FigureHeight;
        string? svg = options.WriteSvg ? SvgIds.Normalize(figure.Plot.GetSvgXml(w, h)) : null;
        byte[]? png = options.WritePng ? figure.Plot.GetImageBytes(w, h, ImageFormat.Png) : null;
        return new RenderedFigure(figure.Name, figure.Title, figure.Caption, svg, png);
    }
}
