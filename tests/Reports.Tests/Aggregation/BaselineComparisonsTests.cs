using Ablations.Reports.Aggregation;
using Ablations.Reports.Statistics;
using Ablations.Reports.Tables;

namespace Ablations.Reports.Tests.Aggregation;

/// <summary>Comparisons without a defined paired test (hand-made <see cref="SampleResults.ConstantDifferences"/>).</summary>
public sealed class BaselineComparisonsTests
{
    private static readonly AblationSummary Summary = AblationSummarizer.Summarize(SampleResults.ConstantDifferences(), ReportOptions.Default);

    private static BaselineComparison VsBaseline(string scale) =>
        Summary.Cells.Single(c => c.Values[SampleResults.Scale] == scale).Metrics["zeroshot_avg"].VsBaseline!;

    [Fact]
    public void Add_IdenticalNonZeroDifferences_ZeroVarianceWithoutPValues()
    {
        var c = VsBaseline("70");
        Assert.Equal(PairedOutcome.ZeroVariance, c.Paired.Outcome);
        Assert.Equal(0.02, c.Delta, 12);
        Assert.Null(c.Paired.P);
        Assert.Null(c.PHolm);
    }

    [Fact]
    public void Add_EqualOnEverySeed_NoDifferenceWithoutPValues()
    {
        var c = VsBaseline("60");
        Assert.Equal(PairedOutcome.NoDifference, c.Paired.Outcome);
        Assert.Null(c.PHolm);
    }

    [Fact]
    public void Add_Holm_SkipsComparisonsWithoutATest()
    {
        // Family of two (scales 30 and 40), not four: the untested comparisons must not inflate the adjustment.
        var p30 = VsBaseline("30").Paired.P!.Value;
        var p40 = VsBaseline("40").Paired.P!.Value;
        var (low, high) = p30 < p40 ? (p30, p40) : (p40, p30);
        Assert.Equal(Math.Min(1, 2 * low), (p30 < p40 ? VsBaseline("30") : VsBaseline("40")).PHolm!.Value, 12);
        Assert.Equal(Math.Max(Math.Min(1, 2 * low), high), (p30 < p40 ? VsBaseline("40") : VsBaseline("30")).PHolm!.Value, 12);
    }

    [Fact]
    public void Table_ZeroVarianceAndNoDifference_NoStarsFootnoteMarksAndNotes()
    {
        var table = AblationTableBuilder.Build(Summary);
        var cell70 = table.Rows.Single(r => r.Labels[0] == "scale = 70").Cells[0];
        var cell60 = table.Rows.Single(r => r.Labels[0] == "scale = 60").Cells[0];
        Assert.Equal(("", TableCell.ZeroVarianceMark), (cell70.Mark, cell70.Footnote));
        Assert.Equal(("", TableCell.NoDifferenceMark), (cell60.Mark, cell60.Footnote));
        Assert.Contains(table.Notes, n => n.Contains("Holm-corrected across the 2 of 4 compared row(s) that have a p-value"));
        Assert.Contains(table.Notes, n => n.StartsWith(TableCell.ZeroVarianceMark, StringComparison.Ordinal) && n.Contains("zero variance"));
        Assert.Contains(table.Notes, n => n.StartsWith(TableCell.NoDifferenceMark, StringComparison.Ordinal) && n.Contains("no difference"));
    }

    [Theory]
    [InlineData("md", "| scale = 70 | **0.480 ± 0.010 (3)** | +0.020† |", "| scale = 60 | 0.460 ± 0.010 (3) | +0.000‡ |")]
    [InlineData("tex", "scale = 70 & \\textbf{0.480 $\\pm$ 0.010 (3)} & $+0.020^{\\dagger}$ \\\\", "scale = 60 & 0.460 $\\pm$ 0.010 (3) & $+0.000^{\\ddagger}$ \\\\")]
    [InlineData("html", "<td class=\"num\">+0.020<sup>†</sup></td>", "<td class=\"num\">+0.000<sup>‡</sup></td>")]
    [InlineData("csv", ",0.02,n/a (zero variance),n/a (zero variance),true,0.480 ± 0.010 (3); Δ +0.020 (zero variance)", ",n/a (no difference),n/a (no difference),false,0.460 ± 0.010 (3); Δ +0.000 (no difference)")]
    public void Render_ZeroVarianceAndNoDifference_EveryFormatSaysSo(string extension, string zeroVariance, string noDifference)
    {
        string text = TableFormats.Find(extension)!.Render(AblationTableBuilder.Build(Summary));
        Assert.Contains(zeroVariance, text);
        Assert.Contains(noDifference, text);
    }
}
