using Ablations.Core.Spec;
using Ablations.Reports.Aggregation;
using Ablations.Reports.Statistics;

namespace Ablations.Reports.Tables;

/// <summary>Lays an <see cref="AblationSummary"/> out as an <see cref="AblationTable"/>.</summary>
internal static class AblationTableBuilder
{
    public static AblationTable Build(AblationSummary summary)
    {
        bool oneAtATime = summary.Design == DesignKind.OneAtATime && summary.Baseline is not null;
        string[] headers = oneAtATime || summary.Axes.Count == 0 ? ["Change"] : summary.Axes.Select(a => a.Label).ToArray();
        string[] keys = oneAtATime || summary.Axes.Count == 0 ? ["change"] : summary.Axes.Select(a => a.Key).ToArray();

        // The baseline reads first; the other cells keep the grid's order.
        var ordered = summary.Cells.OrderBy(c => c.IsBaseline ? 0 : 1).ThenBy(c => c.Index).ToArray();
        var metrics = summary.Metrics
            .Select(m => new TableMetric(m.Name, m.Goal, TableNumbers.DecimalsFor(
                ordered.Where(c => c.Metrics.ContainsKey(m.Name)).Select(c => c.Metrics[m.Name].Stats.Mean))))
            .ToArray();

        var best = summary.Metrics.ToDictionary(m => m.Name, m => BestMean(ordered, m));
        var rows = ordered.Select(cell => new TableRow(
            cell.Label,
            oneAtATime || summary.Axes.Count == 0 ? [cell.Change] : summary.Axes.Select(a => cell.Values[a.Key]).ToArray(),
            cell.IsBaseline,
            summary.Metrics.Select(m => Cell(cell, m.Name, best[m.Name])).ToArray(),
            cell.Runs.Total,
            cell.Runs.Succeeded,
            CellStatus.Describe(cell))).ToArray();

        return new AblationTable(Caption(summary), headers, keys, metrics, summary.Baseline is not null, rows, Notes(summary, rows));
    }

    private static double? BestMean(IEnumerable<CellSummary> cells, MetricInfo metric)
    {
        var means = cells.Where(c => c.Metrics.ContainsKey(metric.Name)).Select(c => c.Metrics[metric.Name].Stats.Mean).ToArray();
        if (means.Length == 0)
        {
            return null;
        }

        return metric.Goal == MetricGoal.Maximize ? means.Max() : means.Min();
    }

    private static TableCell Cell(CellSummary cell, string metric, double? best)
    {
        if (!cell.Metrics.TryGetValue(metric, out var m))
        {
            return new TableCell(0, null, null, null, null, null, null, null, false);
        }

        var s = m.Stats;
        var c = m.VsBaseline;
        return new TableCell(s.N, s.Mean, s.Std, s.CiLow, s.CiHigh, c?.Delta, c?.Paired.P, c?.PHolm, best == s.Mean, c?.Paired.Outcome);
    }

    private static string Caption(AblationSummary summary)
    {
        string metrics = string.Join(", ", summary.Metrics.Select(m => m.Name));
        string design = summary.Design == DesignKind.OneAtATime ? "one factor at a time" : "full grid";
        return $"Ablation '{summary.Experiment}' ({design}): {metrics} per {(summary.Design == DesignKind.OneAtATime ? "changed factor" : "cell")}";
    }

    private static string[] Notes(AblationSummary summary, IReadOnlyList<TableRow> rows)
    {
        if (!summary.HasFinishedRuns)
        {
            return [$"No finished runs: {summary.Runs.Total} run(s) recorded, none succeeded."];
        }

        var notes = new List<string>
        {
            $"Values: mean ± sample std over seeds (n = runs) of {summary.Runs.Succeeded} succeeded run(s).",
        };
        if (rows.Any(r => r.Status is not null))
        {
            notes.Add($"{AblationTable.StatusHeader}: what happened to runs that failed, were cancelled or have not finished (the first failed stage and its error); values use only the succeeded seeds, and a row with none has no values and is not compared.");
        }

        if (summary.Baseline is { HasResult: false } failedBaseline)
        {
            notes.Add($"Δ: none, the baseline ({failedBaseline.Label}) has no succeeded run to compare with.");
        }
        else if (summary.Baseline is { } baseline)
        {
            notes.Add($"Δ: difference of means vs the baseline (first row: {baseline.Label}).");
            notes.Add($"Significance: two-sided paired t-test over seeds shared with the baseline, Holm-corrected {Family(summary, rows)}; * p < 0.05, ** p < 0.01.");
            var cells = rows.SelectMany(r => r.Cells).ToArray();
            if (cells.Any(c => c.Test == PairedOutcome.ZeroVariance))
            {
                notes.Add($"{TableCell.ZeroVarianceMark} The same non-zero difference on every shared seed (zero variance): the paired t-test is undefined, so no p-value and no stars; left out of the Holm correction.");
            }

            if (cells.Any(c => c.Test == PairedOutcome.NoDifference))
            {
                notes.Add($"{TableCell.NoDifferenceMark} Equal to the baseline on every shared seed (no difference): nothing to test; left out of the Holm correction.");
            }
        }

        string goals = string.Join("; ", summary.Metrics.Select(m => $"{m.Name}: {(m.Goal == MetricGoal.Maximize ? "higher" : "lower")} is better"));
        notes.Add($"Bold: best per column ({goals}).");
        return notes.ToArray();
    }

    /// <summary>The Holm family per metric: the compared rows that have a p-value (the others are reported, not tested).</summary>
    private static string Family(AblationSummary summary, IReadOnlyList<TableRow> rows)
    {
        var counts = summary.Metrics
            .Select((m, i) => (m.Name, Compared: rows.Count(r => r.Cells[i].Delta is not null), Tested: rows.Count(r => r.Cells[i].Test == PairedOutcome.Tested)))
            .ToArray();
        var distinct = counts.Select(c => (c.Tested, c.Compared)).Distinct().ToArray();
        if (distinct.Length == 1 && distinct[0].Tested == distinct[0].Compared)
        {
            return $"across the {distinct[0].Compared} compared row(s) per metric";
        }

        return distinct.Length == 1
            ? $"across the {distinct[0].Tested} of {distinct[0].Compared} compared row(s) that have a p-value, per metric"
            : $"per metric across the compared rows that have a p-value ({string.Join(", ", counts.Select(c => $"{c.Name}: {c.Tested} of {c.Compared}"))})";
    }
}
