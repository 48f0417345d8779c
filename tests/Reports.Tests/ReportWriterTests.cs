using Ablations.Core.Results;

namespace Ablations.Reports.Tests;

public sealed class ReportWriterTests
{
    [Fact]
    public void Write_FullGrid_WritesEveryPart()
    {
        using var dir = new TempDir();
        var outcome = ReportWriter.Write(SampleResults.FullGrid(), dir.Path, ReportOptions.Default);

        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Errors));
        foreach (var f in new[] { "index.html", "results.csv", "results.parquet", "summary.json", "tables/ablation.md", "tables/ablation.tex", "tables/ablation.csv", "tables/ablation.html" })
        {
            Assert.True(File.Exists(Path.Combine(dir.Path, f)), f);
        }

        var figures = Directory.GetFiles(Path.Combine(dir.Path, "figures")).Select(Path.GetFileName).ToArray();
        foreach (var name in new[] { "bars_student_kd_scale", "line_student_kd_scale", "curve_loss", "captions", "cost" })
        {
            Assert.Contains($"{name}.png", figures);
            Assert.Contains($"{name}.svg", figures);
        }

        Assert.Contains(figures, f => f!.StartsWith("heatmap_", StringComparison.Ordinal));
        Assert.All(Directory.GetFiles(Path.Combine(dir.Path, "figures")), f => Assert.True(new FileInfo(f).Length > 1000, f));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));

        string html = File.ReadAllText(Path.Combine(dir.Path, "index.html"));
        Assert.Contains("<svg", html);
        Assert.Contains("What was compared", html);
        Assert.Contains("Marginal effects", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", ""));
        Assert.DoesNotContain("https://", html);
        Demo(dir.Path, "full");
    }

    /// <summary>Every report with results has findings (findings.md, the HTML section, summary.json), claims included when the spec has some.</summary>
    [Fact]
    public void Write_WithClaims_WritesTheFindingsEverywhere_AndAReportWithoutResultsRemovesOldOnes()
    {
        using var dir = new TempDir();
        var claim = new Core.Spec.Claim(SampleResults.Teachers, Core.Spec.ClaimKind.Better,
            new System.Text.Json.Nodes.JsonArray("t_a", "t_b"), new System.Text.Json.Nodes.JsonArray(), "[t_a, t_b] > []");
        var outcome = ReportWriter.Write(SampleResults.OneAtATime() with { Claims = [claim] }, dir.Path, ReportOptions.Default);
        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Errors));

        var md = File.ReadAllText(Path.Combine(dir.Path, "findings.md"));
        Assert.True(md.Contains("| student.kd.scale | 70 | +0.027 | 50 (baseline); other axes at the baseline's values | [-0.011, 0.065] | 3 | 0.148 | no |", StringComparison.Ordinal), md);
        Assert.Contains("| student.kd.teachers | [t_a, t_b] > [] | supported |", md);
        var html = File.ReadAllText(Path.Combine(dir.Path, "index.html"));
        Assert.Contains("<h2 id=\"findings\">Findings</h2>", html);
        Assert.Contains("<tr class=\"supported\">", html);
        Assert.Contains("\"verdict\": \"supported\"", File.ReadAllText(Path.Combine(dir.Path, "summary.json")));

        var none = SampleResults.OneAtATime() with { Runs = [.. SampleResults.OneAtATime().Runs.Select(r => r with { Status = "failed", Metrics = new Dictionary<string, double>() })] };
        Assert.True(ReportWriter.Write(none, dir.Path, ReportOptions.Default).Succeeded);
        Assert.False(File.Exists(Path.Combine(dir.Path, "findings.md")));
    }

    [Fact]
    public void Write_FullGrid_NoDanglingReferenceInFigureFilesOrIndexHtml()
    {
        using var dir = new TempDir();
        ReportWriter.Write(SampleResults.FullGrid(), dir.Path);

        var files = Directory.GetFiles(Path.Combine(dir.Path, "figures"), "*.svg");
        Assert.True(files.Length >= 9, $"{files.Length} svg files");
        Assert.All(files, f => Assert.Empty(SvgReferences.Dangling(File.ReadAllText(f))));

        var inlined = SvgReferences.InlinedIn(File.ReadAllText(Path.Combine(dir.Path, "index.html")));
        Assert.Equal(files.Length, inlined.Count);
        Assert.All(inlined, svg => Assert.Empty(SvgReferences.Dangling(svg)));

        // One page, one id space: a figure must not pick up another figure's clip path or image.
        var ids = inlined.SelectMany(SvgReferences.Ids).ToArray();
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void Write_SameInputTwice_SameSvgTablesAndPage()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        ReportWriter.Write(SampleResults.FullGrid(), a.Path);
        ReportWriter.Write(SampleResults.FullGrid(), b.Path);

        var files = Directory.GetFiles(a.Path, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(a.Path, f))
            .Where(f => f.EndsWith(".svg", StringComparison.Ordinal) || f.EndsWith(".html", StringComparison.Ordinal)
                || f.EndsWith(".md", StringComparison.Ordinal) || f.EndsWith(".tex", StringComparison.Ordinal) || f.EndsWith(".csv", StringComparison.Ordinal))
            .ToArray();
        Assert.True(files.Length >= 14, $"{files.Length} files");
        Assert.All(files, f => Assert.True(File.ReadAllBytes(Path.Combine(a.Path, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b.Path, f))), f));
    }

    [Fact]
    public void Write_OverAnOlderReport_RemovesFiguresItNoLongerDraws()
    {
        using var dir = new TempDir();
        ReportWriter.Write(SampleResults.FullGrid(), dir.Path);
        Assert.True(File.Exists(Path.Combine(dir.Path, "figures", "captions.svg")));

        ReportWriter.Write(SampleResults.OneAtATime(), dir.Path);

        Assert.False(File.Exists(Path.Combine(dir.Path, "figures", "captions.svg")));
        Assert.True(File.Exists(Path.Combine(dir.Path, "figures", "bars_student_kd_scale.svg")));
    }

    [Fact]
    public void Write_OneAtATime_Succeeds()
    {
        using var dir = new TempDir();
        var outcome = ReportWriter.Write(SampleResults.OneAtATime(), dir.Path, ReportOptions.Default);
        Assert.True(outcome.Succeeded);
        Demo(dir.Path, "oat");
    }

    [Fact]
    public void Write_FailedCell_PageTableAndRunsSayWhatHappened()
    {
        using var dir = new TempDir();
        Assert.True(ReportWriter.Write(SampleResults.OneAtATime(failedCell: true), dir.Path).Succeeded);
        string html = System.Net.WebUtility.HtmlDecode(File.ReadAllText(Path.Combine(dir.Path, "index.html")));

        // What was compared: the cell without a result and the one with fewer seeds, each with why.
        string compared = html[html.IndexOf("What was compared", StringComparison.Ordinal)..html.IndexOf("id=\"table\"", StringComparison.Ordinal)];
        Assert.Contains("Runs:</b> 15 of 19 succeeded (4 failed; only succeeded runs are summarised)", compared);
        Assert.Contains($"Left out, no result:</b>\n<ul>\n<li>teachers = t_b: failed 3/3: {SampleResults.DivergedAt12}; {SampleResults.DivergedAt15}</li>", compared);
        Assert.Contains($"From fewer seeds:</b>\n<ul>\n<li>scale = 30: 1 of 4 seeds failed: {SampleResults.OutOfDisk}</li>", compared);

        // The table row, the figure caption and each failed run with its own reason.
        Assert.Contains($"<tr class=\"no-result\"><td>teachers = t_b</td>", html);
        Assert.Contains("Left out, no result: teachers = t_b (failed 3/3", html);
        Assert.Contains($"<td>failed</td><td>t_b</td><td>50</td><td class=\"num\">—</td><td>{SampleResults.DivergedAt15}</td>", html);
        Assert.Contains("| teachers = t_b | — | — |", File.ReadAllText(Path.Combine(dir.Path, "tables", "ablation.md")));
    }

    [Fact]
    public void Write_BaselineWithoutResult_RowStaysAndTableSaysThereIsNoDelta()
    {
        var results = SampleResults.OneAtATime();
        results = results with
        {
            Runs = results.Runs.Select(r => r.CellIndex == 0 ? r with { Status = "failed", Metrics = new Dictionary<string, double>(), Failure = SampleResults.OutOfDisk } : r).ToArray(),
        };
        using var dir = new TempDir();

        var outcome = ReportWriter.Write(results, dir.Path);

        Assert.True(outcome.Succeeded);
        string md = File.ReadAllText(Path.Combine(dir.Path, "tables", "ablation.md"));
        Assert.Contains($"| baseline | — | — | failed 3/3: {SampleResults.OutOfDisk} |", md);
        Assert.Contains("Δ: none, the baseline (teachers = t_a+t_b, scale = 50) has no succeeded run to compare with.", md);
        Assert.DoesNotContain("Significance:", md);
        Assert.All(outcome.Summary!.Cells, c => Assert.Null(c.Metrics.GetValueOrDefault("zeroshot_avg")?.VsBaseline));
    }

    [Fact]
    public void Write_FullGridWithFailures_NoDanglingReferenceInIndexHtml()
    {
        using var dir = new TempDir();
        Assert.True(ReportWriter.Write(SampleResults.FullGridWithFailures(), dir.Path).Succeeded);
        var inlined = SvgReferences.InlinedIn(File.ReadAllText(Path.Combine(dir.Path, "index.html")));
        Assert.NotEmpty(inlined);
        Assert.All(inlined, svg => Assert.Empty(SvgReferences.Dangling(svg)));
    }

    [Fact]
    public void Write_UnknownMetric_ReturnsErrorListingAvailableMetricsAndWritesNothing()
    {
        using var dir = new TempDir();
        var outcome = ReportWriter.Write(SampleResults.OneAtATime(), dir.Path, new ReportOptions { Metrics = ["zeroshot_top5"] });

        Assert.False(outcome.Succeeded);
        var error = Assert.Single(outcome.Errors);
        Assert.Contains("'zeroshot_top5'", error);
        Assert.Contains("available metrics: retrieval_i2t_r1, zeroshot_avg", error);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Write_ZeroFinishedRuns_WritesReportThatSaysSo()
    {
        var results = SampleResults.OneAtATime();
        results = results with { Runs = results.Runs.Select(r => r with { Status = "failed", Metrics = new Dictionary<string, double>() }).ToArray() };
        using var dir = new TempDir();

        var outcome = ReportWriter.Write(results, dir.Path, ReportOptions.Default);

        Assert.True(outcome.Succeeded);
        Assert.False(outcome.Summary!.HasFinishedRuns);
        string html = File.ReadAllText(Path.Combine(dir.Path, "index.html"));
        Assert.Contains("No finished runs", html);
        Assert.Contains("No finished runs", File.ReadAllText(Path.Combine(dir.Path, "tables", "ablation.md")));
        Assert.True(File.Exists(Path.Combine(dir.Path, "results.parquet")));
    }

    [Fact]
    public void Write_NoRunsAtAll_WritesReportThatSaysSo()
    {
        var results = SampleResults.OneAtATime() with { Runs = Array.Empty<RunResult>(), Stages = Array.Empty<StageCost>() };
        using var dir = new TempDir();

        var outcome = ReportWriter.Write(results, dir.Path, ReportOptions.Default);

        Assert.True(outcome.Succeeded);
        Assert.Contains("No finished runs", File.ReadAllText(Path.Combine(dir.Path, "index.html")));
    }

    /// <summary>Keeps a copy for a person to look at when ABLATIONS_REPORT_DEMO names a folder.</summary>
    private static void Demo(string from, string name)
    {
        if (Environment.GetEnvironmentVariable("ABLATIONS_REPORT_DEMO") is not { Length: > 0 } root)
        {
            return;
        }

        string to = Path.Combine(root, name);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
