using Ablations.Core.Results;
using Ablations.Reports.Aggregation;

namespace Ablations.Reports.Export;

/// <summary>
/// One row per run (every status): run_id, cell, seed, status, is_baseline, each parameter as
/// <c>param.&lt;key&gt;</c> (a number column when every value is a number, else text with arrays as "a+b"),
/// and each final metric as a <c>metric.&lt;name&gt;</c> number column (empty when the run lacks it).
/// </summary>
internal static class ResultsTable
{
    public static ColumnTable Build(ExperimentResults results)
    {
        var runs = results.Runs;
        var table = new ColumnTable(runs.Count);
        table.AddText("run_id", runs.Select(r => (string?)r.RunId).ToArray());
        table.AddText("cell", runs.Select(r => (string?)CellLabel(results, r)).ToArray());
        table.AddInteger("seed", runs.Select(r => r.Seed).ToArray());
        table.AddText("status", runs.Select(r => (string?)r.Status).ToArray());
        table.AddBool("is_baseline", runs.Select(r => r.IsBaseline).ToArray());

        var paramKeys = results.AxisKeys
            .Concat(runs.SelectMany(r => r.Params.Keys).Distinct().Where(k => !results.AxisKeys.Contains(k)).Order(StringComparer.Ordinal))
            .ToArray();
        foreach (var key in paramKeys)
        {
            var nodes = runs.Select(r => r.Params.GetValueOrDefault(key)).ToArray();
            if (nodes.Any(n => n is not null) && nodes.All(n => n is null || ParamText.AsNumber(n) is not null))
            {
                table.AddNumber($"param.{key}", nodes.Select(ParamText.AsNumber).ToArray());
            }
            else
            {
                table.AddText($"param.{key}", nodes.Select(n => n is null ? null : ParamText.Format(n)).ToArray());
            }
        }

        foreach (var name in runs.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            table.AddNumber($"metric.{name}", runs.Select(r => r.Metrics.TryGetValue(name, out var v) ? v : (double?)null).ToArray());
        }

        return table;
    }

    private static string CellLabel(ExperimentResults results, RunResult run) =>
        results.AxisKeys.Count == 0
            ? "all runs"
            : string.Join(", ", results.AxisKeys.Select(k => $"{k}={ParamText.Format(run.Params.GetValueOrDefault(k))}"));
}
