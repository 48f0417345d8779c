using Ablations.Reports.Aggregation;
using Ablations.Reports.Figures;

namespace Ablations.Reports.Tests.Figures;

public sealed class FigureTests
{
    private static RenderedFigure[] RenderAll()
    {
        var results = SampleResults.FullGrid();
        var summary = AblationSummarizer.Summarize(results, ReportOptions.Default);
        return FigureSet.RenderAll(FigureSet.Build(summary, results, ReportOptions.Default), ReportOptions.Default);
    }

    [Fact]
    public void Render_FullGrid_EveryFigureHasPngSvgTitleAndCaption()
    {
        var figures = RenderAll();

        Assert.Equal(
            ["bars_student_kd_teachers", "bars_student_kd_scale", "bars_captions_captioner", "line_student_kd_scale",
             "heatmap_student_kd_teachers__student_kd_scale", "curve_loss", "curve_logit_scale", "captions", "cost"],
            figures.Select(f => f.Name));
        Assert.All(figures, f =>
        {
            Assert.True(f.Png!.Length > 5000, f.Name);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], f.Png![..4]);
            Assert.StartsWith("<?xml", f.Svg);
            Assert.Contains("</svg>", f.Svg);
            Assert.False(string.IsNullOrWhiteSpace(f.Title));
            Assert.False(string.IsNullOrWhiteSpace(f.Caption));
        });
    }

    [Fact]
    public void Render_SameInputTwice_SvgIdentical()
    {
        var first = RenderAll();
        var second = RenderAll();
        for (int i = 0; i < first.Length; i++)
        {
            Assert.Equal(first[i].Svg, second[i].Svg);
        }
    }

    [Fact]
    public void Render_Svg_UsesTheConfiguredFont()
    {
        var figure = RenderAll().First();
        Assert.Contains("DejaVu Sans", figure.Svg);
    }

    [Fact]
    public void SvgIds_Normalize_RenumbersIdsAndReferences()
    {
        string svg = "<svg><clipPath id=\"cl_3f\"/><g clip-path=\"url(#cl_3f)\"/><clipPath id=\"cl_40\"/><g clip-path=\"url(#cl_40)\"/></svg>";
        Assert.Equal("<svg><clipPath id=\"c0\"/><g clip-path=\"url(#c0)\"/><clipPath id=\"c1\"/><g clip-path=\"url(#c1)\"/></svg>", SvgIds.Normalize(svg));
    }

    [Fact]
    public void SvgIds_Normalize_RenamesHrefAndXlinkHrefWithTheirIds()
    {
        string svg = "<svg><defs><image id=\"img_7\"/></defs><use xlink:href=\"#img_7\"/><use href=\"#img_7\"/><clipPath id=\"cl_3f\"/><g clip-path=\"url(#cl_3f)\"/></svg>";
        Assert.Equal(
            "<svg><defs><image id=\"c0\"/></defs><use xlink:href=\"#c0\"/><use href=\"#c0\"/><clipPath id=\"c1\"/><g clip-path=\"url(#c1)\"/></svg>",
            SvgIds.Normalize(svg));
    }

    [Fact]
    public void Render_EveryFigureKind_SvgHasNoDanglingReference()
    {
        var figures = RenderAll();

        // Every kind of figure a report draws is in this set, so a new reference form in any of them is caught.
        foreach (var kind in new[] { "bars_", "line_", "heatmap_", "curve_", "captions", "cost" })
        {
            Assert.Contains(figures, f => f.Name.StartsWith(kind, StringComparison.Ordinal));
        }

        Assert.All(figures, f => Assert.True(SvgReferences.Dangling(f.Svg!).Count == 0,
            $"{f.Name}: dangling {string.Join(", ", SvgReferences.Dangling(f.Svg!))}"));
        var heatmap = figures.Single(f => f.Name.StartsWith("heatmap_", StringComparison.Ordinal)).Svg!;
        Assert.Contains("href=\"#", heatmap); // the colours are an embedded image drawn through <use>: the reference is checked above
    }

    [Fact]
    public void Build_FullGridWithAFailedCell_EveryResultFigureCaptionNamesItAndWhy()
    {
        var results = SampleResults.FullGridWithFailures();
        var summary = AblationSummarizer.Summarize(results, ReportOptions.Default);
        var figures = FigureSet.Build(summary, results, ReportOptions.Default);

        const string failed = "teachers = t_a, scale = 70, captioner = coca_ft";
        const string fewer = "teachers = t_a, scale = 30, captioner = coca_base";
        // Bars are held at the baseline (cells on its lines only); lines, heatmap and captions draw from every cell.
        var fromEveryCell = figures.Where(f => f.Name.StartsWith("line_", StringComparison.Ordinal)
            || f.Name.StartsWith("heatmap_", StringComparison.Ordinal) || f.Name == "captions").ToArray();
        Assert.Equal(3, fromEveryCell.Length);
        Assert.All(fromEveryCell, f =>
        {
            Assert.Contains($"Left out, no result: {failed} (failed 3/3: {SampleResults.DivergedAt12})", f.Caption);
            Assert.Contains($"From fewer seeds: {fewer} (1 of 3 seeds cancelled: student (Cancelled): cancelled by request)", f.Caption);
        });

        // Curves draw the baseline and the best cells with a result, and name the cell that has none.
        var curves = figures.Where(f => f.Name.StartsWith("curve_", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(curves);
        Assert.All(curves, f =>
        {
            Assert.Contains("8 of 11 cells with a result", f.Caption);
            Assert.Contains($"Left out, no result: {failed} (failed 3/3: {SampleResults.DivergedAt12})", f.Caption);
        });
    }

    [Fact]
    public void Build_OneAtATimeWithAFailedCell_BarsKeepItsPlaceAndCaptionSaysWhy()
    {
        var results = SampleResults.OneAtATime(failedCell: true);
        var summary = AblationSummarizer.Summarize(results, ReportOptions.Default);
        var bars = FigureSet.Build(summary, results, ReportOptions.Default).Single(f => f.Name == "bars_student_kd_teachers");

        Assert.Contains("other axes held at the baseline", bars.Caption);
        Assert.Contains($"Left out, no result: teachers = t_b (failed 3/3: {SampleResults.DivergedAt12}; {SampleResults.DivergedAt15})", bars.Caption);
        var texts = bars.Plot.GetPlottables<ScottPlot.Plottables.Text>().ToArray();
        var none = Assert.Single(texts, t => t.LabelText == "no result");
        Assert.Equal(summary.Axes[0].IndexOf("t_b"), none.Location.X);
    }

    [Fact]
    public void Build_NoCaptionMetricsNoStages_SkipsThoseFigures()
    {
        var results = SampleResults.OneAtATime() with { Stages = [] };
        var summary = AblationSummarizer.Summarize(results, ReportOptions.Default);
        var names = FigureSet.Build(summary, results, ReportOptions.Default).Select(f => f.Name).ToArray();
        Assert.DoesNotContain("captions", names);
        Assert.DoesNotContain("cost", names);
        Assert.Contains("bars_student_kd_teachers", names);
    }

    [Fact]
    public void InlineSvg_Prepare_DropsPrologAddsViewBoxAndPrefixesIds()
    {
        string svg = "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"480\"><clipPath id=\"c0\"/><g clip-path=\"url(#c0)\"/></svg>";
        Assert.Equal(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"480\" viewBox=\"0 0 800 480\"><clipPath id=\"f2-c0\"/><g clip-path=\"url(#f2-c0)\"/></svg>",
            Ablations.Reports.Html.InlineSvg.Prepare(svg, "f2"));
    }

    [Fact]
    public void InlineSvg_Prepare_PrefixesImageReferencesWithTheirIds()
    {
        string svg = "<svg width=\"8\" height=\"4\" viewBox=\"0 0 8 4\"><defs><image id=\"c0\"/></defs><use xlink:href=\"#c0\"/></svg>";
        Assert.Equal(
            "<svg width=\"8\" height=\"4\" viewBox=\"0 0 8 4\"><defs><image id=\"f3-c0\"/></defs><use xlink:href=\"#f3-c0\"/></svg>",
            Ablations.Reports.Html.InlineSvg.Prepare(svg, "f3"));
    }
}
