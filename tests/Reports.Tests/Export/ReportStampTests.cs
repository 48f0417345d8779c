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
}
