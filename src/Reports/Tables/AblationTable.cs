using Ablations.Core.Spec;
using Ablations.Reports.Statistics;

namespace Ablations.Reports.Tables;

/// <summary>
/// The paper-style ablation table, independent of its output format: one row per cell (or per changed
/// factor with one_at_a_time), a value column and, with a baseline, a Δ column per metric. Every cell with a
/// recorded run has a row; when some cell has runs without a result the formats add a "Runs" column saying
/// what happened (<see cref="TableRow.Status"/>).
/// </summary>
internal sealed record AblationTable(
    string Caption,
    IReadOnlyList<string> LabelHeaders,
    /// <summary>The machine names behind <see cref="LabelHeaders"/> (axis keys, or "change").</summary>
    IReadOnlyList<string> LabelKeys,
    IReadOnlyList<TableMetric> Metrics,
    bool HasBaseline,
    IReadOnlyList<TableRow> Rows,
    IReadOnlyList<string> Notes)
{
    /// <summary>Whether some row has runs without a result, so the formats show the Runs column.</summary>
    public bool HasStatus => Rows.Any(r => r.Status is not null);

    public const string StatusHeader = "Runs";
}

/// <summary>A metric column; <see cref="Decimals"/> is shared by all its cells so they line up.</summary>
internal sealed record TableMetric(string Name, MetricGoal Goal, int Decimals)
{
    public string Arrow => Goal == MetricGoal.Maximize ? "↑" : "↓";
}

/// <summary>
/// One row: its cell's runs (recorded, succeeded) and, when some have no result (failed, cancelled, not
/// finished), <see cref="Status"/> saying what happened; null when all succeeded.
/// </summary>
internal sealed record TableRow(
    string CellLabel, IReadOnlyList<string> Labels, bool IsBaseline, IReadOnlyList<TableCell> Cells, int Runs, int Succeeded, string? Status);

/// <summary>One metric of one row. Null statistics read as "—"; <see cref="Test"/> is null when the row is not compared.</summary>
internal sealed record TableCell(
    int N, double? Mean, double? Std, double? CiLow, double? CiHigh,
    double? Delta, double? P, double? PHolm, bool IsBest, PairedOutcome? Test = null)
{
    /// <summary>Footnote mark of a comparison whose differences are all the same non-zero value.</summary>
    public const string ZeroVarianceMark = "†";

    /// <summary>Footnote mark of a comparison equal to the baseline on every shared seed.</summary>
    public const string NoDifferenceMark = "‡";

    /// <summary>"**" for Holm-adjusted p &lt; 0.01, "*" for p &lt; 0.05, else empty; only a defined test earns stars.</summary>
    public string Mark => Test != PairedOutcome.Tested ? "" : PHolm switch
    {
        < 0.01 => "**",
        < 0.05 => "*",
        _ => "",
    };

    /// <summary>The footnote mark of a comparison without a p-value that the notes explain, else empty.</summary>
    public string Footnote => Test switch
    {
        PairedOutcome.ZeroVariance => ZeroVarianceMark,
        PairedOutcome.NoDifference => NoDifferenceMark,
        _ => "",
    };

    /// <summary>Why the p-value is missing, in words ("zero variance", "no difference"), or null.</summary>
    public string? Untested => Test switch
    {
        PairedOutcome.ZeroVariance => "zero variance",
        PairedOutcome.NoDifference => "no difference",
        _ => null,
    };
}
