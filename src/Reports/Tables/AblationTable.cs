using Ablations.Core.Spec;

namespace Ablations.Reports.Tables;

/// <summary>
/// The paper-style ablation table, independent of its output format: one row per cell (or per changed
/// factor with one_at_a_time), a value column and, with a baseline, a Δ column per metric.
/// </summary>
internal sealed record AblationTable(
    string Caption,
    IReadOnlyList<string> LabelHeaders,
    /// <summary>The machine names behind <see cref="LabelHeaders"/> (axis keys, or "change").</summary>
    IReadOnlyList<string> LabelKeys,
    IReadOnlyList<TableMetric> Metrics,
    bool HasBaseline,
    IReadOnlyList<TableRow> Rows,
    IReadOnlyList<string> Notes);

/// <summary>A metric column; <see cref="Decimals"/> is shared by all its cells so they line up.</summary>
internal sealed record TableMetric(string Name, MetricGoal Goal, int Decimals)
{
    public string Arrow => Goal == MetricGoal.Maximize ? "↑" : "↓";
}

internal sealed record TableRow(string CellLabel, IReadOnlyList<string> Labels, bool IsBaseline, IReadOnlyList<TableCell> Cells);

/// <summary>One metric of one row. Null statistics read as "—".</summary>
internal sealed record TableCell(
    int N, double? Mean, double? Std, double? CiLow, double? CiHigh,
    double? Delta, double? P, double? PHolm, bool IsBest)
{
    /// <summary>"**" for Holm-adjusted p &lt; 0.01, "*" for p &lt; 0.05, else empty.</summary>
    public string Mark => PHolm switch
    {
        < 0.01 => "**",
        < 0.05 => "*",
        _ => "",
    };
}
