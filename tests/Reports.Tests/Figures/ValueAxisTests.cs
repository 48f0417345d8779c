using Ablations.Core.Results;
using Ablations.Reports.Aggregation;
using Ablations.Reports.Figures;
using Ablations.Reports.Statistics;
using ScottPlot;

namespace Ablations.Reports.Tests.Figures;

/// <summary>Intervals and value axes stay inside a metric's known range; read back from the ScottPlot plots, not pixels.</summary>
public sealed class ValueAxisTests
{
    private static Dictionary<string, Plot> Plots(ExperimentResults results)
    {
        var summary = AblationSummarizer.Summarize(results, ReportOptions.Default);
        var figures = FigureSet.Build(summary, results, ReportOptions.Default);
        foreach (var f in figures)
        {
            FigureSet.Render(f, ReportOptions.Default with { WriteSvg = false }); // limits as drawn, after any autoscale
        }

        return figures.ToDictionary(f => f.Name, f => f.Plot);
    }

    private static void AssertInside(AxisLimits limits, double min, double? max, string what)
    {
        Assert.True(limits.Bottom >= min, $"{what}: bottom {limits.Bottom} < {min}");
        if (max is { } m)
        {
            Assert.True(limits.Top <= m, $"{what}: top {limits.Top} > {m}");
        }
    }

    [Fact]
    public void Build_TwoSeedsFarApart_AccuracyBandsErrorBarsAndAxesInsideZeroToOne()
    {
        var plots = Plots(SampleResults.WideIntervals());
        var accuracy = plots.Where(p => p.Key.StartsWith("bars_", StringComparison.Ordinal) || p.Key.StartsWith("line_", StringComparison.Ordinal)
            || p.Key == "curve_zeroshot_acc").ToArray();
        Assert.Equal(4, accuracy.Length);

        foreach (var (name, plot) in accuracy)
        {
            AssertInside(plot.Axes.GetLimits(), 0, 1, $"{name} axis");
            var drawn = plot.GetPlottables<ScottPlot.Plottables.ErrorBar>().Select(e => e.GetAxisLimits())
                .Concat(plot.GetPlottables<ScottPlot.Plottables.FillY>().Select(b => b.GetAxisLimits())).ToArray();
            Assert.NotEmpty(drawn);
            Assert.All(drawn, l => AssertInside(l, 0, 1, $"{name} interval"));
        }
    }

    [Fact]
    public void Build_TwoSeedsFarApart_CaptionSaysIntervalsAreCut()
    {
        var results = SampleResults.WideIntervals();
        var summary = AblationSummarizer.Summarize(results, ReportOptions.Default);
        var bars = FigureSet.Build(summary, results, ReportOptions.Default).First(f => f.Name.StartsWith("bars_", StringComparison.Ordinal));
        Assert.Contains("cut at it", bars.Caption);
        Assert.Contains("(0–1)", bars.Caption);
    }

    [Fact]
    public void Build_LossCurveNearZero_BandAndAxisNotBelowZero()
    {
        var plot = Plots(SampleResults.WideIntervals())["curve_loss"];

        AssertInside(plot.Axes.GetLimits(), 0, null, "curve_loss axis");
        var bands = plot.GetPlottables<ScottPlot.Plottables.FillY>().ToArray();
        Assert.NotEmpty(bands);
        Assert.All(bands, b => AssertInside(b.GetAxisLimits(), 0, null, "curve_loss band"));
    }

    [Fact]
    public void Build_BarsOfAFraction_AxisStartsAtZeroAndEndsByOne()
    {
        // FullGrid accuracies lie between 0.38 and 0.52: a zoomed axis would start inside the bars.
        var plots = Plots(SampleResults.FullGrid());
        var bars = plots.Where(p => p.Key.StartsWith("bars_", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, bars.Length);
        Assert.All(bars, p =>
        {
            var limits = p.Value.Axes.GetLimits();
            Assert.Equal(0, limits.Bottom);
            Assert.InRange(limits.Top, 0.5, 1);
        });
    }

    [Fact]
    public void ForBars_NegativeValuesOfUnknownRange_AxisHoldsZeroAndTheBars()
    {
        var plot = new Plot();
        var kind = MetricUnits.Of("reward");
        ValueAxis.ForBars(plot, [Interval.Of(0, SampleStats.Of([-3.0, -2.0]), kind), Interval.Of(1, SampleStats.Of([-1.0, -1.5]), kind)], kind);

        var limits = plot.Axes.GetLimits();
        Assert.True(limits.Top >= 0, $"top {limits.Top}");
        Assert.True(limits.Bottom <= Interval.Of(0, SampleStats.Of([-3.0, -2.0]), kind).Low, $"bottom {limits.Bottom}");
    }

    [Fact]
    public void ForLines_EveryValueOnTheUpperBound_AxisOpensInsideTheRange()
    {
        var plot = new Plot();
        var kind = MetricUnits.Of("zeroshot_avg");
        ValueAxis.ForLines(plot, [Interval.Of(0, SampleStats.Of([1.0, 1.0]), kind), Interval.Of(1, SampleStats.Of([1.0]), kind)], kind);

        var limits = plot.Axes.GetLimits();
        Assert.Equal(1, limits.Top);
        Assert.True(limits.Bottom is < 1 and >= 0, $"bottom {limits.Bottom}");
    }

    [Theory]
    [InlineData("zeroshot_avg", 0.0, 1.0)]
    [InlineData("retrieval_i2t_r1", 0.0, 1.0)]
    [InlineData("caption_recall", 0.0, 1.0)]
    [InlineData("loss_kd", 0.0, null)]
    [InlineData("train_seconds", 0.0, null)]
    [InlineData("logit_scale", 0.0, null)]
    [InlineData("reward", null, null)]
    public void MetricUnits_Of_KnowsTheRange(string name, double? min, double? max) =>
        Assert.Equal((min, max), (MetricUnits.Of(name).Min, MetricUnits.Of(name).Max));

    [Fact]
    public void Interval_Of_ClipsTheIntervalButNeverTheMean()
    {
        var kind = MetricUnits.Of("zeroshot_avg");
        var clipped = Interval.Of(0, SampleStats.Of([0.05, 0.95]), kind);
        Assert.Equal(0.5, clipped.Mean, 12);
        Assert.Equal((0.0, 1.0, true), (clipped.Low, clipped.High, clipped.Clipped));

        // A mean outside the range means the name misled the guess: nothing is cut.
        var outside = Interval.Of(0, SampleStats.Of([1.1, 1.3]), kind);
        Assert.Equal((false, 1.2), (outside.Clipped, Math.Round(outside.Mean, 12)));
        Assert.True(outside.Low < 1 && outside.High > 1.3, $"{outside}");
    }
}
