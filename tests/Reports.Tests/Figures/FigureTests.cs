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
