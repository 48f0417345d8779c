using System.Text.Json.Nodes;
using Ablations.Core.Spec;
using Ablations.Reports.Aggregation;

namespace Ablations.Reports.Tests.Aggregation;

public sealed class AblationSummarizerTests
{
    private static AblationSummary OneAtATime() => AblationSummarizer.Summarize(SampleResults.OneAtATime(), ReportOptions.Default);

    [Fact]
    public void Summarize_OneAtATime_OneRowPerChangedFactor()
    {
        var s = OneAtATime();
        Assert.Equal(["baseline", "teachers = t_a", "teachers = none", "scale = 70", "scale = 30"], s.Cells.Select(c => c.Change));
        Assert.Equal(0, s.BaselineCell);
        Assert.Equal("zeroshot_avg", s.PrimaryMetric!.Name);
    }

    [Fact]
    public void Summarize_FailedRun_IsNotAReplicate()
    {
        var s = OneAtATime();
        Assert.Equal(16, s.Runs.Total);
        Assert.Equal(15, s.Runs.Succeeded);
        Assert.Equal(1, s.Runs.ByStatus["failed"]);
        Assert.Equal(3, s.Cells[4].Metrics["zeroshot_avg"].Stats.N);
    }

    [Fact]
    public void Summarize_CellStats_MeanStdCi()
    {
        var stats = OneAtATime().Cells[0].Metrics["zeroshot_avg"].Stats;
        Assert.Equal(0.51, stats.Mean, 12);
        Assert.Equal(0.01, stats.Std!.Value, 12);
        Assert.Equal(0.51 + 4.302652729749464 * 0.01 / Math.Sqrt(3), stats.CiHigh!.Value, 8);
    }

    [Fact]
    public void Summarize_VsBaseline_PairedTTestAndHolmByHand()
    {
        // Hand-computed (df 2: p = 1 − |t|/√(2 + t²)): p = 0.07418, 0.001187, 0.09418, 0.18350.
        // Holm over 4: 0.001187·4 = 0.00475; 0.07418·3 = 0.2225; max(0.2225, 0.09418·2); max(0.2225, 0.1835).
        var cells = OneAtATime().Cells;
        double[] p = [0.07417990022744858, 0.0011869440384785213, 0.09417837268432339, 0.18350341907227385];
        double[] holm = [0.22253970068234574, 0.0047477761539140852, 0.22253970068234574, 0.22253970068234574];
        double[] delta = [-0.02, -0.0966666666666667, 0.0266666666666667, -0.0066666666666667];
        for (int i = 0; i < 4; i++)
        {
            var c = cells[i + 1].Metrics["zeroshot_avg"].VsBaseline!;
            Assert.Equal(3, c.Paired.Pairs);
            Assert.Equal(p[i], c.Paired.P!.Value, 8);
            Assert.Equal(holm[i], c.PHolm!.Value, 8);
            Assert.Equal(delta[i], c.Delta, 10);
        }

        Assert.Null(cells[0].Metrics["zeroshot_avg"].VsBaseline);
    }

    [Fact]
    public void Summarize_Marginals_AtBaselineAndAveraged()
    {
        var s = OneAtATime();
        var scale70 = s.Marginals.Single(m => m.Axis == SampleResults.Scale && m.Value == "70");
        Assert.Equal((0.53 + 0.56 + 0.52) / 3, scale70.AtBaseline!.Mean, 12);

        // Scale 50 holds three cells (teachers t_a+t_b, t_a, none): per seed their mean, then over seeds.
        var scale50 = s.Marginals.Single(m => m.Axis == SampleResults.Scale && m.Value == "50");
        double expected = new[] { (0.50 + 0.48 + 0.40) / 3, (0.52 + 0.49 + 0.43) / 3, (0.51 + 0.50 + 0.41) / 3 }.Average();
        Assert.Equal(expected, scale50.Averaged.Mean, 12);
        Assert.Equal(3, scale50.Averaged.N);
        Assert.Equal(0.51, scale50.AtBaseline!.Mean, 12);
    }

    [Fact]
    public void Summarize_Axes_NumericSortedAndArraysJoined()
    {
        var s = OneAtATime();
        Assert.Equal(["30", "50", "70"], s.Axes[1].Values);
        Assert.True(s.Axes[1].IsNumeric);
        Assert.Equal(["t_a+t_b", "t_a", "none"], s.Axes[0].Values);
        Assert.Equal("teachers", s.Axes[0].Label);
    }

    [Fact]
    public void Summarize_NoSpecBaselineFlag_FindsBaselineFromSpec()
    {
        var results = SampleResults.OneAtATime();
        results = results with { Runs = results.Runs.Select(r => r with { IsBaseline = false }).ToArray() };
        Assert.Equal(0, AblationSummarizer.Summarize(results, ReportOptions.Default).BaselineCell);
    }

    [Fact]
    public void Check_UnknownMetric_ListsAvailable()
    {
        var errors = AblationSummarizer.Check(SampleResults.OneAtATime(), new ReportOptions { Metrics = ["zeroshot_avg", "nope"] });
        Assert.Equal(["metric 'nope' is not recorded by any succeeded run of experiment 'kd_ablation'; available metrics: retrieval_i2t_r1, zeroshot_avg"], errors);
        Assert.Throws<ArgumentException>(() => AblationSummarizer.Summarize(SampleResults.OneAtATime(), new ReportOptions { Metrics = ["nope"] }));
    }

