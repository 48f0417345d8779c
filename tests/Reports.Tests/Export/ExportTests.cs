using Ablations.Reports.Export;
using Parquet;
using Parquet.Schema;

namespace Ablations.Reports.Tests.Export;

public sealed class ExportTests
{
    [Fact]
    public async Task ResultsParquet_ReadBack_OneRowPerRunWithPlainColumns()
    {
        using var dir = new TempDir();
        Assert.True(ReportWriter.Write(SampleResults.OneAtATime(), dir.Path).Succeeded);

        await using var reader = await ParquetReader.CreateAsync(Path.Combine(dir.Path, "results.parquet"));
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(
            ["run_id", "cell", "seed", "status", "is_baseline", "param.student.kd.teachers", "param.student.kd.scale", "metric.retrieval_i2t_r1", "metric.zeroshot_avg"],
            fields.Select(f => f.Name));
        Assert.Equal(1, reader.RowGroupCount);

        using var group = reader.OpenRowGroupReader(0);
        Assert.Equal(16, group.RowCount);
        var ids = new string?[16];
        await group.ReadAsync(fields[0], ids.AsMemory());
        var seeds = new long[16];
        await group.ReadAsync(fields[2], seeds.AsMemory());
        var status = new string?[16];
        await group.ReadAsync(fields[3], status.AsMemory());
        var teachers = new string?[16];
        await group.ReadAsync(fields[5], teachers.AsMemory());
        var scale = new double?[16];
        await group.ReadAsync<double>(fields[6], scale.AsMemory());
        var zeroshot = new double?[16];
        await group.ReadAsync<double>(fields[8], zeroshot.AsMemory());

        var baseline = new bool[16];
        await group.ReadAsync(fields[4], baseline.AsMemory());

        Assert.Equal("r0s0", ids[0]);
        Assert.True(baseline[0]);
        Assert.False(baseline[3]);
        Assert.Equal(2, seeds[2]);
        Assert.Equal("t_a+t_b", teachers[0]);
        Assert.Equal("none", teachers[6]);
        Assert.Equal(50, scale[0]);
        Assert.Equal(0.50, zeroshot[0]);
        int failed = Array.IndexOf(status, "failed");
        Assert.Equal("r4s3", ids[failed]);
        Assert.Null(zeroshot[failed]);
    }

    [Fact]
    public void ResultsCsv_HeaderAndArrayParams()
    {
        using var dir = new TempDir();
        ReportWriter.Write(SampleResults.OneAtATime(), dir.Path);
        var lines = File.ReadAllLines(Path.Combine(dir.Path, "results.csv"));
        Assert.Equal("run_id,cell,seed,status,is_baseline,param.student.kd.teachers,param.student.kd.scale,metric.retrieval_i2t_r1,metric.zeroshot_avg", lines[0]);
        Assert.Equal("r0s0,\"student.kd.teachers=t_a+t_b, student.kd.scale=50\",0,succeeded,true,t_a+t_b,50,0.3,0.5", lines[1]);
        Assert.Equal(17, lines.Length);
    }

    [Fact]
    public async Task MetricsExporter_Parquet_LongTableOfCurvePoints()
    {
        var results = SampleResults.FullGrid(seeds: 2, steps: 5);
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "metrics.parquet");

        await MetricsExporter.ExportAsync(results, path, MetricsExportFormat.Parquet);

        await using var reader = await ParquetReader.CreateAsync(path);
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(["run_id", "name", "step", "value"], fields.Select(f => f.Name));
        using var group = reader.OpenRowGroupReader(0);
        int rows = 12 * 2 * 2 * 5;
        Assert.Equal(rows, group.RowCount);
        var names = new string?[rows];
        await group.ReadAsync(fields[1], names.AsMemory());
        var steps = new long[rows];
        await group.ReadAsync(fields[2], steps.AsMemory());
        Assert.Equal(new[] { "logit_scale", "logit_scale" }, names.Take(2).ToArray());
        Assert.Equal([0L, 10L], steps[..2]);
    }

    [Fact]
    public void MetricsExporter_Csv_RunNameStepValue()
    {
        var results = SampleResults.FullGrid(seeds: 1, steps: 2);
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "metrics.csv");

        MetricsExporter.Export(results, path, MetricsExportFormat.Csv);

        var lines = File.ReadAllLines(path);
        Assert.Equal("run_id,name,step,value", lines[0]);
        Assert.Equal("run-00-0,logit_scale,0,10", lines[1]);
        Assert.Equal(1 + 12 * 2 * 2, lines.Length);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void MetricsExporter_ParseFormat_KnownAndUnknown()
    {
        Assert.Equal(MetricsExportFormat.Parquet, MetricsExporter.ParseFormat("Parquet"));
        Assert.Null(MetricsExporter.ParseFormat("xlsx"));
    }

    [Fact]
    public void AtomicFile_FailedWrite_LeavesOldFileAndNoTemp()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "a.txt");
        AtomicFile.WriteText(path, "old");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.WriteByte(1);
            throw new InvalidOperationException("crash mid-write");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["a.txt"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void SummaryJson_RoundTrips()
    {
        using var dir = new TempDir();
        var outcome = ReportWriter.Write(SampleResults.OneAtATime(), dir.Path);
        var back = SummaryJson.Deserialize(File.ReadAllText(Path.Combine(dir.Path, "summary.json")))!;
        Assert.Equal(outcome.Summary!.Cells.Count, back.Cells.Count);
        Assert.Equal(outcome.Summary.Cells[2].Metrics["zeroshot_avg"].VsBaseline!.PHolm, back.Cells[2].Metrics["zeroshot_avg"].VsBaseline!.PHolm);
    }
}
