using Ablations.Reports.Aggregation;
using Ablations.Reports.Figures;
using ScottPlot.Plottables;

namespace Ablations.Reports.Tests.Figures;

public sealed class TrainingCurveChartsTests
{
    [Fact]
    public void Build_RunsThatLogOneStep_EachCurveIsAVisibleMarkerInsideTheAxes()
    {
        var results = SampleResults.FullGrid(seeds: 2, steps: 1);
        var summary = AblationSummarizer.Summarize(results, ReportOptions.Default);
        var figure = FigureSet.Build(summary, results, ReportOptions.Default).Single(f => f.Name == "curve_loss");
        var rendered = FigureSet.Render(figure, ReportOptions.Default);

        var curves = figure.Plot.GetPlottables<Scatter>().ToArray();
        Assert.Equal(Math.Min(summary.Cells.Count, ReportOptions.Default.MaxCurveCells), curves.Length);
        var limits = figure.Plot.Axes.GetLimits();
        Assert.True(limits.Right > limits.Left && limits.Top > limits.Bottom, $"{limits}");
        Assert.All(curves, c =>
        {
            var point = Assert.Single(c.Data.GetScatterPoints());
            Assert.True(c.MarkerSize >= 5, $"marker size {c.MarkerSize}");
            Assert.NotEqual(ScottPlot.MarkerShape.None, c.MarkerShape);
            Assert.InRange(point.X, limits.Left, limits.Right);
            Assert.InRange(point.Y, limits.Bottom, limits.Top);
        });

        // Two seeds per step: the spread at that one step is an error bar (a band over one x has no area).
        Assert.NotEmpty(figure.Plot.GetPlottables<ErrorBar>());
        int drawnMarkers = rendered.Svg!.Split("<ellipse").Length - 1; // ScottPlot's SVG draws a circle marker as an ellipse
        Assert.True(drawnMarkers >= curves.Length, $"{drawnMarkers} markers for {curves.Length} curves");
    }
}
