using Ablations.Core.Results;
using Ablations.Reports.Aggregation;
using Spectre.Console;
using System.Globalization;

namespace Ablations.Orchestrator.Output;

/// <summary>Prints one row per run: its swept parameters, seed, status and the headline metrics.</summary>
public static class ResultsConsole
{
    public static void Print(ExperimentResults results, int maxMetrics = 4)
    {
        var metrics = HeadlineMetrics(results, maxMetrics);
        var title = results.Revision is { } r ? $"{results.Experiment} · {r.Describe()}" : results.Experiment;
        var table = new Table().Title($"[bold]{Markup.Escape(title)}[/]");
        foreach (var key in results.AxisKeys) table.AddColumn(Markup.Escape(key));
        table.AddColumns("seed", "status");
        foreach (var m in metrics) table.AddColumn(new TableColumn(Markup.Escape(m)).RightAligned());
        foreach (var run in results.Runs)
        {
            var cells = results.AxisKeys.Select(k => Markup.Escape(ParamText.Format(run.Params.GetValueOrDefault(k)))).ToList();
            cells.Add(run.Seed.ToString(CultureInfo.InvariantCulture));
            cells.Add(run.Status == RunStatuses.Succeeded ? $"[green]{run.Status}[/]" : run.Status == RunStatuses.Failed ? $"[red]{run.Status}[/]" : run.Status);
            cells.AddRange(metrics.Select(m => run.Metrics.TryGetValue(m, out var v) ? v.ToString("0.####", CultureInfo.InvariantCulture) : "–"));
            table.AddRow(cells.ToArray());
        }
        AnsiConsole.Write(table);
    }

    /// <summary>The spec's metric first, then the other final metrics of the terminal stages, in name order.</summary>
    public static List<string> HeadlineMetrics(ExperimentResults results, int max)
    {
        var names = results.Runs.SelectMany(r => r.Metrics.Keys).Where(k => !k.Contains('.') || k.StartsWith("zeroshot", StringComparison.Ordinal))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        if (results.Metric is { } m && names.Remove(m.Name)) names.Insert(0, m.Name);
        return names.Take(max).ToList();
    }
}
