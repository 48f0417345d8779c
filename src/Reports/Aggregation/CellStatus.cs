using Ablations.Core.Results;
using System.Globalization;
using Ablations.Core.Spec;

namespace Ablations.Reports.Aggregation;

/// <summary>
/// How a cell's runs ended, in words: the one wording the table, the figure captions and the report page use
/// for cells that have fewer results than runs ("failed 2/2: student (Diverged): loss is NaN at step 12",
/// "1 of 4 seeds failed: …").
/// </summary>
internal static class CellStatus
{
    // Reasons shown per cell; the rest are counted (the runs table of the report page lists every run's reason).
    private const int MaxReasons = 2;

    // Cells named per caption sentence; the table has them all.
    private const int MaxNamed = 6;

    private static readonly string[] Order = RunStatuses.Unfinished;

    /// <summary>Null when every run of the cell succeeded; else its counts per status and why.</summary>
    public static string? Describe(CellSummary cell)
    {
        var runs = cell.Runs;
        if (runs.Succeeded == runs.Total)
        {
            return null;
        }

        var others = runs.ByStatus
            .Where(kv => !string.Equals(kv.Key, RunStatuses.Succeeded, StringComparison.OrdinalIgnoreCase))
            .OrderBy(kv => Array.IndexOf(Order, kv.Key.ToLowerInvariant()) is var i and >= 0 ? i : Order.Length)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .ToArray();
        string counts = runs.Succeeded == 0
            ? string.Join(", ", others.Select(kv => $"{kv.Key} {N(kv.Value)}/{N(runs.Total)}"))
            : string.Join(", ", others.Select((kv, i) => $"{N(kv.Value)} of {N(runs.Total)} {(i == 0 ? "seeds " : "")}{kv.Key}"));
        return counts + Reasons(cell, others.Select(kv => kv.Key));
    }

    /// <summary>A cell as its table row reads: the changed factor with one_at_a_time, else every axis value.</summary>
    public static string Name(AblationSummary summary, CellSummary cell) =>
        summary.Design == DesignKind.OneAtATime && summary.Baseline is not null ? cell.Change : cell.Label;

    /// <summary>
    /// Caption sentences naming the cells among <paramref name="considered"/> that a figure could not draw and
    /// those drawn from fewer seeds than they have runs, with why; "" when there are none. With a
    /// <paramref name="metric"/>, a cell counts as drawn when it has a value of it; without, when it has a succeeded run.
    /// </summary>
    public static string Caption(AblationSummary summary, IEnumerable<CellSummary> considered, string? metric)
    {
        var cells = considered.DistinctBy(c => c.Index).OrderBy(c => c.Index).ToArray();
        int Used(CellSummary c) => metric is null ? c.Runs.Succeeded : c.Metrics.TryGetValue(metric, out var m) ? m.Stats.N : 0;
        string Why(CellSummary c) => Describe(c) ?? $"{N(Used(c))} of {N(c.Runs.Total)} seeds have a finite {metric}";

        var leftOut = cells.Where(c => Used(c) == 0).Select(c => $"{Name(summary, c)} ({Why(c)})").ToArray();
        var fewer = cells.Where(c => Used(c) > 0 && Used(c) < c.Runs.Total).Select(c => $"{Name(summary, c)} ({Why(c)})").ToArray();
        string text = "";
        if (leftOut.Length > 0)
        {
            text += $" Left out, no result: {List(leftOut)}.";
        }

        if (fewer.Length > 0)
        {
            text += $" From fewer seeds: {List(fewer)}.";
        }

        return text;
    }

    private static string Reasons(CellSummary cell, IEnumerable<string> statuses)
    {
        if (cell.Failures.Count == 0)
        {
            // Failed or cancelled runs should carry a reason; say so when the store had none rather than staying silent.
            return statuses.Any(s => s.ToLowerInvariant() is RunStatuses.Failed or RunStatuses.Cancelled) ? " (no reason recorded)" : "";
        }

        string shown = string.Join("; ", cell.Failures.Take(MaxReasons));
        int more = cell.Failures.Count - MaxReasons;
        return more > 0 ? $": {shown} (+{N(more)} other reason{(more == 1 ? "" : "s")})" : $": {shown}";
    }

    private static string List(IReadOnlyList<string> items)
    {
        if (items.Count <= MaxNamed)
        {
            return string.Join("; ", items);
        }

        return $"{string.Join("; ", items.Take(MaxNamed))}; and {N(items.Count - MaxNamed)} more (see the table)";
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