    [Fact]
    public void Summarize_ZeroFinishedRuns_CellsWithoutStatisticsNotError()
    {
        var results = SampleResults.OneAtATime();
        results = results with { Runs = results.Runs.Select(r => r with { Status = "running" }).ToArray() };
        var s = AblationSummarizer.Summarize(results, ReportOptions.Default);
        Assert.False(s.HasFinishedRuns);
        Assert.Equal(5, s.Cells.Count); // every cell is there to say its runs are still running
        Assert.All(s.Cells, c => Assert.Equal((false, 0, 0), (c.HasResult, c.Metrics.Count, c.Seeds.Count)));
        Assert.Equal("running 3/3", CellStatus.Describe(s.Cells[0]));
        Assert.Equal("zeroshot_avg", s.PrimaryMetric!.Name);
    }

    [Fact]
    public void Summarize_CellWhoseRunsAllFailed_KeptWithCountsAndReasons()
    {
        var s = AblationSummarizer.Summarize(SampleResults.OneAtATime(failedCell: true), ReportOptions.Default);

        var failed = s.Cells.Single(c => c.Change == "teachers = t_b");
        Assert.False(failed.HasResult);
        Assert.Empty(failed.Metrics);
        Assert.Equal((3, 0, 3), (failed.Runs.Total, failed.Runs.Succeeded, failed.Runs.ByStatus["failed"]));
        Assert.Equal([SampleResults.DivergedAt12, SampleResults.DivergedAt15], failed.Failures); // most frequent first
        Assert.Equal($"failed 3/3: {SampleResults.DivergedAt12}; {SampleResults.DivergedAt15}", CellStatus.Describe(failed));
        Assert.Null(failed.Metrics.GetValueOrDefault("zeroshot_avg")?.VsBaseline);
        Assert.Contains("t_b", s.Axes[0].Values);
    }

    [Fact]
    public void Summarize_CellWithAFailedSeed_CountsItAndSaysWhy()
    {
        var cell = OneAtATime().Cells.Single(c => c.Change == "scale = 30");
        Assert.Equal((4, 3), (cell.Runs.Total, cell.Runs.Succeeded));
        Assert.Equal(3, cell.Metrics["zeroshot_avg"].Stats.N);
        Assert.Equal($"1 of 4 seeds failed: {SampleResults.OutOfDisk}", CellStatus.Describe(cell));
        Assert.Null(CellStatus.Describe(OneAtATime().Cells[0]));
    }

    [Fact]
    public void Describe_MixedStatusesWithoutReasons_SaysSo()
    {
        var results = SampleResults.OneAtATime();
        var runs = results.Runs.Select(r => r.CellIndex != 1 ? r : r.Seed == 0 ? r with { Status = "cancelled" } : r with { Status = "failed" }).ToArray();
        var cell = AblationSummarizer.Summarize(results with { Runs = runs }, ReportOptions.Default).Cells.Single(c => c.Change == "teachers = t_a");
        Assert.Equal("failed 2/3, cancelled 1/3 (no reason recorded)", CellStatus.Describe(cell));
    }

    [Fact]
    public void Summarize_SpecMinimize_GoalFollowsSpec()
    {
        var results = SampleResults.OneAtATime() with { Metric = new MetricSpec("retrieval_i2t_r1", MetricGoal.Minimize) };
        var s = AblationSummarizer.Summarize(results, new ReportOptions { Metrics = ["retrieval_i2t_r1", "zeroshot_avg"] });
        Assert.Equal([MetricGoal.Minimize, MetricGoal.Maximize], s.Metrics.Select(m => m.Goal));
    }

    [Theory]
    [InlineData("[\"t_a\",\"t_b\"]", "t_a+t_b")]
    [InlineData("[]", "none")]
    [InlineData("0.1", "0.1")]
    [InlineData("70", "70")]
    [InlineData("true", "true")]
    [InlineData("\"coca\"", "coca")]
    public void ParamText_Format_ReadsPlainly(string json, string expected) => Assert.Equal(expected, ParamText.Format(JsonNode.Parse(json)));

    [Fact]
    public void Summarize_NonFiniteMetric_LeftOut()
    {
        var results = SampleResults.OneAtATime();
        var runs = results.Runs.ToArray();
        runs[0] = runs[0] with { Metrics = new Dictionary<string, double> { ["zeroshot_avg"] = double.NaN, ["retrieval_i2t_r1"] = 0.3 } };
        var s = AblationSummarizer.Summarize(results with { Runs = runs }, ReportOptions.Default);
        Assert.Equal(2, s.Cells[0].Metrics["zeroshot_avg"].Stats.N);
        Assert.Equal(0.515, s.Cells[0].Metrics["zeroshot_avg"].Stats.Mean, 12);
    }

    [Fact]
    public void Check_BadConfidenceLevel_Reported() =>
        Assert.Contains(AblationSummarizer.Check(SampleResults.OneAtATime(), new ReportOptions { ConfidenceLevel = 95 }), e => e.Contains("confidence level 95"));
}
