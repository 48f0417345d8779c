using Ablations.Reports.Aggregation;
using Ablations.Reports.Tables;

namespace Ablations.Reports.Tests.Tables;

/// <summary>
/// The tables of the hand-made one_at_a_time sample (with a cell whose runs all failed and one with a failed
/// seed) against expected files (exact). The numbers in them are checked by hand in AblationSummarizerTests;
/// set ABLATIONS_UPDATE_EXPECTED=1 to rewrite them after a deliberate format change, then review the diff.
/// </summary>
public sealed class TableFormatTests
{
    private static AblationTable Table(ReportOptions? options = null) =>
        AblationTableBuilder.Build(AblationSummarizer.Summarize(
            SampleResults.OneAtATime(failedCell: true), options ?? new ReportOptions { Metrics = ["zeroshot_avg", "retrieval_i2t_r1"] }));

    [Theory]
    [InlineData("md")]
    [InlineData("tex")]
    [InlineData("csv")]
    [InlineData("html")]
    public void Render_OneAtATime_MatchesExpectedFile(string extension) =>
        Expected.Check($"one_at_a_time.{extension}", TableFormats.Find(extension)!.Render(Table()));

    [Fact]
    public void Render_FullGrid_MatchesExpectedMarkdown() =>
        Expected.Check("full_grid.md", new MarkdownTableFormat().Render(AblationTableBuilder.Build(
            AblationSummarizer.Summarize(SampleResults.FullGrid(), ReportOptions.Default))));

    [Fact]
    public void Build_BestPerColumn_FollowsGoal()
    {
        var maximize = Table();
        Assert.True(maximize.Rows.Single(r => r.Labels[0] == "scale = 70").Cells[0].IsBest);

        var minimize = Table(new ReportOptions
        {
            Metrics = ["zeroshot_avg"],
            Goals = new Dictionary<string, Core.Spec.MetricGoal> { ["zeroshot_avg"] = Core.Spec.MetricGoal.Minimize },
        });
        Assert.True(minimize.Rows.Single(r => r.Labels[0] == "teachers = none").Cells[0].IsBest);
    }

    [Fact]
    public void Build_SignificanceMarks_FromHolmAdjustedP()
    {
        var rows = Table().Rows;
        Assert.Equal("**", rows.Single(r => r.Labels[0] == "teachers = none").Cells[0].Mark);
        Assert.Equal("", rows.Single(r => r.Labels[0] == "teachers = t_a").Cells[0].Mark);
    }

    [Fact]
    public void Render_NoFinishedRuns_SaysSo()
    {
        var results = SampleResults.OneAtATime();
        results = results with { Runs = results.Runs.Select(r => r with { Status = "queued" }).ToArray() };
        string md = new MarkdownTableFormat().Render(AblationTableBuilder.Build(AblationSummarizer.Summarize(results, ReportOptions.Default)));
        Assert.Contains("No finished runs: 16 run(s) recorded, none succeeded.", md);
    }
}
