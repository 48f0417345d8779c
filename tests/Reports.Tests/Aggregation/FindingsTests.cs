using System.Text.Json.Nodes;
using Ablations.Core.Spec;
using Ablations.Reports.Aggregation;

namespace Ablations.Reports.Tests.Aggregation;

/// <summary>
/// The findings of <see cref="SampleResults.OneAtATime"/> (seeds 0–2; baseline teachers t_a+t_b at scale 50), worked
/// by hand from its per-seed values:
///   t_a+t_b − none at 50: 0.10, 0.09, 0.10 → mean 0.0967, sd 0.0058, t = 29.0, p = 0.0012
///   none − t_a at 50:     −0.08, −0.06, −0.09 → mean −0.0767, sd 0.0153, t = −8.7, p = 0.013
///   t_a − t_a+t_b at 50:  −0.02, −0.03, −0.01 → mean −0.02, sd 0.01, t = −3.46, p = 0.074
///   scale 70 − 50:        0.03, 0.04, 0.01 → mean 0.0267, sd 0.0153, t = 3.02, p = 0.094
/// Holm over those four: 0.0047, 0.038, 0.15, 0.15.
/// </summary>
public sealed class FindingsTests
{
    private static Findings Of(params (string Axis, string Text)[] claims)
    {
        var results = SampleResults.OneAtATime() with { Claims = [.. claims.Select(c => Parse(c.Axis, c.Text))] };
        return AblationSummarizer.Summarize(results, ReportOptions.Default).Findings!;
    }

    private static Claim Parse(string axis, string text)
    {
        var spec = SpecLoader.Parse($$"""
            name: x
            parameters:
              {{SampleResults.Teachers}}: {values: [[], [t_a], [t_a, t_b]]}
              {{SampleResults.Scale}}: {values: [30, 50, 70]}
            variants:
              teachers:
                t_a: {seed: 1}
                t_b: {seed: 2}
            claims:
              {{axis}}: "{{text}}"
            """, "x.yaml", null);
        return spec.Spec?.Claims.Single() ?? throw new InvalidOperationException(string.Join("\n", spec.Diagnostics));
    }

    [Fact]
    public void Claims_AreSupportedRefutedOrUndecided_AfterHolmOverAllClaims_WithTheSeedsItWouldTake()
    {
        var f = Of((SampleResults.Teachers, "[t_a, t_b] > []"), (SampleResults.Teachers, "[] > [t_a]"),
            (SampleResults.Teachers, "[t_a] > [t_a, t_b]"), (SampleResults.Scale, "interior optimum"));

        var supported = f.Claims[0];
        Assert.Equal(ClaimVerdict.Supported, supported.Verdict);
        Assert.Equal(0.0967, supported.Tests.Single().Mean, 4);
        Assert.InRange(supported.PHolm.Single()!.Value, 0.0045, 0.0050); // p = 0.0012 times 4: one family of every claim's tests
        Assert.Equal("other axes at the baseline's values", supported.Tests.Single().Basis);

        Assert.Equal(ClaimVerdict.Refuted, f.Claims[1].Verdict);
        Assert.Contains("none vs t_a: −0.077", f.Claims[1].Why);

        var undecided = f.Claims[2];
        Assert.Equal(ClaimVerdict.Undecided, undecided.Verdict);
        Assert.InRange(undecided.PHolm.Single()!.Value, 0.14, 0.16);
        // t*(3)·0.01/√4 = 0.016 < |−0.02|, t*(2)·0.01/√3 = 0.025 is not: 4 seeds would tell (which way, the seeds will say).
        Assert.Equal(4, undecided.SeedsToTell);
    }

    [Fact]
    public void InteriorOptimum_WithTheBestValueAtTheEdge_IsUndecidedWhenTheEdgeIsNotClearlyBetter()
    {
        var f = Of((SampleResults.Scale, "interior optimum"));
        var claim = f.Claims.Single();
        Assert.Equal(ClaimVerdict.Undecided, claim.Verdict);
        Assert.Contains("the best value tried, 70, is at the end of the range (70 vs 50: +0.027)", claim.Why);
        // t*(3)·0.0153/√4 = 0.0243 < 0.0267, and t*(2)·0.0153/√3 = 0.038 is not: 4 seeds.
        Assert.Equal(4, claim.SeedsToTell);
    }

