using Ablations.Core.Results;

namespace Ablations.Reports.Export;

public enum MetricsExportFormat { Parquet, Csv }

/// <summary>
/// Exports every streamed metric point (the runs' curves) as a long table: run_id, name, step, value.
/// Rows are ordered by run, then name, then step. Written atomically.
/// </summary>
public static class MetricsExporter
{
    /// <summary>Parses "parquet" or "csv" (any case); null for anything else.</summary>
    public static MetricsExportFormat? ParseFormat(string text) => text.ToLowerInvariant() switch
    {
        "parquet" => MetricsExportFormat.Parquet,
        "csv" => MetricsExportFormat.Csv,
        _ => null,
    };

    public static void Export(ExperimentResults results, string path, MetricsExportFormat format) =>
        ExportAsync(results, path, format).GetAwaiter().GetResult();

    public static async Task ExportAsync(ExperimentResults results, string path, MetricsExportFormat format)
    {
        var table = Build(results);
        if (format == MetricsExportFormat.Csv)
        {
            AtomicFile.WriteText(path, table.ToCsv());
        }
        else
        {
            await AtomicFile.WriteAsync(path, s => table.WriteParquetAsync(s, rowGroupSize: 250_000));
        }
    }

    internal static ColumnTable Build(ExperimentResults results)
    {
        int count = results.Runs.Sum(r => r.Curves.Values.Sum(c => c.Count));
        var runIds = new string?[count];
        var names = new string?[count];
        var steps = new long[count];
        var values = new double?[count];
        int i = 0;
        foreach (var run in results.Runs)
        {
            foreach (var (name, curve) in run.Curves.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                foreach (var point in curve.OrderBy(p => p.Step))
                {
                    runIds[i] = run.RunId;
                    names[i] = name;
                    steps[i] = point.Step;
                    values[i] = point.Value;
                    i++;
                }
            }
        }

        var table = new ColumnTable(count);
        table.AddText("run_id", runIds);
        table.AddText("name", names);
        table.AddInteger("step", steps);
        table.AddNumber("value", values);
        return table;
    }
}
