using Ablations.Core.Results;

namespace Ablations.Reports.Tests.Export;

/// <summary>A report asked for again from the same results is left as it is; anything changed or damaged renders it again.</summary>
public sealed class ReportStampTests
{
    private static Dictionary<string, DateTime> Written(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(dir, f), File.GetLastWriteTimeUtc);

    [Fact]
    public void Write_SameResultsAgain_RewritesNothingAndListsTheSameFiles()
    {
        using var dir = new TempDir();
        var first = ReportWriter.Write(SampleResults.FullGrid(), dir.Path);
        var before = Written(dir.Path);

        var second = ReportWriter.Write(SampleResults.FullGrid(), dir.Path);

        Assert.True(second.Succeeded);
        Assert.Equal(first.Files, second.Files);
        Assert.NotNull(second.Summary);
        Assert.Equal(before, Written(dir.Path)); // every file still the one the first write made (atomic writes replace files)
    }

    [Fact]
    public void Write_ChangedResult_RendersAgain()
    {
        using var dir = new TempDir();
        var results = SampleResults.FullGrid();
        ReportWriter.Write(results, dir.Path);
        var before = Written(dir.Path);

        var run = results.Runs[0];
        var changed = results with
        {
            Runs = [run with { Metrics = run.Metrics.ToDictionary(p => p.Key, p => p.Value + 1) }, .. results.Runs.Skip(1)],
        };
        ReportWriter.Write(changed, dir.Path);

        var after = Written(dir.Path);
        Assert.NotEqual(before["summary.json"], after["summary.json"]);
        Assert.NotEqual(before["index.html"], after["index.html"]);
    }

    [Fact]
    public void Write_ChangedOptions_RendersAgain()
    {
        using var dir = new TempDir();
        ReportWriter.Write(SampleResults.FullGrid(), dir.Path);
        var before = Written(dir.Path);

        ReportWriter.Write(SampleResults.FullGrid(), dir.Path, ReportOptions.Default with { ConfidenceLevel = 0.9 });

        Assert.NotEqual(before["index.html"], Written(dir.Path)["index.html"]);
    }

    [Fact]
    public void Write_FileEditedOrDeletedSince_RendersTheReportAgain()
    {
        using var dir = new TempDir();
        ReportWriter.Write(SampleResults.FullGrid(), dir.Path);
        var csv = Path.Combine(dir.Path, "results.csv");
        var figure = Path.Combine(dir.Path, "figures", "cost.svg");
        var original = File.ReadAllText(csv);
        File.WriteAllText(csv, "edited by hand");
        File.Delete(figure);

        ReportWriter.Write(SampleResults.FullGrid(), dir.Path);

        Assert.Equal(original, File.ReadAllText(csv));
        Assert.True(File.Exists(figure));
    }

    [Fact]
    public void Write_DivergedRunWithNaNAndInfiniteValues_WritesAndThenKeepsTheReport()
    {
        using var dir = new TempDir();
        var results = SampleResults.FullGrid();
        var run = results.Runs[0];
        var diverged = results with
        {
            Runs =
            [
                run with
                {
                    Curves = run.Curves.ToDictionary(p => p.Key, p => (IReadOnlyList<CurvePoint>)[.. p.Value, new CurvePoint(999, double.NaN), new CurvePoint(1000, double.PositiveInfinity)]),
                },
                .. results.Runs.Skip(1),
            ],
        };

        Assert.True(ReportWriter.Write(diverged, dir.Path).Succeeded);
        var before = Written(dir.Path);
        Assert.True(ReportWriter.Write(diverged, dir.Path).Succeeded);
        Assert.Equal(before, Written(dir.Path));
    }

    /// <summary>
    /// A rewrite for other results that died halfway (here: its figures folder cannot be made) leaves files of both; the
    /// stamp of the first report still names its key, but the files it hashed have changed, so asking for the first
    /// report again renders it again instead of keeping the mixture.
    /// </summary>
    [Fact]
    public void Write_AfterARewriteThatFailedHalfway_RendersTheFirstReportAgain()
    {
        using var dir = new TempDir();
        var first = SampleResults.FullGrid();
        ReportWriter.Write(first, dir.Path);
        var table = Path.Combine(dir.Path, "tables", "ablation.md");
        var firstTable = File.ReadAllText(table);
        var figures = Path.Combine(dir.Path, "figures");
        var kept = Path.Combine(dir.Path, "kept-figures");
        Directory.Move(figures, kept);
        File.WriteAllText(figures, "not a folder");

        Assert.ThrowsAny<IOException>(() => ReportWriter.Write(SampleResults.OneAtATime(), dir.Path));
        Assert.NotEqual(firstTable, File.ReadAllText(table)); // the tables were rewritten before the figures failed

        File.Delete(figures);
        Directory.Move(kept, figures); // every file the stamp lists is there again; only the tables' content differs
        Assert.True(ReportWriter.Write(first, dir.Path).Succeeded);
        Assert.Equal(firstTable, File.ReadAllText(table));
        Assert.True(File.Exists(Path.Combine(figures, "cost.svg")));
    }

    [Fact]
    public void Write_FileEditedSince_RendersTheReportAgain()
    {
        using var dir = new TempDir();
        ReportWriter.Write(SampleResults.FullGrid(), dir.Path);
        var csv = Path.Combine(dir.Path, "results.csv");
        var original = File.ReadAllText(csv);
        File.WriteAllText(csv, "edited by hand");

        ReportWriter.Write(SampleResults.FullGrid(), dir.Path);

        Assert.Equal(original, File.ReadAllText(csv));
    }
}