    [Fact]
    public void AxisFindings_NameTheBestValue_AndItsEffectAgainstTheBaselineWithAnInterval()
    {
        var f = Of();
        var scale = f.Axes.Single(a => a.Axis == SampleResults.Scale);
        Assert.Equal("70", scale.Best);
        Assert.True(scale.AgainstBaseline);
        Assert.Equal("50", scale.Effect!.B);
        Assert.Equal(0.0267, scale.Effect.Mean, 4);
        Assert.True(scale.Effect.CiLow < 0 && scale.Effect.CiHigh > 0.05); // 3 seeds: wide
        Assert.False(scale.Significant);

        var teachers = f.Axes.Single(a => a.Axis == SampleResults.Teachers);
        Assert.Equal("t_a+t_b", teachers.Best); // the baseline's value is the best: compared with the runner-up
        Assert.False(teachers.AgainstBaseline);
        Assert.Equal("t_a", teachers.Effect!.B);
    }

    /// <summary>
    /// Runs that carry their kd_targets stage's metrics: the findings list them per KD cell beside the trained mean,
    /// and rank-correlate each with it. Here entropy falls as accuracy rises (ρ = −1) and top1_gt rises with it (ρ = +1).
    /// </summary>
    [Fact]
    public void Diagnostics_AreShownPerCell_WithTheirRankCorrelationToTheTrainedMetric()
    {
        var results = SampleResults.OneAtATime();
        // Per cell, a diagnostic that orders the cells exactly as zeroshot_avg does (and one that orders them backwards).
        var means = results.Runs.GroupBy(r => r.CellIndex).ToDictionary(g => g.Key, g => g.Where(r => r.Metrics.ContainsKey("zeroshot_avg")).Average(r => r.Metrics["zeroshot_avg"]));
        static bool Kd(Core.Results.RunResult r) => r.Metrics.Count > 0 && r.Params[SampleResults.Teachers] is System.Text.Json.Nodes.JsonArray { Count: > 0 };
        var runs = results.Runs.Select(r => !Kd(r) ? r
            : r with { Metrics = new Dictionary<string, double>(r.Metrics) { ["kd_targets.entropy"] = 1 - means[r.CellIndex], ["kd_targets.top1_gt"] = means[r.CellIndex] / 2 } }).ToList();
        var f = AblationSummarizer.Summarize(results with { Runs = runs }, ReportOptions.Default).Findings!;

        var d = f.Diagnostics!;
        Assert.Equal(["kd_targets.entropy", "kd_targets.top1_gt"], d.Names);
        Assert.Equal(4, d.Cells.Count); // the no-KD cell has no targets to diagnose
        Assert.Equal(-1.0, d.Rankings[0].Rho!.Value, 9);
        Assert.Equal(1.0, d.Rankings[1].Rho!.Value, 9);
        var md = Ablations.Reports.Tables.FindingsText.Markdown(f);
        Assert.Contains("## KD targets, diagnosed without training", md);
        Assert.Contains("top1_gt: ρ = +1.00 over 4 cells (p < 0.001): it ranks the cells as training did", md);
    }

    [Theory]
    [InlineData(new[] { 1.0, 2, 3, 4 }, new[] { 10.0, 20, 30, 40 }, 1.0)]
    [InlineData(new[] { 1.0, 2, 3, 4 }, new[] { 4.0, 3, 2, 1 }, -1.0)]
    [InlineData(new[] { 1.0, 2, 2, 3 }, new[] { 1.0, 3, 2, 4 }, 0.9486832980505138)] // ties take their average rank
    public void Spearman_OnKnownRankings(double[] x, double[] y, double rho) =>
        Assert.Equal(rho, FindingsBuilder.Spearman([.. x.Zip(y)])!.Value, 9);
}
